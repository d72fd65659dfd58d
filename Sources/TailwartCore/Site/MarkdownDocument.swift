internal import CCmarkGFM
import Foundation

/// A Markdown file parsed by the system libcmark-gfm with GitHub's
/// extensions and source positions. Owns the parser (rendering needs its
/// extension list) and the tree; both are freed with the document.
final class MarkdownDocument {
  /// Extensions every parse attaches: GitHub's dialect.
  static let extensionNames = ["table", "autolink", "strikethrough", "tagfilter", "tasklist"]

  /// Registering is process-wide and must happen once before any lookup; a
  /// global `let` runs its initialiser exactly once, even across threads.
  private static let registered: Void = cmark_gfm_core_extensions_ensure_registered()

  let root: MarkdownNode
  private let parser: OpaquePointer
  /// Parts of the tree moved out of `root`, one per page; freed with the
  /// document (freeing them from the threads that render them would make
  /// those threads queue on the allocator of the thread that parsed).
  private var fragments = UnsafeMutableBufferPointer<OpaquePointer?>(start: nil, count: 0)

  /// Parses `bytes` (UTF-8; cmark replaces invalid sequences and NULs). The
  /// parser copies what it needs, so the bytes need not outlive the call.
  init(bytes: [UInt8]) {
    _ = Self.registered
    let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS)!
    for name in Self.extensionNames {
      guard let ext = cmark_find_syntax_extension(name) else {
        preconditionFailure("libcmark-gfm has no \(name) extension")
      }
      cmark_parser_attach_syntax_extension(parser, ext)
    }
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
      base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) }
    }
    self.parser = parser
    root = MarkdownNode(cmark_parser_finish(parser))
  }

  convenience init(_ text: String) { self.init(bytes: Array(text.utf8)) }

  deinit {
    for fragment in fragments { if let fragment { cmark_node_free(fragment) } }
    fragments.deallocate()
    root.free()
    cmark_parser_free(parser)
  }

  /// Moves each group of top-level nodes into a fragment of its own, so
  /// pages can be changed and rendered side by side without touching the
  /// nodes they share a parent with. Call once, before any other thread
  /// looks at the tree.
  func detach(_ groups: [[MarkdownNode]]) {
    precondition(fragments.isEmpty, "fragments are made once")
    fragments = .allocate(capacity: groups.count)
    for (i, group) in groups.enumerated() {
      let fragment = MarkdownNode.make(.document)
      for node in group {
        node.unlink()
        fragment.append(node)
      }
      fragments[i] = fragment.pointer
    }
  }

  /// HTML of fragment `i`.
  func renderFragment(_ i: Int) -> String {
    guard let pointer = fragments[i] else { return "" }
    return html(MarkdownNode(pointer))
  }

  /// HTML for `node` and its children. Raw HTML is never passed through
  /// (no `CMARK_OPT_UNSAFE`), and table alignment uses `style` attributes,
  /// which HTML5 allows where `align` is obsolete.
  func html(_ node: MarkdownNode) -> String {
    let extensions = cmark_parser_get_syntax_extensions(parser)
    guard let c = cmark_render_html(node.pointer, CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES, extensions) else {
      return ""
    }
    defer { Foundation.free(c) }
    return String(cString: c)
  }
}
