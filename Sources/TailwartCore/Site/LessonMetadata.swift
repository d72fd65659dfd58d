/// What the index shows of a lesson, gathered from its paragraphs as the
/// outline walks them: status (RESOLVED notes and their dates), the
/// one-line summary, and the error messages quoted in its Symptom. Only
/// paragraphs that may matter (the first, and those starting with
/// "Symptom" or "RESOLVED") are read as text.
struct LessonMetadata {
  private var resolvedDates: [String] = []
  private var resolved = false
  private var symptom: String?
  private var firstParagraph: String?
  private var messages: [String] = []

  mutating func read(_ paragraph: MarkdownNode) {
    let lead = paragraph.leadingText
    let isSymptom = lead?.literalHasPrefix("symptom") ?? false
    let isResolved = lead?.literalHasPrefix("resolved") ?? false
    guard firstParagraph == nil || isSymptom || isResolved else { return }
    let text = paragraph.plainText.trimmed
    if firstParagraph == nil { firstParagraph = text }
    if isResolved, let date = LessonsOutline.resolvedNote(text) {
      resolved = true
      if !date.isEmpty { resolvedDates.append(date) }
    }
    if isSymptom, let rest = LessonsOutline.symptomText(text) {
      if symptom == nil { symptom = rest }
      var walk = MarkdownWalker(paragraph)
      while let (node, entering) = walk.next() {
        if entering, node.kind == .code, let literal = node.literal, !literal.isEmpty, !messages.contains(literal) {
          messages.append(literal)
        }
      }
    }
  }

  /// The index's one line, made once every paragraph has been read.
  private(set) var summary = ""

  mutating func finish() { summary = OneLine.summary(symptom ?? firstParagraph ?? "") }

  func apply(to entry: inout SiteEntry) {
    if resolved { entry.status = .resolved(date: resolvedDates.max()) }
    entry.summary = summary
    entry.errorMessages = messages
  }
}
