/// One parsed piece's share of the outline, read on the thread that parsed
/// it while other pieces are still being parsed: its top-level nodes split
/// into the introduction and sections, and what each page's headings and
/// paragraphs say (see `PageScan`). Nothing here changes the tree.
///
/// A level-2 heading "N. Title" starts lesson N; any other level-1 or
/// level-2 heading (except the document's title) starts a section of its
/// own. Everything before the first of them is the introduction, which only
/// the first piece can have: every other piece starts at a level-2 heading.
struct OutlinePart {
  struct Section {
    /// With what its paragraphs say applied (status, summary, messages).
    var entry: SiteEntry
    var level: Int
    var scan: PageScan
    /// The number its title gives it, when it is a level-2 "N. Title"
    /// (whether it keeps it, the whole outline decides).
    var number: Int?
  }

  /// The document's title: the first piece's first node, when it is a
  /// level-1 heading.
  private(set) var titleHeading: MarkdownNode?
  private(set) var intro: [MarkdownNode] = []
  private(set) var introScan: PageScan
  private(set) var sections: [Section] = []

  /// - Parameters:
  ///   - nodes: the piece's top-level nodes, in order.
  ///   - lineOffset: lines of the file before the piece.
  ///   - first: whether the piece starts the file.
  init(_ nodes: [MarkdownNode], lineOffset: Int, first: Bool) {
    if first, let head = nodes.first, head.kind == .heading, head.headingLevel == 1 { titleHeading = head }
    var entries: [SiteEntry] = []
    var levels: [Int] = []
    for node in nodes {
      if node.kind == .heading, node.headingLevel <= 2, node != titleHeading {
        entries.append(
          SiteEntry(
            number: nil, title: node.plainText.trimmed, anchor: "", path: "", line: node.line + lineOffset,
            lineOffset: lineOffset, nodes: [node]))
        levels.append(node.headingLevel)
      } else if entries.isEmpty {
        intro.append(node)
      } else {
        entries[entries.count - 1].nodes.append(node)
      }
    }
    precondition(first || intro.isEmpty, "a piece after the first starts at a heading")
    introScan = PageScan(intro, readsMetadata: false)
    // Side by side when the file was parsed whole (one part for everything).
    let scans = ParallelChunks.map(entries.count) { range in
      range.map { PageScan(entries[$0].nodes, readsMetadata: true) }
    }.flatMap { $0 }
    sections = entries.indices.map { k in
      var entry = entries[k]
      scans[k].metadata.apply(to: &entry)
      return Section(
        entry: entry, level: levels[k], scan: scans[k],
        number: levels[k] == 2 ? LessonsOutline.lessonNumber(entry.title) : nil)
    }
  }
}
