internal import CCmarkGFM
internal import CCmarkNode
import Foundation

/// A node of a cmark-gfm tree: a thin view over the C pointer. The tree (and
/// so every node) belongs to a `MarkdownDocument` or to a node that was
/// detached from it; a view never frees anything itself.
struct MarkdownNode: Hashable {
  enum Kind: Equatable {
    case document, blockQuote, list, item, codeBlock, htmlBlock, customBlock, paragraph, heading, thematicBreak
    case text, softBreak, lineBreak, code, htmlInline, customInline, emphasis, strong, link, image
    /// A node of a syntax extension (table, table_row, strikethrough...);
    /// Debian's headers do not export their type constants, so they are told
    /// apart by name.
    case extensionNode
  }

  let pointer: OpaquePointer

  init(_ pointer: OpaquePointer) { self.pointer = pointer }

  init?(_ pointer: OpaquePointer?) {
    guard let pointer else { return nil }
    self.pointer = pointer
  }

  /// A new node that belongs to nobody until it is inserted into a tree.
  static func make(_ kind: Kind) -> MarkdownNode {
    let type: cmark_node_type
    switch kind {
    case .text: type = CMARK_NODE_TEXT
    case .softBreak: type = CMARK_NODE_SOFTBREAK
    case .link: type = CMARK_NODE_LINK
    case .customInline: type = CMARK_NODE_CUSTOM_INLINE
    case .document: type = CMARK_NODE_DOCUMENT
    case .code: type = CMARK_NODE_CODE
    default: preconditionFailure("tailwart never creates \(kind) nodes")
    }
    return MarkdownNode(cmark_node_new(type))
  }

  static func text(_ literal: String) -> MarkdownNode {
    let node = make(.text)
    node.literal = literal
    return node
  }

  var kind: Kind {
    switch cmark_node_get_type(pointer) {
    case CMARK_NODE_DOCUMENT: .document
    case CMARK_NODE_BLOCK_QUOTE: .blockQuote
    case CMARK_NODE_LIST: .list
    case CMARK_NODE_ITEM: .item
    case CMARK_NODE_CODE_BLOCK: .codeBlock
    case CMARK_NODE_HTML_BLOCK: .htmlBlock
    case CMARK_NODE_CUSTOM_BLOCK: .customBlock
    case CMARK_NODE_PARAGRAPH: .paragraph
    case CMARK_NODE_HEADING: .heading
    case CMARK_NODE_THEMATIC_BREAK: .thematicBreak
    case CMARK_NODE_TEXT: .text
    case CMARK_NODE_SOFTBREAK: .softBreak
    case CMARK_NODE_LINEBREAK: .lineBreak
    case CMARK_NODE_CODE: .code
    case CMARK_NODE_HTML_INLINE: .htmlInline
    case CMARK_NODE_CUSTOM_INLINE: .customInline
    case CMARK_NODE_EMPH: .emphasis
    case CMARK_NODE_STRONG: .strong
    case CMARK_NODE_LINK: .link
    case CMARK_NODE_IMAGE: .image
    default: .extensionNode
    }
  }

  /// The type's name as cmark-gfm spells it ("paragraph", "table_cell").
  var typeName: String { String(cString: cmark_node_get_type_string(pointer)) }

  /// The literal of a text, code, HTML or code block node (nil for others).
  var literal: String? {
    get {
      var length: Int32 = 0
      guard let bytes = tailwart_node_literal(UnsafeRawPointer(pointer), &length) else {
        return hasLiteral ? "" : nil
      }
      return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(length)), as: UTF8.self)
    }
    nonmutating set { Self.withCString(newValue) { cmark_node_set_literal(pointer, $0) } }
  }

  /// The literal through cmark-gfm's own getter, which copies it into a C
  /// string (tests compare `literal` with it).
  var literalFromCmark: String? { cmark_node_get_literal(pointer).map { String(cString: $0) } }

  /// Whether the node is of a kind that has a literal (an empty one reads
  /// as NULL bytes).
  private var hasLiteral: Bool {
    switch cmark_node_get_type(pointer) {
    case CMARK_NODE_HTML_BLOCK, CMARK_NODE_TEXT, CMARK_NODE_HTML_INLINE, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK,
      CMARK_NODE_FOOTNOTE_REFERENCE:
      true
    default: false
    }
  }

  /// The literal's bytes as cmark holds them, without making a String or
  /// a C string (the cross-reference scan looks at every text node; cmark's
  /// own getter copies each literal into a new C string the first time).
  func withLiteralBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    var length: Int32 = 0
    let bytes = tailwart_node_literal(UnsafeRawPointer(pointer), &length)
    return body(UnsafeBufferPointer(start: bytes, count: bytes == nil ? 0 : Int(length)))
  }

  var url: String? {
    get { cmark_node_get_url(pointer).map { String(cString: $0) } }
    nonmutating set { Self.withCString(newValue) { cmark_node_set_url(pointer, $0) } }
  }

  var title: String? {
    get { cmark_node_get_title(pointer).map { String(cString: $0) } }
    nonmutating set { Self.withCString(newValue) { cmark_node_set_title(pointer, $0) } }
  }

  /// Hands `text` to C as a NUL-terminated string, nil as NULL. (Passing a
  /// `String?` to a C pointer directly copies it into a new array first;
  /// `withCString` lends a native string's own storage.)
  private static func withCString(_ text: String?, _ body: (UnsafePointer<CChar>?) -> Void) {
    guard let text else { return body(nil) }
    text.withCString { body($0) }
  }

  var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }

  /// 1-based line where the node starts (0 for nodes cmark gives no position).
  var line: Int { Int(cmark_node_get_start_line(pointer)) }
  /// 1-based byte column where the node starts.
  var column: Int { Int(cmark_node_get_start_column(pointer)) }

  var parent: MarkdownNode? { MarkdownNode(cmark_node_parent(pointer)) }
  var firstChild: MarkdownNode? { MarkdownNode(cmark_node_first_child(pointer)) }
  var next: MarkdownNode? { MarkdownNode(cmark_node_next(pointer)) }
  var previous: MarkdownNode? { MarkdownNode(cmark_node_previous(pointer)) }

  var children: [MarkdownNode] {
    var out: [MarkdownNode] = []
    var child = firstChild
    while let c = child {
      out.append(c)
      child = c.next
    }
    return out
  }

  /// Markup emitted as-is around a custom node's children. The HTML renderer
  /// writes it verbatim, so callers escape what they put in.
  func setCustomMarkup(enter: String, exit: String) {
    cmark_node_set_on_enter(pointer, enter)
    cmark_node_set_on_exit(pointer, exit)
  }

  /// As `setCustomMarkup(enter:exit:)`, both given as UTF-8 bytes that end
  /// in a NUL.
  func setCustomMarkup(enter: [UInt8], exit: [UInt8]) {
    precondition(enter.last == 0 && exit.last == 0, "custom markup is passed as C strings")
    enter.withUnsafeBufferPointer { enter in
      exit.withUnsafeBufferPointer { exit in
        enter.withMemoryRebound(to: CChar.self) { cmark_node_set_on_enter(pointer, $0.baseAddress) }
        exit.withMemoryRebound(to: CChar.self) { cmark_node_set_on_exit(pointer, $0.baseAddress) }
      }
    }
  }

  func insertBefore(_ node: MarkdownNode) {
    let ok = cmark_node_insert_before(pointer, node.pointer)
    precondition(ok == 1, "cmark refused to insert a \(node.typeName) before a \(typeName)")
  }

  func append(_ child: MarkdownNode) {
    let ok = cmark_node_append_child(pointer, child.pointer)
    precondition(ok == 1, "cmark refused to append a \(child.typeName) to a \(typeName)")
  }

  /// Moves every child of this node into `other`, in order.
  func moveChildren(to other: MarkdownNode) {
    while let child = firstChild { other.append(child) }
  }

  /// Detaches the node from its tree; the caller then owns it.
  func unlink() { cmark_node_unlink(pointer) }

  /// Frees the node and its children; it must not be in a tree any more.
  func free() { cmark_node_free(pointer) }

  /// Puts `replacement` where this node is; this node is then out of the
  /// tree, and the caller's to free (or to hand to its document, see
  /// `MarkdownDocument.keep`).
  func replace(with replacement: MarkdownNode) {
    insertBefore(replacement)
    unlink()
  }

  /// The text a reader sees: text and code literals, breaks as spaces.
  var plainText: String {
    var out: [UInt8] = []
    appendPlainText(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  func appendPlainText(to out: inout [UInt8]) {
    var walk = MarkdownWalker(self)
    while let (node, entering) = walk.next() {
      guard entering else { continue }
      switch node.kind {
      case .text, .code:
        node.withLiteralBytes { out.append(contentsOf: $0) }
      case .softBreak, .lineBreak:
        out.append(0x20)
      case .codeBlock:
        node.withLiteralBytes { out.append(contentsOf: $0) }
        out.append(0x20)
      case .paragraph, .heading, .item, .extensionNode, .customBlock:
        if let last = out.last, last != 0x20 { out.append(0x20) }
      default: break
      }
    }
  }

  /// The first text below this node ("Symptom:" of `**Symptom:** ...`),
  /// found without walking the rest.
  var leadingText: MarkdownNode? {
    var node = firstChild
    while let current = node {
      if current.kind == .text { return current }
      node = current.firstChild
    }
    return nil
  }

  /// Whether the node's literal starts with `prefix`, ignoring ASCII case.
  func literalHasPrefix(_ prefix: String) -> Bool {
    withLiteralBytes { bytes in
      var i = 0
      for expected in prefix.utf8 {
        guard i < bytes.count, bytes[i] | 0x20 == expected | 0x20 else { return false }
        i += 1
      }
      return true
    }
  }
}
