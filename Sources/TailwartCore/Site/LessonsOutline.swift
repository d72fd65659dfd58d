import Foundation

/// The "lessons" step: splits the parsed document into the index's
/// introduction and one entry per top-level section, gives every heading its
/// GitHub id (and a visible anchor link), and reads each lesson's number,
/// status, one-line summary and error messages. Where pages start is
/// `OutlinePart`'s to say (a document without numbered lessons still gets
/// one page per section).
struct LessonsOutline {
  /// The document's title: its first heading when that is level 1.
  var title: String
  var intro: [MarkdownNode] = []
  /// Whether the introduction starts with the title heading (the index then
  /// shows it instead of a heading of its own).
  var introHasTitle = false
  var entries: [SiteEntry] = []
  /// Lesson number to entry index.
  var lessons: [Int: Int] = [:]
  /// Heading id to the page it now lives on.
  var anchors: [String: PageOwner] = [:]
  /// Each page's headings (in `owners` order), until `detachPages` turns
  /// them into their HTML.
  private var headingMarks: [[HeadingMark]] = []

  private struct HeadingMark {
    var node: MarkdownNode
    var id: String
    var level: Int
    /// Index among the page's top-level nodes, when the heading is one.
    var topIndex: Int?
  }

  func path(of owner: PageOwner) -> String {
    switch owner {
    case .index: "index.html"
    case .entry(let i): entries[i].path
    }
  }

  /// The line in the lessons file where `node`, on `owner`'s page, starts
  /// (0 for a node cmark gives no position).
  func line(of node: MarkdownNode, on owner: PageOwner) -> Int {
    let line = node.line
    guard line > 0, case .entry(let i) = owner else { return line }
    return line + entries[i].lineOffset
  }

  func nodes(of owner: PageOwner) -> [MarkdownNode] {
    switch owner {
    case .index: intro
    case .entry(let i): entries[i].nodes
    }
  }

  /// Every page owner in document order: the index, then each entry.
  var owners: [PageOwner] { [.index] + entries.indices.map { .entry($0) } }

  /// Moves each page's nodes into a fragment of its own (see
  /// `MarkdownDocument.detach`), then gives every heading its id and a
  /// visible anchor link: `<hN id="...">` around its text, as HTML the
  /// renderer writes as it is. Pages are apart by then, so they are done
  /// side by side.
  mutating func detachPages(from document: MarkdownDocument) {
    let owners = owners
    document.detach(owners.map { nodes(of: $0) })
    let marks = headingMarks
    headingMarks = []
    let replaced = ParallelChunks.map(owners.count) { range in
      var tops: [(page: Int, index: Int, node: MarkdownNode)] = []
      var old: [MarkdownNode] = []
      for page in range {
        for mark in marks[page] {
          let heading = MarkdownNode.make(.customBlock)
          let (enter, exit) = Self.headingMarkup(level: mark.level, id: mark.id)
          heading.setCustomMarkup(enter: enter, exit: exit)
          mark.node.moveChildren(to: heading)
          mark.node.replace(with: heading)
          old.append(mark.node)
          if let k = mark.topIndex { tops.append((page, k, heading)) }
        }
      }
      return (tops, old)
    }
    for (page, k, node) in replaced.lazy.map(\.0).joined() {
      if page == 0 { intro[k] = node } else { entries[page - 1].nodes[k] = node }
    }
    for (_, old) in replaced { document.keep(old) }
  }

  /// `<hN id="ID">` and ` <a class="anchor" href="#ID" ...>#</a></hN>`
  /// around a heading's text, as NUL-terminated bytes (thousands of
  /// headings: no string interpolation).
  static func headingMarkup(level: Int, id: String) -> (enter: [UInt8], exit: [UInt8]) {
    precondition((1...6).contains(level), "HTML has six heading levels")
    let digit = UInt8(ascii: "0") + UInt8(level)
    var escaped: [UInt8] = []
    var id = id
    id.withUTF8 { HTML.appendEscaped($0, to: &escaped) }
    var enter: [UInt8] = []
    enter.reserveCapacity(escaped.count + 16)
    enter += "<h".utf8
    enter.append(digit)
    enter += " id=\"".utf8
    enter += escaped
    enter += "\">\0".utf8
    var exit: [UInt8] = []
    exit.reserveCapacity(escaped.count + 80)
    exit += " <a class=\"anchor\" href=\"#".utf8
    exit += escaped
    exit += "\" aria-label=\"Link to this heading\">#</a></h".utf8
    exit.append(digit)
    exit += ">\0".utf8
    return (enter, exit)
  }

  /// The outline of a document parsed whole (tests; the site build reads
  /// its parts while parsing, see `MarkdownDocument.parse`).
  static func make(_ document: MarkdownDocument, source: LessonsSource) throws(FindingsError) -> LessonsOutline {
    try make(parts: [OutlinePart(document.root.children, lineOffset: 0, first: true)], source: source)
  }

  /// The outline from the document's parts, in file order.
  static func make(parts: [OutlinePart], source: LessonsSource) throws(FindingsError) -> LessonsOutline {
    var outline = LessonsOutline(title: Self.fallbackTitle(source.file))
    var findings: [Finding] = []

    // Top-level split, and each page's scan (index first).
    if let title = parts.first?.titleHeading {
      outline.title = title.plainText.trimmed
      outline.introHasTitle = true
    }
    outline.intro = parts.first?.intro ?? []
    var scans = [parts.first?.introScan ?? PageScan([], readsMetadata: false)]
    var entryLevels: [Int] = []
    // (Tables and lists sized once: a long file has thousands of entries.)
    let sectionCount = parts.reduce(0) { $0 + $1.sections.count }
    outline.entries.reserveCapacity(sectionCount)
    entryLevels.reserveCapacity(sectionCount)
    scans.reserveCapacity(sectionCount + 1)
    outline.lessons.reserveCapacity(sectionCount)
    for part in parts {
      for section in part.sections {
        outline.entries.append(section.entry)
        entryLevels.append(section.level)
        scans.append(section.scan)
      }
    }

    // Lesson numbers, then page paths: lessons claim "N.html" first so a
    // section can never take a lesson's file name.
    for i in outline.entries.indices where entryLevels[i] == 2 {
      guard let number = Self.lessonNumber(outline.entries[i].title) else { continue }
      if let first = outline.lessons[number] {
        findings.append(
          Finding(
            .error, file: source.file,
            at: source.span(line: outline.entries[i].line, byteColumn: outline.entries[i].nodes[0].column),
            "lesson \(number) is numbered twice; links to it would be ambiguous",
            notes: ["lesson \(number) first appears at line \(outline.entries[first].line)"]))
        continue
      }
      outline.lessons[number] = i
      outline.entries[i].number = number
    }
    var taken = Set(outline.lessons.keys.map { "\($0)" })
    // The heading ids in document order (duplicates are numbered
    // document-wide, as GitHub does), and each heading's level on its page:
    // an entry's own heading is its page's h1, the rest move up a level to
    // follow it. (Their HTML is made once the pages are apart: see
    // `detachPages`.)
    let owners = outline.owners
    let headingCount = scans.reduce(0) { $0 + $1.headings.count }
    var slugger = HeadingSlugger(reservingFor: headingCount)
    outline.anchors.reserveCapacity(headingCount)
    outline.headingMarks.reserveCapacity(owners.count)
    for (owner, scan) in zip(owners, scans) {
      var marks: [HeadingMark] = []
      marks.reserveCapacity(scan.headings.count)
      for heading in scan.headings {
        let id = slugger.slug(base: heading.baseID)
        if outline.anchors[id] == nil { outline.anchors[id] = owner }
        var level = heading.node.headingLevel
        if case .entry(let i) = owner {
          if heading.topIndex == 0 {
            outline.entries[i].anchor = id
            level = 1
          } else {
            level = min(6, max(2, level - (entryLevels[i] - 1)))
          }
        }
        marks.append(HeadingMark(node: heading.node, id: id, level: level, topIndex: heading.topIndex))
      }
      outline.headingMarks.append(marks)
      if case .entry(let i) = owner { scan.metadata.apply(to: &outline.entries[i]) }
    }
    for i in outline.entries.indices {
      if let number = outline.entries[i].number {
        outline.entries[i].path = "lessons/\(number).html"
      } else {
        let name = Self.fileName(for: outline.entries[i].anchor, taken: &taken, index: i)
        outline.entries[i].path = "lessons/\(name).html"
      }
    }

    if !findings.isEmpty { throw FindingsError(findings) }
    return outline
  }

  /// "6. Title" → 6, for level-2 headings.
  static func lessonNumber(_ title: String) -> Int? {
    // Most titles are ASCII where it matters: read them as bytes. When the
    // byte after the space is not ASCII, it might combine with the space,
    // and the title is read as characters.
    let utf8 = title.utf8
    var number = 0
    var digits = 0
    var i = utf8.startIndex
    while i < utf8.endIndex, (0x30...0x39).contains(utf8[i]), digits <= LessonReferenceScanner.maxDigits {
      number = number * 10 + Int(utf8[i] - 0x30)
      digits += 1
      i = utf8.index(after: i)
    }
    if digits > 0, digits <= LessonReferenceScanner.maxDigits, i < utf8.endIndex, utf8[i] == UInt8(ascii: "."),
      case let space = utf8.index(after: i), space < utf8.endIndex,
      [UInt8(ascii: " "), UInt8(ascii: "\t")].contains(utf8[space]),
      utf8.index(after: space) == utf8.endIndex || utf8[utf8.index(after: space)] < 0x80
    {
      return number
    }
    let characters = title.prefix { $0.isASCII && $0.isNumber }
    guard !characters.isEmpty, characters.count <= LessonReferenceScanner.maxDigits else { return nil }
    let rest = title.dropFirst(characters.count)
    guard rest.hasPrefix("."), rest.dropFirst().first?.isWhitespace ?? false else { return nil }
    return Int(characters)
  }

  /// A section's file name from its heading id: ASCII letters, digits and
  /// hyphens only (the id may hold any script), never empty, never taken.
  static func fileName(for id: String, taken: inout Set<String>, index: Int) -> String {
    var base = String(
      id.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        .map(Character.init))
    base = String(base.prefix(80))
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
    // (Only the first characters are counted: paragraphs can be long.)
    let first = text.prefix(8)
    guard first.count == 8, first.uppercased() == "RESOLVED" else { return nil }
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

  /// `text.lowercased().hasPrefix(word)` for a lowercase ASCII `word`,
  /// without lowercasing a whole paragraph when its first bytes are ASCII
  /// (then each of them is a character of its own).
  private static func startsWithIgnoringCase(_ text: String, _ word: String) -> Bool {
    var text = text
    let length = word.utf8.count
    let answer = text.withUTF8 { bytes -> Bool? in
      let head = UnsafeBufferPointer(rebasing: bytes.prefix(length + 1))
      guard head.allSatisfy({ $0 < 0x80 }) else { return nil }
      guard head.count >= length else { return false }
      return zip(head, word.utf8).allSatisfy { byte, expected in
        (0x41...0x5A).contains(byte) ? byte | 0x20 == expected : byte == expected
      }
    }
    return answer ?? text.lowercased().hasPrefix(word)
  }

  /// The text after "Symptom:" (or "Symptoms:"), or nil.
  static func symptomText(_ text: String) -> String? {
    for word in ["symptoms", "symptom"] where startsWithIgnoringCase(text, word) {
      // The word is ASCII when it matched that way (its letters then are
      // characters of their own); so is a colon followed by an ASCII byte
      // or the end, which nothing can combine with.
      let utf8 = text.utf8
      if let colon = utf8.index(utf8.startIndex, offsetBy: word.utf8.count, limitedBy: utf8.endIndex),
        colon < utf8.endIndex, utf8[colon] == UInt8(ascii: ":"), utf8[..<colon].allSatisfy({ $0 < 0x80 })
      {
        let after = utf8.index(after: colon)
        if after == utf8.endIndex || utf8[after] < 0x80 { return String(text[after...]).trimmed }
      }
      let rest = text.dropFirst(word.count)
      guard rest.hasPrefix(":") else { return nil }
      return String(rest.dropFirst()).trimmed
    }
    return nil
  }
}
