/// A page-sized part of the lessons document: a numbered lesson (`## 6.
/// Title`) or another top-level section, from its heading up to the next.
struct SiteEntry {
  /// The lesson number; nil for a section that is not a numbered lesson.
  var number: Int?
  /// The heading as a reader sees it ("6. The sidecar is ephemeral").
  var title: String
  /// The heading's id: where `#anchor` links to the heading itself land.
  var anchor = ""
  /// The page, relative to the site's root ("lessons/6.html").
  var path = ""
  /// Line of the heading in the lessons file, and its byte column.
  var line: Int
  var column: Int
  /// The heading's level in the file (1 or 2).
  var level: Int
  var status: LessonStatus = .open
  /// One line for the index: the Symptom paragraph's first sentence, or the
  /// first paragraph's when there is no Symptom.
  var summary = ""
  /// Code spans of the Symptom paragraphs: the messages an operator pastes.
  var errorMessages: [String] = []
  /// The entry's part of the document (heading first), in a fragment of
  /// its own.
  var content: MarkdownNode

  /// "Lesson 6" or the section's title: how links to it read.
  var label: String { number.map { "Lesson \($0)" } ?? title }
}

/// Which page a part of the lessons document ends up on: the index (the
/// text before the first lesson or section) or one entry's page.
enum PageOwner: Hashable, Sendable {
  case index
  case entry(Int)
}
