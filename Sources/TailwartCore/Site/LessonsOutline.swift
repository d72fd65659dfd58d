/// The "lessons" step: splits the parsed document into the index's
/// introduction and one entry per top-level section, gives every heading its
/// GitHub id (and a visible anchor link), and reads each lesson's number,
/// status, one-line summary and error messages.
///
/// A level-2 heading "N. Title" starts lesson N; any other level-1 or
/// level-2 heading (except the document's title) starts a section of its
/// own. Everything before the first of them is the introduction.
struct LessonsOutline {
  /// The parsed file, which owns every node below (kept alive with them).
  let document: MarkdownDocument
  /// The document's title: its first heading when that is level 1.
  var title: String
  /// The introduction, in a fragment of its own.
  var intro: MarkdownNode
  /// Whether the introduction starts with the title heading (the index then
  /// shows it instead of a heading of its own).
  var introHasTitle = false
  var entries: [SiteEntry] = []
  /// Lesson number to entry index.
  var lessons: [Int: Int] = [:]
  /// Heading id to the page it lives on.
  var anchors: [String: PageOwner] = [:]

  /// Every page owner in document order: the index, then each entry.
  var owners: [PageOwner] { [.index] + entries.indices.map { .entry($0) } }

  func path(of owner: PageOwner) -> String {
    switch owner {
    case .index: "index.html"
    case .entry(let i): entries[i].path
    }
  }

  func content(of owner: PageOwner) -> MarkdownNode {
    switch owner {
    case .index: intro
    case .entry(let i): entries[i].content
    }
  }

  /// Splits `document` into pages (each page's nodes move into a fragment
  /// the document keeps) and replaces every heading by its HTML with id and
  /// anchor link. Errors: a lesson number used twice.
  static func make(_ document: MarkdownDocument, source: LessonsSource) throws(FindingsError) -> LessonsOutline {
    // Top-level split.
    let top = document.root.children
    var titleNode: MarkdownNode?
    if let first = top.first, first.kind == .heading, first.headingLevel == 1 { titleNode = first }
    var introNodes: [MarkdownNode] = []
    var groups: [[MarkdownNode]] = []
    for node in top {
      if node.kind == .heading, node.headingLevel <= 2, node != titleNode {
        groups.append([node])
      } else if groups.isEmpty {
        introNodes.append(node)
      } else {
        groups[groups.count - 1].append(node)
      }
    }
    var outline = LessonsOutline(
      document: document,
      title: titleNode.map { $0.plainText.trimmed } ?? fallbackTitle(source.file),
      intro: document.fragment(introNodes))
    outline.introHasTitle = titleNode != nil
    for group in groups {
      let heading = group[0]
      var entry = SiteEntry(
        title: heading.plainText.trimmed, line: heading.line, column: heading.column, level: heading.headingLevel,
        content: document.fragment(group))
      readMetadata(of: &entry)
      outline.entries.append(entry)
    }

    // Lesson numbers, then page paths: lessons claim "N.html" first so a
    // section can never take a lesson's file name.
    var findings: [Finding] = []
    for i in outline.entries.indices {
      guard outline.entries[i].level == 2, let number = lessonNumber(outline.entries[i].title) else { continue }
      if let first = outline.lessons[number] {
        findings.append(
          Finding(
            .error, file: source.file,
            at: source.span(line: outline.entries[i].line, byteColumn: outline.entries[i].column),
            "lesson \(number) is numbered twice; links to it would be ambiguous",
            notes: ["lesson \(number) first appears at line \(outline.entries[first].line)"]))
        continue
      }
      outline.lessons[number] = i
      outline.entries[i].number = number
    }
    if !findings.isEmpty { throw FindingsError(findings) }

    // Heading ids in document order (duplicates are numbered document-wide,
    // as GitHub does). An entry's own heading is its page's h1; the rest
    // move up a level to follow it.
    var slugger = HeadingSlugger()
    for owner in outline.owners {
      var headings: [MarkdownNode] = []
      var walk = MarkdownWalker(outline.content(of: owner))
      while let (node, entering) = walk.next() {
        guard entering, node.kind == .heading else { continue }
        headings.append(node)
        walk.skipChildren(of: node)
      }
      for heading in headings {
        let id = slugger.slug(heading.plainText)
        if !id.isEmpty, outline.anchors[id] == nil { outline.anchors[id] = owner }
        var level = heading.headingLevel
        if case .entry(let i) = owner {
          if heading == headings.first, heading.parent == outline.entries[i].content {
            outline.entries[i].anchor = id
            level = 1
          } else {
            level = min(6, max(2, level - (outline.entries[i].level - 1)))
          }
        }
        replaceHeading(heading, level: level, id: id, in: document)
      }
    }

    var taken = Set(outline.lessons.keys.map { "\($0)" })
    for i in outline.entries.indices {
      if let number = outline.entries[i].number {
        outline.entries[i].path = "lessons/\(number).html"
      } else {
        outline.entries[i].path = "lessons/\(fileName(for: outline.entries[i].anchor, taken: &taken, index: i)).html"
      }
    }
    return outline
  }

  /// Puts a custom block in the heading's place that writes `<hN id="ID">`,
  /// the heading's text, and a visible `#` link to it (no id and no link
  /// for a heading with no text: HTML allows no empty id).
  private static func replaceHeading(_ heading: MarkdownNode, level: Int, id: String, in document: MarkdownDocument) {
    let block = MarkdownNode.make(.customBlock)
    let escaped = HTML.escape(id)
    block.setCustomMarkup(
      enter: id.isEmpty ? "<h\(level)>" : "<h\(level) id=\"\(escaped)\">",
      exit: id.isEmpty
        ? "</h\(level)>"
        : "<a class=\"anchor\" href=\"#\(escaped)\" aria-label=\"Link to this heading\">#</a></h\(level)>")
    guard heading.insertBefore(block) else { return block.free() }
    for child in heading.children {
      child.unlink()
      block.append(child)
    }
    heading.unlink()
    document.keep(heading)
  }

  /// Status (RESOLVED notes and their dates), the one-line summary, and the
  /// error messages quoted in the Symptom paragraphs.
  private static func readMetadata(of entry: inout SiteEntry) {
    var dates: [String] = []
    var resolved = false
    var symptom: String?
    var firstParagraph: String?
    var walk = MarkdownWalker(entry.content)
    while let (node, entering) = walk.next() {
      guard entering, node.kind == .paragraph else { continue }
      walk.skipChildren(of: node)
      let text = node.plainText.trimmed
      if firstParagraph == nil { firstParagraph = text }
      if let date = resolvedNote(text) {
        resolved = true
        if !date.isEmpty { dates.append(date) }
      }
      if let rest = symptomText(text) {
        if symptom == nil { symptom = rest }
        var codes = MarkdownWalker(node)
        while let (code, entering) = codes.next() {
          if entering, code.kind == .code, let literal = code.literal, !literal.isEmpty,
            !entry.errorMessages.contains(literal)
          {
            entry.errorMessages.append(literal)
          }
        }
      }
    }
    if resolved { entry.status = .resolved(date: dates.max()) }
    entry.summary = OneLine.summary(symptom ?? firstParagraph ?? "")
  }

  /// "6. Title" → 6.
  static func lessonNumber(_ title: String) -> Int? {
    let digits = title.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, digits.count <= LessonReferenceScanner.maxDigits else { return nil }
    let rest = title.dropFirst(digits.count)
    guard rest.hasPrefix("."), rest.dropFirst().first?.isWhitespace ?? false else { return nil }
    return Int(digits)
  }

  /// A section's file name from its heading id: ASCII letters, digits and
  /// hyphens only (the id may hold any script), never empty, never taken.
  static func fileName(for id: String, taken: inout Set<String>, index: Int) -> String {
    var base = String(
      id.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        .map(Character.init).prefix(80))
    while base.hasPrefix("-") { base.removeFirst() }
    if base.isEmpty { base = "section-\(index + 1)" }
    var name = base
    var n = 1
    while taken.contains(name) {
      n += 1
      name = "\(base)-\(n)"
    }
    taken.insert(name)
    return name
  }

  static func fallbackTitle(_ file: String) -> String {
    let name = file.split(separator: "/").last.map(String.init) ?? file
    let stem = name.split(separator: ".").first.map(String.init) ?? name
    return stem.isEmpty ? "Lessons" : stem
  }

  /// The date of a "RESOLVED (2026-06-11) ..." note ("" when undated), or
  /// nil when the paragraph is not one.
  static func resolvedNote(_ text: String) -> String? {
    guard text.prefix(8).uppercased() == "RESOLVED" else { return nil }
    if let next = text.dropFirst(8).first, next.isLetter { return nil }
    let head = Array(text.prefix(64).utf8)
    var i = 0
    while i + 10 <= head.count {
      let isDate = (0..<10).allSatisfy { k in
        k == 4 || k == 7 ? head[i + k] == UInt8(ascii: "-") : (0x30...0x39).contains(head[i + k])
      }
      if isDate { return String(decoding: head[i..<i + 10], as: UTF8.self) }
      i += 1
    }
    return ""
  }

  /// The text after "Symptom:" (or "Symptoms:"), or nil.
  static func symptomText(_ text: String) -> String? {
    for word in ["symptoms:", "symptom:"] where text.prefix(word.count).lowercased() == word {
      return String(text.dropFirst(word.count)).trimmed
    }
    return nil
  }
}

extension String {
  /// Without leading and trailing spaces, tabs and line breaks.
  var trimmed: String {
    guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(self[first...last])
  }
}
