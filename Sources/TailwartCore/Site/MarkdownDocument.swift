internal import CCmarkGFM

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A Markdown file parsed by the system libcmark-gfm with GitHub's
/// extensions and source positions. Owns the parser (rendering needs its
/// extension list) and the tree; both are freed with the document.
final class MarkdownDocument {
  /// Extensions every parse attaches: GitHub's dialect.
  static let extensionNames = ["table", "autolink", "strikethrough", "tagfilter", "tasklist"]

  /// Registering is process-wide and must happen once before any lookup; a
  /// global `let` runs its initialiser exactly once, even across threads.
  private static let registered: Void = cmark_gfm_core_extensions_ensure_registered()

  /// No raw HTML passed through (no `CMARK_OPT_UNSAFE`); table alignment in
  /// `style` attributes, which HTML5 allows where `align` is obsolete.
  private static let renderOptions = CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES

  let root: MarkdownNode
  private let parser: OpaquePointer
  /// Nodes taken out of the tree (replaced by links, or whole pages' worth
  /// moved into fragments), freed with the document.
  private var owned: [MarkdownNode] = []

  /// Parses `bytes` (UTF-8; cmark replaces NULs). The parser copies what it
  /// needs, so the bytes need not outlive the call.
  init(bytes: [UInt8]) {
    _ = Self.registered
    let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS)!
    for name in Self.extensionNames {
      // (Registered above: every core extension is there.)
      if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
    }
    bytes.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
      }
    }
    self.parser = parser
    root = MarkdownNode(cmark_parser_finish(parser)!)
  }

  convenience init(_ text: String) { self.init(bytes: Array(text.utf8)) }

  deinit {
    for node in owned { node.free() }
    root.free()
    cmark_parser_free(parser)
  }

  /// A new document node holding `nodes` (moved out of the tree, in order),
  /// freed with this document: one page's part of the file.
  func fragment(_ nodes: [MarkdownNode]) -> MarkdownNode {
    let fragment = MarkdownNode(cmark_node_new(CMARK_NODE_DOCUMENT)!)
    for node in nodes {
      node.unlink()
      fragment.append(node)
    }
    owned.append(fragment)
    return fragment
  }

  /// Keeps `node`, taken out of the tree, until the document is freed.
  func keep(_ node: MarkdownNode) { owned.append(node) }

  /// HTML for `node` and its children (see `renderOptions`).
  func html(_ node: MarkdownNode) -> String {
    guard let c = cmark_render_html(node.pointer, Self.renderOptions, cmark_parser_get_syntax_extensions(parser))
    else { return "" }
    defer { free(c) }
    return String(cString: c)
  }
}
