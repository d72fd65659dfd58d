import Foundation

/// The "cross references" step, done on the AST so code is never touched:
/// - "Lesson 6", "Lessons 8/9", "#8/#9"... in text become links to lesson
///   pages (a number no lesson has is an error);
/// - `#anchor` links follow their heading to the page it now lives on (an
///   anchor no heading has is an error);
/// - code spans that name a generated file link to that file's page;
/// - links other than http(s), mailto and in-document anchors are unwrapped
///   to their text (relative links lead nowhere on this site; `javascript:`
///   and `data:` must never be clickable), and remote images become links,
///   so pages load nothing from elsewhere.
struct CrossLinker {
  let source: LessonsSource
  let outline: LessonsOutline
  let files: GeneratedFiles
  private(set) var findings: [Finding] = []
  /// For each entry, the lessons it mentions (document order, no repeats).
  private(set) var mentions: [[Int]]
  /// Each page's text for the search index (the index page's last), read
  /// in the same walk: the tree is walked once here, not once per use.
  private(set) var searchText: [String]

  /// Bytes of text kept per page for search; the index keeps fewer.
  static let searchBytes = 8 * SearchIndex.textLimit
  /// Links from entry pages, which all sit in one folder.
  private var entryLinks: FolderLinks
  /// Lesson number to its entry and the link to it from entry pages: the
  /// same few hundred lessons are referred to thousands of times.
  private var entryLessonLinks: [Int: LessonLink] = [:]
  /// Scratch space for `linkLessons`, kept from one run to the next.
  private var runBytes: [UInt8] = []
  private var runParts: [(node: MarkdownNode, range: Range<Int>)] = []
  /// Nodes taken out of the tree, for the document to free (see
  /// `MarkdownDocument.keep`).
  private var discarded: [MarkdownNode] = []

  private struct LessonLink {
    let entry: Int
    /// The link's opening tag, as cmark-gfm would write it.
    let opening: [UInt8]
  }

  init(source: LessonsSource, outline: LessonsOutline, files: GeneratedFiles) {
    self.source = source
    self.outline = outline
    self.files = files
    entryLinks = FolderLinks(page: outline.entries.first?.path ?? "")
    mentions = Array(repeating: [], count: outline.entries.count)
    searchText = Array(repeating: "", count: outline.entries.count + 1)
  }

  /// What a pass over one page finds to change; changes happen after the
  /// walk, since cmark's iterator must not see the tree change under it.
  private enum Change {
    case textRun(MarkdownNode)
    case fileName(MarkdownNode, path: String)
    case link(MarkdownNode)
    case image(MarkdownNode)
  }

  /// What linking the whole document found.
  struct Result {
    var findings: [Finding]
    var mentions: [[Int]]
    var searchText: [String]
  }

  /// Links every page; pages are independent (each lives in a fragment of
  /// its own), so chunks of them are linked side by side and their results
  /// put together in document order.
  /// Nodes the links replace go to `document`, which the pages belong to.
  static func run(
    source: LessonsSource, outline: LessonsOutline, files: GeneratedFiles, document: MarkdownDocument
  ) -> Result {
    let owners = outline.owners
    let chunks = ParallelChunks.map(owners.count) { range in
      var linker = CrossLinker(source: source, outline: outline, files: files)
      for k in range { linker.link(owners[k]) }
      return (range, linker)
    }
    var result = Result(
      findings: [], mentions: Array(repeating: [], count: outline.entries.count),
      searchText: Array(repeating: "", count: outline.entries.count + 1))
    for (range, linker) in chunks {
      result.findings += linker.findings
      document.keep(linker.discarded)
      for k in range {
        switch owners[k] {
        case .index: result.searchText[outline.entries.count] = linker.searchText[outline.entries.count]
        case .entry(let i):
          result.mentions[i] = linker.mentions[i]
          result.searchText[i] = linker.searchText[i]
        }
      }
    }
    return result
  }

  mutating func link(_ owner: PageOwner) {
    let page = outline.path(of: owner)
    var changes: [Change] = []
    var text: [UInt8] = []
    text.reserveCapacity(2 * SearchIndex.textLimit)
    func separate() {
      if let last = text.last, last != 0x20, text.count < Self.searchBytes { text.append(0x20) }
    }
    for top in outline.nodes(of: owner) {
      var insideLink = 0
      var walk = MarkdownWalker(top)
      while let (node, entering) = walk.next() {
        switch node.kind {
        case .codeBlock:
          if text.count < Self.searchBytes {
            separate()
            node.withLiteralBytes { text.append(contentsOf: $0) }
          }
          walk.skipChildren(of: node)
        case .htmlBlock, .htmlInline:
          walk.skipChildren(of: node)
        case .paragraph, .heading, .customBlock, .item, .extensionNode:
          if entering { separate() }
        case .link, .image:
          // (cmark leaves a link or image even when it holds nothing.)
          if entering {
            changes.append(node.kind == .link ? .link(node) : .image(node))
            insideLink += 1
          } else {
            insideLink -= 1
          }
        case .text, .softBreak:
          if text.count < Self.searchBytes {
            if node.kind == .text { node.withLiteralBytes { text.append(contentsOf: $0) } } else { text.append(0x20) }
          }
          // A run of text and soft breaks is scanned once, from its start.
          if entering, insideLink == 0, !Self.isRunPart(node.previous) { changes.append(.textRun(node)) }
        case .lineBreak:
          text.append(0x20)
        case .code:
          if text.count < Self.searchBytes { node.withLiteralBytes { text.append(contentsOf: $0) } }
          if entering, insideLink == 0, let literal = node.literal, let path = files.pathNamed(by: literal) {
            changes.append(.fileName(node, path: path))
          }
        default:
          break
        }
      }
    }
    switch owner {
    case .index: searchText[outline.entries.count] = String(decoding: text, as: UTF8.self)
    case .entry(let i): searchText[i] = String(decoding: text, as: UTF8.self)
    }
    for change in changes {
      switch change {
      case .textRun(let start): linkLessons(in: start, page: page, owner: owner)
      case .fileName(let code, let path):
        wrap(code, url: href(from: page, owner: owner, to: SitePath.filePage(path)), title: nil)
      case .link(let node): resolveLink(node, page: page, owner: owner)
      case .image(let node): resolveImage(node, owner: owner)
      }
    }
  }

  /// The href from `page` (which `owner` has) to `target`.
  private mutating func href(from page: String, owner: PageOwner, to target: String) -> String {
    guard case .entry = owner else { return SitePath.relative(from: page, to: target) }
    return entryLinks.href(to: target)
  }

  private static func isRunPart(_ node: MarkdownNode?) -> Bool {
    guard let node else { return false }
    return node.kind == .text || node.kind == .softBreak
  }

  // MARK: lesson references

  private mutating func linkLessons(in start: MarkdownNode, page: String, owner: PageOwner) {
    // Most runs mention no lesson: they are looked at before anything is
    // copied. (cmark joins adjacent text, so "Lesson" is never split
    // between two of a run's nodes.)
    var node: MarkdownNode? = start
    var mayMatch = false
    while !mayMatch, let current = node, Self.isRunPart(current) {
      current.withLiteralBytes { mayMatch = $0.contains(UInt8(ascii: "#")) || Self.containsLesson($0) }
      node = current.next
    }
    guard mayMatch else { return }

    // The run's text, soft breaks as "\n", and where each node's bytes sit.
    var bytes = runBytes
    var parts = runParts
    bytes.removeAll(keepingCapacity: true)
    parts.removeAll(keepingCapacity: true)
    defer {
      runBytes = bytes
      runParts = parts
    }
    node = start
    while let current = node, Self.isRunPart(current) {
      let begin = bytes.count
      if current.kind == .softBreak {
        bytes.append(0x0A)
      } else {
        current.withLiteralBytes { bytes.append(contentsOf: $0) }
      }
      parts.append((current, begin..<bytes.count))
      node = current.next
    }
    let matches = bytes.withUnsafeBufferPointer { LessonReferenceScanner.scan($0) }
    guard !matches.isEmpty else { return }

    // Where each link goes in the run, and what it links to (apart: the
    // loop below reads the ranges over and over).
    var linked: [Range<Int>] = []
    var targets: [LessonLink] = []
    linked.reserveCapacity(matches.count)
    targets.reserveCapacity(matches.count)
    for match in matches {
      guard let target = lessonLink(match.number, page: page, owner: owner) else {
        let part = parts.last { $0.range.lowerBound <= match.numberOffset } ?? parts[0]
        let digits = String(match.number).count
        let span = source.span(
          line: outline.line(of: part.node, on: owner),
          byteColumn: part.node.column + match.numberOffset - part.range.lowerBound,
          length: digits)
        findings.append(
          Finding(
            .error, file: source.file, at: span, "reference to lesson \(match.number), which this file does not have",
            help: Self.lessonHelp(outline)))
        continue
      }
      linked.append(match.range)
      targets.append(target)
      if case .entry(let i) = owner, i != target.entry, !mentions[i].contains(match.number) {
        mentions[i].append(match.number)
      }
    }
    guard !linked.isEmpty else { return }

    // The run becomes one inline node holding its HTML: the text escaped
    // as cmark-gfm escapes text, with the links around their words (one
    // node instead of a text node and a link per piece: thousands of runs
    // are rebuilt).
    var html: [UInt8] = []
    html.reserveCapacity(bytes.count + linked.count * 64)
    var position = 0
    for (range, target) in zip(linked, targets) {
      Self.appendTextHTML(bytes[position..<range.lowerBound], to: &html)
      html.append(contentsOf: target.opening)
      Self.appendTextHTML(bytes[range], to: &html)
      html.append(contentsOf: "</a>".utf8)
      position = range.upperBound
    }
    Self.appendTextHTML(bytes[position...], to: &html)
    html.append(0)
    let run = MarkdownNode.make(.customInline)
    run.setCustomMarkup(enter: html, exit: [0])
    parts[0].node.insertBefore(run)
    for part in parts {
      part.node.unlink()
      discarded.append(part.node)
    }
  }

  /// Text as cmark-gfm's HTML renderer writes a text node: `&`, `<`, `>`
  /// and `"` escaped, nothing else (a soft break is the "\n" it holds).
  static func appendTextHTML(_ text: ArraySlice<UInt8>, to html: inout [UInt8]) {
    text.withUnsafeBufferPointer { bytes in
      var run = 0
      for i in 0..<bytes.count where bytes[i] <= UInt8(ascii: ">") {
        let escape: StaticString
        switch bytes[i] {
        case UInt8(ascii: "&"): escape = "&amp;"
        case UInt8(ascii: "<"): escape = "&lt;"
        case UInt8(ascii: ">"): escape = "&gt;"
        case UInt8(ascii: "\""): escape = "&quot;"
        default: continue
        }
        html.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
        html.append(contentsOf: UnsafeBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
        run = i + 1
      }
      html.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
    }
  }

  /// `<a href="..." title="...">` as cmark-gfm writes a link's start. The
  /// URL is a path made here (unreserved characters and `/`), which cmark
  /// would write as it is.
  static func linkOpening(url: String, title: String) -> [UInt8] {
    precondition(
      url.utf8.allSatisfy { $0 == UInt8(ascii: "/") || SitePath.isUnreserved($0) },
      "lesson links are plain paths: \(url)")
    var html: [UInt8] = []
    html.append(contentsOf: "<a href=\"".utf8)
    html.append(contentsOf: url.utf8)
    html.append(UInt8(ascii: "\""))
    if !title.isEmpty {
      html.append(contentsOf: " title=\"".utf8)
      appendTextHTML(ArraySlice(title.utf8), to: &html)
      html.append(UInt8(ascii: "\""))
    }
    html.append(UInt8(ascii: ">"))
    return html
  }

  /// The link to lesson `number` from `page`, or nil when there is no such
  /// lesson.
  private mutating func lessonLink(_ number: Int, page: String, owner: PageOwner) -> LessonLink? {
    let fromEntry: Bool
    if case .entry = owner { fromEntry = true } else { fromEntry = false }
    if fromEntry, let known = entryLessonLinks[number] { return known }
    guard let target = outline.lessons[number] else { return nil }
    let link = LessonLink(
      entry: target,
      opening: Self.linkOpening(
        url: href(from: page, owner: owner, to: outline.entries[target].path), title: outline.entries[target].title))
    if fromEntry { entryLessonLinks[number] = link }
    return link
  }

  /// Whether "lesson" is in `bytes`, in any case.
  private static func containsLesson(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count >= 6 else { return false }
    for i in 0...(bytes.count - 6) where bytes[i] | 0x20 == UInt8(ascii: "l") {
      if (1..<6).allSatisfy({ bytes[i + $0] | 0x20 == lesson[$0] }) { return true }
    }
    return false
  }

  private static let lesson = Array("lesson".utf8)

  private static func lessonHelp(_ outline: LessonsOutline) -> String {
    let numbers = outline.entries.compactMap(\.number)
    guard let low = numbers.min(), let high = numbers.max() else {
      return "the file has no numbered lessons (## N. Title)"
    }
    return numbers.count == high - low + 1
      ? "lessons are numbered \(low) to \(high)"
      : "the lessons are " + numbers.sorted().map(String.init).joined(separator: ", ")
  }

  // MARK: links and images

  private mutating func resolveLink(_ node: MarkdownNode, page: String, owner: PageOwner) {
    let url = node.url ?? ""
    switch LinkTarget(url, ownFile: source.file) {
    case .external:
      return
    case .anchor(let fragment):
      guard !fragment.isEmpty else { return }
      guard let (headingOwner, id) = heading(fragment) else {
        findings.append(
          Finding(
            .error, file: source.file,
            at: source.span(line: outline.line(of: node, on: owner), byteColumn: node.column),
            "link to #\(fragment), which no heading in this file has"))
        return
      }
      let target = outline.path(of: headingOwner)
      node.url = (target == page ? "" : href(from: page, owner: owner, to: target)) + SitePath.fragment(id)
    case .document:
      node.url = SitePath.relative(from: page, to: "index.html")
    case .relative:
      findings.append(
        Finding(
          .warning, file: source.file,
          at: source.span(line: outline.line(of: node, on: owner), byteColumn: node.column),
          "link to \(url) leads outside the lessons file; the site shows its text unlinked"))
      unwrap(node, note: "not on this site: \(url)")
    case .unsafe(let scheme):
      findings.append(
        Finding(
          .warning, file: source.file,
          at: source.span(line: outline.line(of: node, on: owner), byteColumn: node.column),
          "\(scheme): link removed; only http, https and mailto links are kept"))
      unwrap(node, note: nil)
    }
  }

  private mutating func resolveImage(_ node: MarkdownNode, owner: PageOwner) {
    let url = node.url ?? ""
    switch LinkTarget(url, ownFile: source.file) {
    case .external where url.lowercased().hasPrefix("http"):
      // A link to the picture instead of the picture: nothing loads from
      // elsewhere when a page opens.
      let link = MarkdownNode.make(.link)
      link.url = url
      link.title = node.title
      let label = node.plainText.trimmed
      link.append(MarkdownNode.text("image: " + (label.isEmpty ? url : label)))
      node.replace(with: link)
      discarded.append(node)
    case .unsafe(let scheme):
      findings.append(
        Finding(
          .warning, file: source.file,
          at: source.span(line: outline.line(of: node, on: owner), byteColumn: node.column),
          "\(scheme): image removed; the site shows its description"))
      unwrap(node, note: nil)
    default:
      findings.append(
        Finding(
          .warning, file: source.file,
          at: source.span(line: outline.line(of: node, on: owner), byteColumn: node.column),
          "image \(url) is not part of the lessons file; the site shows its description"))
      unwrap(node, note: "image not on this site: \(url)")
    }
  }

  /// The page and id of the heading `fragment` names: as written,
  /// percent-decoded, then ignoring case (GitHub's ids are lowercase).
  private func heading(_ fragment: String) -> (PageOwner, String)? {
    // Links written for GitHub usually name the id exactly: look that up
    // before decoding (Foundation's percent decoding is costly per link).
    if let owner = outline.anchors[fragment] { return (owner, fragment) }
    var candidates = [fragment]
    if let decoded = fragment.removingPercentEncoding { candidates.append(decoded) }
    candidates += candidates.map { $0.lowercased() }
    for id in candidates { if let owner = outline.anchors[id] { return (owner, id) } }
    return nil
  }

  /// Puts `node` inside a new link.
  private func wrap(_ node: MarkdownNode, url: String, title: String?) {
    let link = MarkdownNode.make(.link)
    link.url = url
    if let title { link.title = title }
    node.insertBefore(link)
    node.unlink()
    link.append(node)
  }

  /// Replaces a link or image by its text, in a span that says why.
  private mutating func unwrap(_ node: MarkdownNode, note: String?) {
    let span = MarkdownNode.make(.customInline)
    let title = note.map { " title=\"\(HTML.escape($0))\"" } ?? ""
    span.setCustomMarkup(enter: "<span class=\"unlinked\"\(title)>", exit: "</span>")
    node.moveChildren(to: span)
    node.replace(with: span)
    discarded.append(node)
  }
}
