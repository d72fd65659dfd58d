internal import CCmarkGFM

/// A node of a cmark-gfm tree: a thin view over the C pointer, through the
/// library's public API only. The tree (and so every node) belongs to a
/// `MarkdownDocument`; a view never frees anything itself.
struct MarkdownNode: Hashable {
  enum Kind: Equatable {
    case document, blockQuote, list, item, codeBlock, htmlBlock, customBlock, paragraph, heading, thematicBreak
    case text, softBreak, lineBreak, code, htmlInline, customInline, emphasis, strong, link, image
    /// A node of a syntax extension (table, table_cell, strikethrough...);
    /// Debian's headers do not export their type constants, so they are told
    /// apart by name (`typeName`).
    case extensionNode
  }

  let pointer: OpaquePointer

  init(_ pointer: OpaquePointer) { self.pointer = pointer }

  init?(_ pointer: OpaquePointer?) {
    guard let pointer else { return nil }
    self.pointer = pointer
  }

  /// A new node of `kind` (text, link, code, custom block or inline), owned
  /// by nobody until it is put into a tree.
  static func make(_ kind: Kind) -> MarkdownNode {
    let type: cmark_node_type
    switch kind {
    case .text: type = CMARK_NODE_TEXT
    case .link: type = CMARK_NODE_LINK
    case .customInline: type = CMARK_NODE_CUSTOM_INLINE
    case .customBlock: type = CMARK_NODE_CUSTOM_BLOCK
    default: type = CMARK_NODE_TEXT
    }
    return MarkdownNode(cmark_node_new(type)!)
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
    get { cmark_node_get_literal(pointer).map { String(cString: $0) } }
    nonmutating set { _ = cmark_node_set_literal(pointer, newValue) }
  }

  var url: String? {
    get { cmark_node_get_url(pointer).map { String(cString: $0) } }
    nonmutating set { _ = cmark_node_set_url(pointer, newValue) }
  }

  var title: String? {
    get { cmark_node_get_title(pointer).map { String(cString: $0) } }
    nonmutating set { _ = cmark_node_set_title(pointer, newValue) }
  }

  var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }

  /// 1-based line where the node starts (0 for nodes cmark gives no position).
  var line: Int { Int(cmark_node_get_start_line(pointer)) }
  /// 1-based byte column where the node starts.
  var column: Int { Int(cmark_node_get_start_column(pointer)) }

  var parent: MarkdownNode? { MarkdownNode(cmark_node_parent(pointer)) }
  var firstChild: MarkdownNode? { MarkdownNode(cmark_node_first_child(pointer)) }
  var next: MarkdownNode? { MarkdownNode(cmark_node_next(pointer)) }

  var children: [MarkdownNode] {
    var out: [MarkdownNode] = []
    var child = firstChild
    while let c = child {
      out.append(c)
      child = c.next
    }
    return out
  }

  /// Markup a custom node writes around its children, as it is: callers
  /// escape what they put in.
  func setCustomMarkup(enter: String, exit: String) {
    _ = cmark_node_set_on_enter(pointer, enter)
    _ = cmark_node_set_on_exit(pointer, exit)
  }

  /// Puts `node` just before this one. False when cmark refuses (a table
  /// cell takes only some kinds of inline), and then nothing changed.
  @discardableResult
  func insertBefore(_ node: MarkdownNode) -> Bool { cmark_node_insert_before(pointer, node.pointer) == 1 }

  @discardableResult
  func insertAfter(_ node: MarkdownNode) -> Bool { cmark_node_insert_after(pointer, node.pointer) == 1 }

  @discardableResult
  func append(_ child: MarkdownNode) -> Bool { cmark_node_append_child(pointer, child.pointer) == 1 }

  /// Takes the node out of its tree; the caller then owns it.
  func unlink() { cmark_node_unlink(pointer) }

  /// Frees the node and its children; it must not be in a tree.
  func free() { cmark_node_free(pointer) }

  /// The text a reader sees: text and code literals, breaks as spaces.
  var plainText: String {
    var out = ""
    var walk = MarkdownWalker(self)
    while let (node, entering) = walk.next() {
      guard entering else { continue }
      switch node.kind {
      case .text, .code: out += node.literal ?? ""
      case .softBreak, .lineBreak: out += " "
      case .codeBlock: out += (node.literal ?? "") + " "
      case .paragraph, .heading, .item, .extensionNode, .customBlock:
        if let last = out.last, last != " " { out += " " }
      default: break
      }
    }
    return out
  }
}
