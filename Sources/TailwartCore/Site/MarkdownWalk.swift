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
