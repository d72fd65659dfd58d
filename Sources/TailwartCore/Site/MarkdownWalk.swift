internal import CCmarkGFM

/// Depth-first walks over a cmark tree with `cmark_iter`, entering and
/// leaving every container. The iterator is freed before `visit` returns.
enum MarkdownWalk {
  enum Step {
    case descend
    /// Do not look inside the node just entered.
    case skipChildren
  }

  /// Calls `body` on entering every node (and on leaving containers) below
  /// and including `root`. The tree must not change during the walk.
  static func visit(_ root: MarkdownNode, _ body: (MarkdownNode, _ entering: Bool) -> Step) {
    guard let iterator = cmark_iter_new(root.pointer) else { return }
    defer { cmark_iter_free(iterator) }
    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { break }
      guard let node = MarkdownNode(cmark_iter_get_node(iterator)) else { continue }
      let entering = event == CMARK_EVENT_ENTER
      if body(node, entering) == .skipChildren && entering && node.firstChild != nil {
        // Jump to the node's exit event: its children are never visited.
        cmark_iter_reset(iterator, node.pointer, CMARK_EVENT_EXIT)
      }
    }
  }
}

/// The same walk as a loop the caller drives (no closure: a hot walk keeps
/// its state in plain locals):
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
