/// What the lessons outline needs from one page's part of the document:
/// its headings with their text, and what its paragraphs say about the
/// lesson. Pages are scanned side by side; nothing here changes the tree.
struct PageScan {
  struct Heading {
    /// The heading's id before duplicates are numbered, made from the
    /// text a reader sees.
    var baseID: String
    /// Index among the page's top-level nodes, when the heading is one.
    var topIndex: Int?
    /// Its level in the file (read while the node is at hand: the outline
    /// reads thousands of them later, on one core).
    var level: Int
  }

  private(set) var headings: [Heading] = []
  private(set) var metadata = LessonMetadata()

  /// Scans `nodes` (a page's top-level nodes); paragraphs are read for
  /// metadata only when `readsMetadata` (lesson and section pages).
  init(_ nodes: [MarkdownNode], readsMetadata: Bool) {
    for (k, top) in nodes.enumerated() {
      var walk = MarkdownWalker(top)
      while let (node, entering) = walk.next() {
        guard entering else { continue }
        switch node.kind {
        case .heading:
          headings.append(
            Heading(
              baseID: HeadingSlugger.base(node.plainText), topIndex: node == top ? k : nil, level: node.headingLevel))
          walk.skipChildren(of: node)
        case .paragraph:
          if readsMetadata { metadata.read(node) }
          walk.skipChildren(of: node)
        case .codeBlock, .htmlBlock:
          walk.skipChildren(of: node)
        case .extensionNode where node.typeName.hasPrefix("table"):
          // Table rows and cells hold inline content only: no heading or
          // paragraph below.
          walk.skipChildren(of: node)
        default:
          break
        }
      }
    }
    if readsMetadata { metadata.finish() }
  }
}
