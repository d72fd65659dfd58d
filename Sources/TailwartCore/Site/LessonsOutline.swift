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
  /// Each page's headings (in `owners` order), in document order: their
  /// ids and their levels on the page (see `pageHTML`).
  private(set) var headings: [[Heading]] = []

  struct Heading {
    var id: String
    var level: Int
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
  /// `MarkdownDocument.detach`), so that pages are changed and rendered
  /// side by side.
  func detachPages(from document: MarkdownDocument) {
    document.detach(owners.map { nodes(of: $0) })
  }

  /// The HTML of page `page` (in `owners` order): cmark-gfm's, with every
  /// heading given its id, its level on the page and a visible anchor link.
  ///
  /// cmark-gfm writes a heading as `<hN>` and `</hN>` around its text, and
  /// nothing else it writes here looks like that: text, code and attribute
  /// values are escaped, raw HTML is left out, tables write `<th>`, and the
  /// cross links' own markup holds no heading. So the k-th `<hN>` and the
  /// k-th `</hN>` are the k-th heading's, in the order the page's scan met
  /// them, and their bytes are swapped for its markup here, while the page
  /// is made, instead of replacing each heading node with a custom block
  /// holding that markup beforehand (thousands of node changes on a long
  /// file). The line breaks are the ones cmark-gfm writes around a custom
  /// block's markup, so the pages are what those nodes made.
  func pageHTML(_ page: Int, document: MarkdownDocument) -> String {
    let marks = headings[page]
    return document.withFragmentHTML(page) { html in
      guard !marks.isEmpty else { return String(decoding: html, as: UTF8.self) }
      var out: [UInt8] = []
      out.reserveCapacity(html.count + marks.count * 160)
      var run = 0
      var i = 0
      let n = html.count
      let base = html.baseAddress!
      func isLevel(_ byte: UInt8) -> Bool { (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(byte) }
      /// Where `byte` next is, at or after `from`.
      func find(_ byte: UInt8, from: Int) -> Int? {
        guard from < n, let found = memchr(base + from, Int32(byte), n - from) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
      }
      /// The next `<hN>`: cmark-gfm starts a heading on a line of its own.
      func opening(from: Int) -> Int? {
        var line: Int? = from == 0 ? 0 : find(0x0A, from: from - 1).map { $0 + 1 }
        while let at = line {
          if at + 3 < n, html[at] == UInt8(ascii: "<"), html[at + 1] == UInt8(ascii: "h"), isLevel(html[at + 2]),
            html[at + 3] == UInt8(ascii: ">")
          {
            return at
          }
          line = find(0x0A, from: at).map { $0 + 1 }
        }
        return nil
      }
      /// The next `</hN>`.
      func closing(from: Int) -> Int? {
        var next = find(UInt8(ascii: "<"), from: from)
        while let at = next {
          if at + 4 < n, html[at + 1] == UInt8(ascii: "/"), html[at + 2] == UInt8(ascii: "h"), isLevel(html[at + 3]),
            html[at + 4] == UInt8(ascii: ">")
          {
            return at
          }
          next = find(UInt8(ascii: "<"), from: at + 1)
        }
        return nil
      }
      // Each heading's `<hN>`, then its `</hN>` (headings hold no heading).
      for mark in marks {
        guard let open = opening(from: i) else {
          preconditionFailure("page \(page) has fewer headings than its scan found")
        }
        guard let close = closing(from: open + 4) else { preconditionFailure("page \(page) leaves a heading open") }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: html[run..<open]))
        Self.appendHeadingStart(level: mark.level, id: mark.id, to: &out)
        out.append(0x0A)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: html[(open + 4)..<close]))
        if out.last != 0x0A { out.append(0x0A) }
        Self.appendHeadingEnd(level: mark.level, id: mark.id, to: &out)
        i = close + 5
        run = i
      }
      precondition(opening(from: i) == nil, "page \(page) has more headings than its scan found")
      out.append(contentsOf: UnsafeBufferPointer(rebasing: html[run...]))
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// `<hN id="ID">`; `<hN>` for a heading with no text, whose id is empty
  /// (HTML allows no empty id, and there is nothing to link to).
  static func appendHeadingStart(level: Int, id: String, to out: inout [UInt8]) {
    precondition((1...6).contains(level), "HTML has six heading levels")
    out += "<h".utf8
    out.append(UInt8(ascii: "0") + UInt8(level))
    guard !id.isEmpty else { return out.append(UInt8(ascii: ">")) }
    out += " id=\"".utf8
    var id = id
    id.withUTF8 { HTML.appendEscaped($0, to: &out) }
    out += "\">".utf8
  }

  /// ` <a class="anchor" href="#ID" ...>#</a></hN>` (`</hN>` for an empty
  /// id).
  static func appendHeadingEnd(level: Int, id: String, to out: inout [UInt8]) {
    precondition((1...6).contains(level), "HTML has six heading levels")
    guard !id.isEmpty else {
      out += "</h".utf8
      out.append(UInt8(ascii: "0") + UInt8(level))
      return out.append(UInt8(ascii: ">"))
    }
    out += " <a class=\"anchor\" href=\"#".utf8
    var id = id
    id.withUTF8 { HTML.appendEscaped($0, to: &out) }
    out += "\" aria-label=\"Link to this heading\">#</a></h".utf8
    out.append(UInt8(ascii: "0") + UInt8(level))
    out += ">".utf8
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
    var numbers: [Int?] = []
    // (Tables and lists sized once: a long file has thousands of entries.)
    let sectionCount = parts.reduce(0) { $0 + $1.sections.count }
    outline.entries.reserveCapacity(sectionCount)
    entryLevels.reserveCapacity(sectionCount)
    numbers.reserveCapacity(sectionCount)
    scans.reserveCapacity(sectionCount + 1)
    outline.lessons.reserveCapacity(sectionCount)
    for part in parts {
      for section in part.sections {
        outline.entries.append(section.entry)
        entryLevels.append(section.level)
        numbers.append(section.number)
        scans.append(section.scan)
      }
    }

    // Lesson numbers, then page paths: lessons claim "N.html" first so a
    // section can never take a lesson's file name.
    for i in outline.entries.indices {
      guard let number = numbers[i] else { continue }
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
    // follow it. (Their HTML is made with each page: see `pageHTML`.)
    let owners = outline.owners
    let headingCount = scans.reduce(0) { $0 + $1.headings.count }
    var slugger = HeadingSlugger(reservingFor: headingCount)
    outline.anchors.reserveCapacity(headingCount)
    outline.headings.reserveCapacity(owners.count)
    for (owner, scan) in zip(owners, scans) {
      var marks: [Heading] = []
      marks.reserveCapacity(scan.headings.count)
      for heading in scan.headings {
        let id = slugger.slug(base: heading.baseID)
        if outline.anchors[id] == nil { outline.anchors[id] = owner }
        var level = heading.level
        if case .entry(let i) = owner {
          if heading.topIndex == 0 {
            outline.entries[i].anchor = id
            level = 1
          } else {
            level = min(6, max(2, level - (entryLevels[i] - 1)))
          }
        }
        marks.append(Heading(id: id, level: level))
      }
      outline.headings.append(marks)
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
