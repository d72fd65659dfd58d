import Foundation
internal import CCmarkGFM

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
    root.free()
    cmark_parser_free(parser)
  }

  /// A new, empty document node that renders with this document's
  /// extensions; the caller frees it.
  func makeFragment() -> MarkdownNode { MarkdownNode.make(.document) }

  /// HTML for `node` and its children. Raw HTML is never passed through
  /// (no `CMARK_OPT_UNSAFE`), and table alignment uses `style` attributes,
  /// which HTML5 allows where `align` is obsolete.
  func html(_ node: MarkdownNode) -> String {
    let extensions = cmark_parser_get_syntax_extensions(parser)
    guard let c = cmark_render_html(node.pointer, CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES, extensions) else { return "" }
    defer { Foundation.free(c) }
    return String(cString: c)
  }
}
