/// A page-sized part of the lessons document: a numbered lesson (`## 6.
/// Title`) or another top-level section, from its heading up to the next.
struct SiteEntry {
  /// The lesson number; nil for a section that is not a numbered lesson.
  var number: Int?
  /// The heading as a reader sees it ("6. The sidecar is ephemeral").
  var title: String
  /// The heading's id: where `#anchor` links to the heading itself land.
  var anchor: String
  /// The page, relative to the site's root ("lessons/6.html").
  var path: String
  /// Line of the heading in the lessons file.
  var line: Int
  /// Lines of the file before the piece it was parsed with (cmark's lines
  /// count from there; see `MarkdownDocument.parse`).
  var lineOffset = 0
  var status: LessonStatus = .open
  /// One line for the index: the Symptom paragraph's first sentence, or the
  /// first paragraph's when there is no Symptom.
  var summary: String = ""
  /// Code spans of the Symptom paragraphs: the messages an operator pastes.
  var errorMessages: [String] = []
  /// The top-level nodes of the entry, heading first.
  var nodes: [MarkdownNode] = []

  /// "Lesson 6" or the section's title: how links to it read.
  var label: String { number.map { "Lesson \($0)" } ?? title }
}
