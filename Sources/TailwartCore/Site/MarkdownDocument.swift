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

  /// cmark-gfm marks the characters that start an extension's inline syntax
  /// (`~`, and `:` and `w` for autolinks) in a process-wide table when a
  /// parser starts its inline pass, and clears them when it ends: a parser
  /// finishing on one thread would clear them under another one still
  /// reading its inlines, which would then miss strikethrough and autolinks.
  /// `InlineCharacters` keeps them set while any parser reads; where the
  /// library does not go through it, parsers finish one at a time.
  private static let finishing = NSLock()

  /// Whether parsers may finish side by side: the library went through
  /// `InlineCharacters` when a first, one-line document finished.
  static let finishesSideBySide: Bool = {
    _ = registered
    let parser = parse(Array("x\n".utf8), 0..<2)
    finishing.lock()
    let root = cmark_parser_finish(parser)
    finishing.unlock()
    cmark_node_free(root)
    cmark_parser_free(parser)
    return InlineCharacters.state.withLock { $0.called }
  }()

  /// The tree of everything `parser` was fed.
  private static func finish(_ parser: OpaquePointer) -> OpaquePointer {
    if finishesSideBySide { return cmark_parser_finish(parser)! }
    finishing.lock()
    defer { finishing.unlock() }
    return cmark_parser_finish(parser)!
  }

  /// The tree; for a document parsed in pieces kept apart (see `parse`),
  /// only the first piece's.
  let root: MarkdownNode
  /// The other pieces' roots, when the pieces were kept apart.
  private let pieceRoots: [MarkdownNode]
  private let parser: OpaquePointer
  /// Parts of the tree moved out of `root`, one per page; freed with the
  /// document (freeing them from the threads that render them would make
  /// those threads queue on the allocator of the thread that parsed).
  private var fragments = UnsafeMutableBufferPointer<OpaquePointer?>(start: nil, count: 0)
  /// Nodes taken out of the tree while pages were changed side by side,
  /// freed with the document for the same reason: a thread freeing nodes
  /// another thread allocated takes that thread's allocator lock node by
  /// node, and the two threads end up taking turns.
  private var discarded: [MarkdownNode] = []

  /// Parses `bytes` whole (UTF-8; cmark replaces invalid sequences and
  /// NULs). The parser copies what it needs, so the bytes need not outlive
  /// the call.
  convenience init(bytes: [UInt8]) {
    _ = Self.registered
    let parser = Self.parse(bytes, 0..<bytes.count)
    self.init(parser: parser, root: MarkdownNode(Self.finish(parser)))
  }

  /// Parses `bytes`, a long file in up to `pieces` pieces side by side (see
  /// `MarkdownPieces`; the tree is the same either way), and reads each
  /// piece's top-level nodes with `eachPart` (given them, the lines of the
  /// file before the piece, and whether it is the first) on the thread
  /// that parsed it, while other pieces are still being parsed. The parts
  /// come back in file order; a file parsed whole is one part.
  /// `eachPart` must not change the tree.
  ///
  /// With `joinsPieces` false, the pieces' trees are not joined under one
  /// root: `root` then holds the first piece only, and the parts are the
  /// way to the rest. For a caller that moves every node into a page of its
  /// own anyway (`detach`), which can then work on the pieces side by side.
  static func parse<Part>(
    bytes: [UInt8], pieces: Int, minimumPieceBytes: Int = 64 << 10, joinsPieces: Bool = true,
    eachPart: (_ nodes: [MarkdownNode], _ lineOffset: Int, _ first: Bool) -> Part
  ) -> (MarkdownDocument, [Part]) {
    _ = Self.registered
    let cuts = bytes.withUnsafeBufferPointer { MarkdownPieces($0, count: pieces, minimumBytes: minimumPieceBytes) }
    if cuts.pieces.count > 1,
      let (parser, roots, parts) = parse(bytes, in: cuts.pieces, joins: joinsPieces, eachPart: eachPart)
    {
      return (MarkdownDocument(parser: parser, root: roots[0], pieceRoots: Array(roots.dropFirst())), parts)
    }
    let document = MarkdownDocument(bytes: bytes)
    return (document, [eachPart(document.root.children, 0, true)])
  }

  private init(parser: OpaquePointer, root: MarkdownNode, pieceRoots: [MarkdownNode] = []) {
    self.parser = parser
    self.root = root
    self.pieceRoots = pieceRoots
  }

  /// A parser with GitHub's extensions, fed `range` of `bytes`.
  private static func parse(_ bytes: [UInt8], _ range: Range<Int>) -> OpaquePointer {
    let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS)!
    for name in Self.extensionNames {
      guard let ext = cmark_find_syntax_extension(name) else {
        preconditionFailure("libcmark-gfm has no \(name) extension")
      }
      cmark_parser_attach_syntax_extension(parser, ext)
    }
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress, !range.isEmpty else { return }
      base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
        cmark_parser_feed(parser, $0 + range.lowerBound, range.count)
      }
    }
    return parser
  }

  /// Parses the pieces side by side and joins their trees under the first
  /// one's root; nil when a cut turns out not to fall on a top-level
  /// heading of the whole file (then nothing of the pieces is kept).
  ///
  /// Each piece but the last is parsed together with the next piece's first
  /// line: that line must come out as a level-2 heading directly below the
  /// piece's root, which is so only when every block before it was closed.
  private static func parse<Part>(
    _ bytes: [UInt8], in pieces: [MarkdownPieces.Piece], joins: Bool,
    eachPart: (_ nodes: [MarkdownNode], _ lineOffset: Int, _ first: Bool) -> Part
  ) -> (OpaquePointer, [MarkdownNode], [Part])? {
    let parsed = ParallelChunks.each(pieces.count) { k -> (parser: OpaquePointer, root: OpaquePointer, part: Part?) in
      var range = pieces[k].bytes
      var headingLine = 0
      if k + 1 < pieces.count {
        let next = pieces[k + 1]
        let lineEnd = bytes[next.bytes].firstIndex(of: 0x0A).map { $0 + 1 } ?? next.bytes.upperBound
        range = range.lowerBound..<lineEnd
        headingLine = next.line - pieces[k].line + 1
      }
      let parser = parse(bytes, range)
      let root = finish(parser)
      if headingLine > 0 {
        guard let last = cmark_node_last_child(root), cmark_node_get_type(last) == CMARK_NODE_HEADING,
          cmark_node_get_heading_level(last) == 2, cmark_node_get_start_line(last) == Int32(headingLine),
          cmark_node_get_start_column(last) == 1
        else { return (parser, root, nil) }
        cmark_node_unlink(last)
        cmark_node_free(last)
      }
      return (parser, root, eachPart(MarkdownNode(root).children, pieces[k].line - 1, k == 0))
    }
    guard parsed.allSatisfy({ $0.part != nil }) else {
      for piece in parsed {
        cmark_node_free(piece.root)
        cmark_parser_free(piece.parser)
      }
      return nil
    }
    let root = MarkdownNode(parsed[0].root)
    var roots = [root]
    for k in 1..<parsed.count {
      let pieceRoot = MarkdownNode(parsed[k].root)
      if joins {
        pieceRoot.moveChildren(to: root)
        pieceRoot.free()
      } else {
        roots.append(pieceRoot)
      }
      cmark_parser_free(parsed[k].parser)
    }
    return (parsed[0].parser, roots, parsed.map { $0.part! })
  }

  convenience init(_ text: String) { self.init(bytes: Array(text.utf8)) }

  deinit {
    for fragment in fragments { if let fragment { cmark_node_free(fragment) } }
    for node in discarded { node.free() }
    fragments.deallocate()
    root.free()
    for pieceRoot in pieceRoots { pieceRoot.free() }
    cmark_parser_free(parser)
  }

  /// Moves each group of top-level nodes into a fragment of its own, so
  /// pages can be changed and rendered side by side without touching the
  /// nodes they share a parent with. Call once, before any other thread
  /// looks at the tree. Groups under different roots (pieces kept apart)
  /// are moved side by side, a root's at a time: moving a node out changes
  /// its neighbours, which only share its root.
  func detach(_ groups: [[MarkdownNode]]) {
    precondition(fragments.isEmpty, "fragments are made once")
    fragments = .allocate(capacity: groups.count)
    fragments.initialize(repeating: nil)
    // Runs of groups under one root, in order (an empty group joins any).
    var runs: [Range<Int>] = []
    var runParent: MarkdownNode?
    for (i, group) in groups.enumerated() {
      let parent = group.first?.parent
      if runs.isEmpty || (parent != nil && runParent != nil && parent != runParent) {
        runs.append(i..<i + 1)
      } else {
        runs[runs.count - 1] = runs[runs.count - 1].lowerBound..<i + 1
      }
      if let parent { runParent = parent }
    }
    let fragments = Unchecked(fragments)
    _ = ParallelChunks.each(runs.count) { r in
      for i in runs[r] {
        let fragment = MarkdownNode.make(.document)
        for node in groups[i] {
          node.unlink()
          fragment.append(node)
        }
        fragments.value[i] = fragment.pointer
      }
    }
  }

  /// The fragments' buffer, handed to the threads that fill it: each writes
  /// only its own groups' slots.
  private struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
  }

  /// Keeps `nodes`, which are out of the tree (each with its children),
  /// until the document is freed. Not thread-safe: call it once the threads
  /// that took them out are done.
  func keep(_ nodes: [MarkdownNode]) {
    discarded += nodes
  }

  /// `body` given the HTML of fragment `i`, as the bytes cmark-gfm wrote.
  func withFragmentHTML<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    guard let pointer = fragments[i],
      let c = cmark_render_html(pointer, Self.renderOptions, cmark_parser_get_syntax_extensions(parser))
    else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    defer { Foundation.free(c) }
    return c.withMemoryRebound(to: UInt8.self, capacity: 1) { body(UnsafeBufferPointer(start: $0, count: strlen(c))) }
  }

  /// No raw HTML passed through (no `CMARK_OPT_UNSAFE`); table alignment in
  /// `style` attributes, which HTML5 allows where `align` is obsolete.
  private static let renderOptions = CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES

  /// HTML for `node` and its children (see `renderOptions`).
  func html(_ node: MarkdownNode) -> String {
    let extensions = cmark_parser_get_syntax_extensions(parser)
    guard let c = cmark_render_html(node.pointer, Self.renderOptions, extensions) else {
      return ""
    }
    defer { Foundation.free(c) }
    return String(cString: c)
  }
}
