import Foundation

/// The "cross references" step, done on the tree one page at a time, so
/// code is never touched:
/// - "Lesson 6", "Lessons 8/9", "#8/#9", "*Lesson* 9"... in text become
///   link nodes to lesson pages (a number no lesson has is an error),
///   wherever the text sits: paragraphs, headings, lists, table cells,
///   emphasis;
/// - `#anchor` links follow their heading to the page it now lives on (an
///   anchor no heading has is an error);
/// - code spans that name a generated file link to that file's page;
/// - links other than http(s), mailto and in-document anchors are unwrapped
///   to their text (relative links lead nowhere on this site; `javascript:`
///   and `data:` must never be clickable), and remote images become links,
///   so pages load nothing from elsewhere.
/// Every change goes through cmark-gfm's public node API, which refuses a
/// node where it cannot go; a refusal leaves the text as it was.
struct CrossLinker {
  let source: LessonsSource
  let outline: LessonsOutline
  let files: GeneratedFiles
  let document: MarkdownDocument
  private(set) var findings: [Finding] = []
  /// For each entry, the lessons it mentions (document order, no repeats).
  private(set) var mentions: [[Int]]
  /// Each entry's text for the search index, then the index page's.
  private(set) var searchText: [String]

  /// References to lessons the file does not have, so far.
  private var missingReferences = 0

  /// Bytes of text kept per page for search (the index keeps fewer).
  static let searchBytes = 4 * SearchIndex.textLimit

  /// Links every page of `outline`, in document order.
  static func run(source: LessonsSource, outline: LessonsOutline, files: GeneratedFiles, document: MarkdownDocument)
    -> CrossLinker
  {
    var linker = CrossLinker(
      source: source, outline: outline, files: files, document: document,
      mentions: Array(repeating: [], count: outline.entries.count),
      searchText: Array(repeating: "", count: outline.entries.count + 1))
    for owner in outline.owners { linker.link(owner) }
    if linker.missingReferences > maxMissingReported {
      linker.findings.append(
        Finding(
          .error, file: source.file, at: nil,
          "\(linker.missingReferences - maxMissingReported) more references to lessons this file does not have"))
    }
    return linker
  }

  /// What a walk over one page finds to change; the changes come after the
  /// walk, since cmark's iterator must not see the tree change under it.
  private enum Change {
    /// Text leaves (text, soft and hard breaks) read as one string: a run
    /// ends at anything but text and emphasis.
    case run([MarkdownNode])
    case fileName(MarkdownNode, path: String)
    case link(MarkdownNode)
    case image(MarkdownNode)
  }

  mutating func link(_ owner: PageOwner) {
    let page = outline.path(of: owner)
    var changes: [Change] = []
    var run: [MarkdownNode] = []
    var text = ""
    var insideLink = 0
    func endRun() {
      if !run.isEmpty { changes.append(.run(run)) }
      run = []
    }
    func separate() { if let last = text.last, last != " " { text += " " } }
    var walk = MarkdownWalker(outline.content(of: owner))
    while let (node, entering) = walk.next() {
      let kind = node.kind
      switch kind {
      case .text, .softBreak, .lineBreak:
        if text.utf8.count < Self.searchBytes { text += kind == .text ? node.literal ?? "" : " " }
        if insideLink == 0 { run.append(node) }
      case .emphasis, .strong:
        break
      case .extensionNode where node.typeName == "strikethrough":
        break
      default:
        endRun()
        guard entering else {
          if kind == .link || kind == .image { insideLink -= 1 }
          continue
        }
        switch kind {
        case .codeBlock, .htmlBlock, .htmlInline:
          if kind == .codeBlock, text.utf8.count < Self.searchBytes {
            separate()
            text += node.literal ?? ""
          }
          walk.skipChildren(of: node)
        case .code:
          let literal = node.literal ?? ""
          if text.utf8.count < Self.searchBytes { text += literal }
          if insideLink == 0, let path = files.pathNamed(by: literal) { changes.append(.fileName(node, path: path)) }
        case .link, .image:
          insideLink += 1
          changes.append(kind == .link ? .link(node) : .image(node))
        default:
          separate()
        }
      }
    }
    endRun()
    switch owner {
    case .index: searchText[outline.entries.count] = text
    case .entry(let i): searchText[i] = text
    }
    for change in changes {
      switch change {
      case .run(let leaves): linkLessons(in: leaves, page: page, owner: owner)
      case .fileName(let code, let path):
        _ = wrap([code], url: SitePath.relative(from: page, to: SitePath.filePage(path)), title: nil)
      case .link(let node): resolveLink(node, page: page)
      case .image(let node): resolveImage(node)
      }
    }
  }

  // MARK: lesson references

  /// A text leaf of a run and the bytes it holds in the run's text.
  private struct Leaf {
    var node: MarkdownNode
    var range: Range<Int>
  }

  private mutating func linkLessons(in run: [MarkdownNode], page: String, owner: PageOwner) {
    var bytes: [UInt8] = []
    var leaves: [Leaf] = []
    for node in run {
      let start = bytes.count
      if node.kind == .text { bytes += (node.literal ?? "").utf8 } else { bytes.append(0x0A) }
      leaves.append(Leaf(node: node, range: start..<bytes.count))
    }
    let matches = bytes.withUnsafeBufferPointer { LessonReferenceScanner.scan($0) }
    var linked: [(range: Range<Int>, entry: Int)] = []
    var at = 0
    for match in matches {
      guard let target = outline.lessons[match.number] else {
        missingReferences += 1
        guard missingReferences <= Self.maxMissingReported else { continue }
        while at + 1 < leaves.count, leaves[at + 1].range.lowerBound <= match.numberOffset { at += 1 }
        let leaf = leaves[at]
        findings.append(
          Finding(
            .error, file: source.file,
            at: source.span(
              line: leaf.node.line, byteColumn: leaf.node.column + match.numberOffset - leaf.range.lowerBound,
              length: String(match.number).count),
            "reference to lesson \(match.number), which this file does not have", help: lessonHelp))
        continue
      }
      linked.append((match.range, target))
      if case .entry(let i) = owner, i != target, !mentions[i].contains(match.number) {
        mentions[i].append(match.number)
      }
    }
    guard !linked.isEmpty else { return }
    // Every match's start and end becomes a boundary between text nodes
    // (each leaf cut once, into all its pieces), then each match's pieces go
    // into its link: linear in the run, however many references it holds.
    var cuts: [Int] = []
    for (range, _) in linked { cuts += [range.lowerBound, range.upperBound] }
    var pieces: [Leaf] = []
    var next = 0
    for leaf in leaves {
      while next < cuts.count, cuts[next] <= leaf.range.lowerBound { next += 1 }
      var inner: [Int] = []
      while next < cuts.count, cuts[next] < leaf.range.upperBound {
        if inner.last != cuts[next] { inner.append(cuts[next]) }
        next += 1
      }
      pieces += split(leaf, at: inner)
    }
    var piece = 0
    for (range, target) in linked {
      while piece < pieces.count, pieces[piece].range.lowerBound < range.lowerBound { piece += 1 }
      var covered: [MarkdownNode] = []
      while piece < pieces.count, pieces[piece].range.upperBound <= range.upperBound {
        covered.append(pieces[piece].node)
        piece += 1
      }
      let entry = outline.entries[target]
      _ = wrap(covered, url: SitePath.relative(from: page, to: entry.path), title: entry.title)
    }
  }

  /// Errors for references to missing lessons reported per file; the rest
  /// are counted in one more.
  static let maxMissingReported = 100

  /// Cuts a text leaf at the byte offsets `cuts` (inside it, ascending):
  /// the node keeps the first piece, new text nodes after it hold the rest.
  private func split(_ leaf: Leaf, at cuts: [Int]) -> [Leaf] {
    guard !cuts.isEmpty, leaf.node.kind == .text else { return [leaf] }
    let bytes = Array((leaf.node.literal ?? "").utf8)
    let bounds = [leaf.range.lowerBound] + cuts + [leaf.range.upperBound]
    func text(_ k: Int) -> String {
      String(decoding: bytes[(bounds[k] - leaf.range.lowerBound)..<(bounds[k + 1] - leaf.range.lowerBound)], as: UTF8.self)
    }
    var pieces = [Leaf(node: leaf.node, range: bounds[0]..<bounds[1])]
    for k in 1..<(bounds.count - 1) {
      let node = MarkdownNode.text(text(k))
      guard pieces[k - 1].node.insertAfter(node) else {
        // (Never for text beside text.) The last piece keeps the rest.
        node.free()
        pieces[k - 1].range = bounds[k - 1]..<leaf.range.upperBound
        if k > 1 {
          pieces[k - 1].node.literal = String(decoding: bytes[(bounds[k - 1] - leaf.range.lowerBound)...], as: UTF8.self)
          leaf.node.literal = text(0)
        }
        return pieces
      }
      pieces.append(Leaf(node: node, range: bounds[k]..<bounds[k + 1]))
    }
    leaf.node.literal = text(0)
    return pieces
  }

  /// Puts `nodes` (consecutive in the document) inside one new link. When
  /// they sit in different inline containers ("*Lesson* 9"), the link goes
  /// around the containers that hold nothing else; when one holds more
  /// ("*see Lesson* 9"), each container's share gets a link of its own.
  private func wrap(_ nodes: [MarkdownNode], url: String, title: String?) -> Bool {
    guard let first = nodes.first else { return false }
    if nodes.allSatisfy({ $0.parent == first.parent }) { return wrapSiblings(nodes, url: url, title: title) }
    // The nearest ancestor of them all, and its children that hold them.
    var ancestors: [MarkdownNode] = []
    var up = first.parent
    while let node = up {
      ancestors.append(node)
      up = node.parent
    }
    guard
      let common = ancestors.first(where: { ancestor in
        nodes.allSatisfy { node in sequence(first: node, next: \.parent).contains(ancestor) }
      })
    else { return false }
    var lifted: [MarkdownNode] = []
    for node in nodes {
      guard let top = sequence(first: node, next: \.parent).first(where: { $0.parent == common }) else { return false }
      if lifted.last != top { lifted.append(top) }
    }
    let covered = Set(nodes)
    let whole = lifted.allSatisfy { top in
      var walk = MarkdownWalker(top)
      while let (node, entering) = walk.next() {
        if entering, node.firstChild == nil, !covered.contains(node) { return false }
      }
      return true
    }
    if whole { return wrapSiblings(lifted, url: url, title: title) }
    var done = true
    var group: [MarkdownNode] = []
    for node in nodes {
      if let last = group.last, last.parent != node.parent {
        done = wrapSiblings(group, url: url, title: title) && done
        group = []
      }
      group.append(node)
    }
    return wrapSiblings(group, url: url, title: title) && done
  }

  /// Puts `nodes`, consecutive children of one parent, inside a new link.
  private func wrapSiblings(_ nodes: [MarkdownNode], url: String, title: String?) -> Bool {
    guard let first = nodes.first else { return false }
    let link = MarkdownNode.make(.link)
    link.url = url
    if let title, !title.isEmpty { link.title = title }
    guard first.insertBefore(link) else {
      link.free()
      return false
    }
    for node in nodes {
      node.unlink()
      link.append(node)
    }
    return true
  }

  private var lessonHelp: String {
    let numbers = outline.entries.compactMap(\.number)
    guard let low = numbers.min(), let high = numbers.max() else {
      return "the file has no numbered lessons (## N. Title)"
    }
    return numbers.count == high - low + 1
      ? "lessons are numbered \(low) to \(high)"
      : "the lessons are " + numbers.sorted().map(String.init).joined(separator: ", ")
  }

  // MARK: links and images

  private mutating func resolveLink(_ node: MarkdownNode, page: String) {
    let url = node.url ?? ""
    switch LinkTarget(url, ownFile: source.file) {
    case .external:
      return
    case .anchor(let fragment):
      guard !fragment.isEmpty else { return }
      guard let (owner, id) = heading(fragment) else {
        findings.append(
          Finding(
            .error, file: source.file, at: source.span(line: node.line, byteColumn: node.column),
            "link to #\(fragment), which no heading in this file has"))
        return
      }
      let target = outline.path(of: owner)
      node.url = (target == page ? "" : SitePath.relative(from: page, to: target)) + SitePath.fragment(id)
    case .document:
      node.url = SitePath.relative(from: page, to: "index.html")
    case .relative:
      warn(node, "link to \(url) leads outside the lessons file; the site shows its text unlinked")
      unwrap(node, note: "not on this site: \(url)")
    case .unsafe(let scheme):
      warn(node, "\(scheme): link removed; only http, https and mailto links are kept")
      unwrap(node, note: nil)
    }
  }

  private mutating func resolveImage(_ node: MarkdownNode) {
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
      guard node.insertBefore(link) else { return link.free() }
      node.unlink()
      document.keep(node)
    case .unsafe(let scheme):
      warn(node, "\(scheme): image removed; the site shows its description")
      unwrap(node, note: nil)
    default:
      warn(node, "image \(url) is not part of the lessons file; the site shows its description")
      unwrap(node, note: "image not on this site: \(url)")
    }
  }

  private mutating func warn(_ node: MarkdownNode, _ message: String) {
    findings.append(
      Finding(.warning, file: source.file, at: source.span(line: node.line, byteColumn: node.column), message))
  }

  /// The page and id of the heading `fragment` names: as written,
  /// percent-decoded, then ignoring case (GitHub's ids are lowercase).
  private func heading(_ fragment: String) -> (PageOwner, String)? {
    var candidates = [fragment]
    if let decoded = fragment.removingPercentEncoding { candidates.append(decoded) }
    candidates += candidates.map { $0.lowercased() }
    for id in candidates { if let owner = outline.anchors[id] { return (owner, id) } }
    return nil
  }

  /// Replaces a link or image by its text, in a span that says why; where
  /// no span may go (a table cell), by the text alone.
  private func unwrap(_ node: MarkdownNode, note: String?) {
    let span = MarkdownNode.make(.customInline)
    let title = note.map { " title=\"\(HTML.escape($0))\"" } ?? ""
    span.setCustomMarkup(enter: "<span class=\"unlinked\"\(title)>", exit: "</span>")
    let holder: MarkdownNode
    if node.insertBefore(span) {
      holder = span
    } else {
      span.free()
      holder = node
    }
    for child in node.children {
      child.unlink()
      if holder == span {
        span.append(child)
      } else if !node.insertBefore(child) {
        document.keep(child)
      }
    }
    node.unlink()
    document.keep(node)
  }
}
