internal import CCmarkGFM

/// A depth-first walk over a cmark tree with `cmark_iter`, entering and
/// leaving every container, as a loop the caller drives (no closure: a hot
/// walk keeps its state in plain locals). The tree must not change during
/// the walk; the iterator is freed with the walker.
///
///     var walk = MarkdownWalker(root)
///     while let (node, entering) = walk.next() { ... walk.skipChildren(of: node) ... }
struct MarkdownWalker: ~Copyable {
  private let iterator: OpaquePointer?

  init(_ root: MarkdownNode) { iterator = cmark_iter_new(root.pointer) }

  deinit { if let iterator { cmark_iter_free(iterator) } }

  /// The next node, and whether it is being entered (containers are also
  /// left); nil at the end.
  mutating func next() -> (node: MarkdownNode, entering: Bool)? {
    guard let iterator else { return nil }
    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { return nil }
      if let node = MarkdownNode(cmark_iter_get_node(iterator)) { return (node, event == CMARK_EVENT_ENTER) }
    }
  }

  /// Skips the children of `node`, just entered: the next step leaves it.
  mutating func skipChildren(of node: MarkdownNode) {
    guard let iterator, node.firstChild != nil else { return }
    cmark_iter_reset(iterator, node.pointer, CMARK_EVENT_EXIT)
  }
}
