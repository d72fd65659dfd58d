internal import CYAML

/// Bounds that keep a careless or hostile file from hanging or exhausting
/// the machine. Past any of them the load stops with a positioned error.
public struct LoadLimits: Sendable {
  /// Largest file accepted, in bytes.
  public var maxBytes: Int = 1 << 20
  /// Deepest nesting of lists and mappings.
  public var maxDepth: Int = 64
  /// Most nodes the document may have once every alias is expanded (a
  /// "billion laughs" file blows through this in microseconds).
  public var maxNodes: Int = 100_000

  public init() {}
}

/// Reads YAML through the system libyaml event API into `YAMLNode`s with
/// 1-based positions. Refuses everything an inventory never needs: several
/// documents, non-core tags, complex or duplicate keys, merge keys, alias
/// expansion past a budget, deep nesting, non-UTF-8 bytes.
public enum YAMLLoader {
  public static func load(
    _ bytes: [UInt8], file: String, limits: LoadLimits = LoadLimits()
  ) throws(FindingsError) -> YAMLNode {
    try loadDocument(bytes, file: file, limits: limits).root
  }

  /// The root node and every comment, with positions (libyaml drops
  /// comments; a secret pasted into one is still in the repository).
  public static func loadDocument(
    _ bytes: [UInt8], file: String, limits: LoadLimits = LoadLimits()
  ) throws(FindingsError) -> (root: YAMLNode, comments: [Located<String>]) {
    if bytes.count > limits.maxBytes {
      throw FindingsError([
        Finding(
          .error, file: file, at: nil,
          "file is \(bytes.count) bytes; an inventory may be at most \(limits.maxBytes) bytes")
      ])
    }
    if let problem = TextCheck.firstProblem(in: bytes) {
      throw FindingsError([Finding(.error, file: file, at: problem.span, problem.message)])
    }
    var builder = Builder(file: file, limits: limits)
    let root: YAMLNode? = bytes.withUnsafeBufferPointer { buffer in
      builder.run(buffer)
    }
    if !builder.findings.isEmpty { throw FindingsError(builder.findings) }
    guard let root, !(root.isNullScalar) else {
      throw FindingsError([
        Finding(
          .error, file: file, at: SourceSpan(line: 1, column: 1),
          "inventory is empty", help: "start from the inventory.yaml that ships with tailwart")
      ])
    }
    return (root, Comments.find(in: String(decoding: bytes, as: UTF8.self), outside: builder.scalarExtents))
  }
}

/// Comments: a `#` at the start of a line or after a space or tab, outside
/// every scalar, up to the end of its line.
enum Comments {
  /// `extents` are the scalars' start and end, 0-based line and column as
  /// libyaml counts them.
  static func find(in text: String, outside extents: [(start: (Int, Int), end: (Int, Int))]) -> [Located<String>] {
    guard text.utf8.contains(UInt8(ascii: "#")) else { return [] }
    var covered: [Int: [Range<Int>]] = [:]
    for (start, end) in extents {
      if start.0 == end.0 {
        covered[start.0, default: []].append(start.1..<max(end.1, start.1))
      } else {
        covered[start.0, default: []].append(start.1..<Int.max)
        for line in (start.0 + 1)..<end.0 { covered[line, default: []].append(0..<Int.max) }
        covered[end.0, default: []].append(0..<end.1)
      }
    }
    let index = LineIndex(text)
    var out: [Located<String>] = []
    var n = 1
    while let line = index.line(n) {
      defer { n += 1 }
      guard line.utf8.contains(UInt8(ascii: "#")) else { continue }
      let scalars = Array(line.unicodeScalars)
      let ranges = covered[n - 1] ?? []
      for (column, scalar) in scalars.enumerated() where scalar == "#" {
        guard column == 0 || scalars[column - 1] == " " || scalars[column - 1] == "\t" else { continue }
        guard !ranges.contains(where: { $0.contains(column) }) else { continue }
        let body = String(String.UnicodeScalarView(scalars[(column + 1)...]))
        out.append(Located(body, at: SourceSpan(line: n, column: column + 2, length: scalars.count - column - 1)))
        break
      }
    }
    return out
  }
}

extension YAMLNode {
  fileprivate var isNullScalar: Bool {
    if case .scalar(let s) = self { return s.isNull }
    return false
  }
}

/// Checks bytes are UTF-8 text that libyaml reads the way an editor shows
/// it, before libyaml sees them, so the error can say where the first bad
/// byte is. Lines are counted as libyaml and the diagnostics count them (LF,
/// CRLF or a lone CR), columns in characters.
enum TextCheck {
  struct Problem {
    var span: SourceSpan
    var message: String
  }

  static func firstProblem(in bytes: [UInt8]) -> Problem? {
    var line = 1
    var column = 1
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      let width: Int
      switch b {
      case 0x00...0x7F: width = 1
      case 0xC2...0xDF: width = 2
      case 0xE0...0xEF: width = 3
      case 0xF0...0xF4: width = 4
      default: width = 0
      }
      var valid = width > 0 && i + width <= bytes.count
      if valid && width > 1 {
        for k in 1..<width where bytes[i + k] & 0xC0 != 0x80 { valid = false }
        if valid {
          // Overlongs, surrogates and values past U+10FFFF.
          let b1 = bytes[i + 1]
          if b == 0xE0 && b1 < 0xA0 { valid = false }
          if b == 0xED && b1 > 0x9F { valid = false }
          if b == 0xF0 && b1 < 0x90 { valid = false }
          if b == 0xF4 && b1 > 0x8F { valid = false }
        }
      }
      let here = SourceSpan(line: line, column: column)
      if !valid {
        let hex = String(b, radix: 16, uppercase: true)
        return Problem(
          span: here,
          message: "file is not UTF-8 text: byte 0x\(hex.count == 1 ? "0" + hex : hex) cannot start a character here")
      }
      var scalar: UInt32 = width == 1 ? UInt32(b) : UInt32(b) & (0xFF >> (width + 1))
      for k in 1..<max(width, 1) { scalar = scalar << 6 | UInt32(bytes[i + k] & 0x3F) }
      if let message = refusal(scalar) { return Problem(span: here, message: message) }
      if b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
        line += 1
        column = 1
      } else if b != 0x0D && !(i == 0 && scalar == 0xFEFF) {
        column += 1
      }
      i += width
    }
    return nil
  }

  /// Why a character is refused, if it is.
  static func refusal(_ scalar: UInt32) -> String? {
    switch scalar {
    case 0x00:
      return "file contains a NUL byte; an inventory is text, not binary data"
    case 0x09, 0x0A, 0x0D:
      return nil
    case 0x85, 0x2028, 0x2029:
      // libyaml ends a line there, editors mostly do not: a comment's tail
      // would become a live key and every line number after it would be off.
      return "file contains \(name(scalar)), which YAML reads as a line break; use a plain line feed or remove it"
    case 0x01...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF:
      return "file contains the control character \(name(scalar)); YAML allows only printable characters"
    default:
      return nil
    }
  }

  static func name(_ scalar: UInt32) -> String {
    let hex = String(scalar, radix: 16, uppercase: true)
    let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    switch scalar {
    case 0x85: return "\(code) (NEXT LINE)"
    case 0x2028: return "\(code) (LINE SEPARATOR)"
    case 0x2029: return "\(code) (PARAGRAPH SEPARATOR)"
    case 0x1B: return "\(code) (ESCAPE)"
    default: return code
    }
  }
}

/// Turns the libyaml event stream into nodes, collecting findings.
private struct Builder {
  let file: String
  let limits: LoadLimits
  var findings: [Finding] = []
  /// Where every scalar starts and ends (0-based line, column), for
  /// telling comments from `#` inside values.
  var scalarExtents: [(start: (Int, Int), end: (Int, Int))] = []

  /// An open list or mapping. A class, so appending to it is O(1).
  private final class Frame {
    let isMapping: Bool
    let span: SourceSpan
    let anchor: String?
    var items: [YAMLNode] = []
    var entries: [YAMLMapping.Entry] = []
    var pendingKey: YAMLScalar?
    var seen: [String: SourceSpan] = [:]
    var size = 1

    init(isMapping: Bool, span: SourceSpan, anchor: String?) {
      self.isMapping = isMapping
      self.span = span
      self.anchor = anchor
    }
  }

  private var stack: [Frame] = []
  private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
  private var nodeCount = 0
  private var expandedAliases = false
  private var root: YAMLNode?
  private var documents = 0

  init(file: String, limits: LoadLimits) {
    self.file = file
    self.limits = limits
  }

  mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) -> YAMLNode? {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else {
      fail(nil, "cannot start the YAML parser (out of memory)")
      return nil
    }
    defer { yaml_parser_delete(&parser) }
    if let base = buffer.baseAddress {
      yaml_parser_set_input_string(&parser, base, buffer.count)
    } else {
      var empty: UInt8 = 0
      yaml_parser_set_input_string(&parser, &empty, 0)
    }
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

    while true {
      var event = yaml_event_t()
      guard yaml_parser_parse(&parser, &event) == 1 else {
        // Line breaks as libyaml counts them: LF, CRLF, a lone CR.
        var breaks = 0
        for (i, byte) in buffer.enumerated()
        where byte == 0x0A || (byte == 0x0D && (i + 1 == buffer.count || buffer[i + 1] != 0x0A)) {
          breaks += 1
        }
        let lastLine = buffer.last == 0x0A || buffer.last == 0x0D || buffer.isEmpty ? max(breaks, 1) : breaks + 1
        syntaxError(parser, inputLength: buffer.count, lastLine: lastLine)
        return nil
      }
      defer { yaml_event_delete(&event) }
      let type = event.type
      if type == YAML_STREAM_END_EVENT { break }
      guard handle(&event) else { return nil }
    }
    return root
  }

  private mutating func fail(_ span: SourceSpan?, _ message: String, help: String? = nil, notes: [String] = []) {
    findings.append(Finding(.error, file: file, at: span, message, help: help, notes: notes))
  }

  private mutating func syntaxError(_ parser: yaml_parser_t, inputLength: Int, lastLine: Int) {
    let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
    var mark = parser.problem_mark
    if parser.error == YAML_READER_ERROR {
      // Reader errors carry an offset, not a line.
      mark = parser.mark
    }
    var message = "YAML syntax error: \(problem)"
    var notes: [String] = []
    let context = parser.context.map { String(cString: $0) }
    let cm = parser.context_mark
    if Int(mark.index) >= inputLength, context != nil {
      // Ran off the end of the file: point at what was left open instead of
      // at a line that does not exist.
      if !problem.contains("end of stream") { message += " before the end of the file" }
      mark = cm
      notes.append("\(context!) that starts here")
    } else if let context {
      notes.append("\(context) at line \(cm.line + 1), column \(cm.column + 1)")
    }
    if problem.contains("tab") || problem.contains("found character that cannot start any token") {
      message += " (YAML is indented with spaces, never tabs)"
    }
    let line = min(Int(mark.line) + 1, lastLine)
    let column = line == Int(mark.line) + 1 ? Int(mark.column) + 1 : 1
    fail(SourceSpan(line: line, column: column), message, notes: notes)
  }

  private static func span(_ start: yaml_mark_t, _ end: yaml_mark_t) -> SourceSpan {
    let length = end.line == start.line ? Int(end.column) - Int(start.column) : 1
    return SourceSpan(line: Int(start.line) + 1, column: Int(start.column) + 1, length: length)
  }

  private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
    guard let pointer else { return "" }
    return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
  }

  private static func cString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
  }

  private static let coreTags: Set<String> = [
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:float", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "!",
  ]

  private mutating func checkTag(_ tag: String?, _ span: SourceSpan) -> Bool {
    guard let tag else { return true }
    if Self.coreTags.contains(tag) { return true }
    let shown = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst(18) : tag
    fail(span, "YAML tag \(shown) is not allowed; an inventory uses plain strings, numbers, booleans, lists and mappings")
    return false
  }

  /// Handles one event; false stops the parse.
  private mutating func handle(_ event: inout yaml_event_t) -> Bool {
    let span = Self.span(event.start_mark, event.end_mark)
    switch event.type {
    case YAML_DOCUMENT_START_EVENT:
      documents += 1
      if documents > 1 {
        fail(span, "file holds more than one YAML document; an inventory is a single document",
             help: "remove the `---` and everything after it, or merge the documents")
        return false
      }
      return true
    case YAML_SCALAR_EVENT:
      scalarExtents.append(
        ((Int(event.start_mark.line), Int(event.start_mark.column)), (Int(event.end_mark.line), Int(event.end_mark.column))))
      let s = event.data.scalar
      let tag = Self.cString(s.tag)
      guard checkTag(tag, span) else { return false }
      let style: YAMLScalar.Style
      switch s.style {
      case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
      case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
      case YAML_LITERAL_SCALAR_STYLE: style = .literal
      case YAML_FOLDED_SCALAR_STYLE: style = .folded
      default: style = .plain
      }
      // A "!" tag on a plain scalar makes it a string; keep it out of `tag`
      // so `isPlain` is false but no tag shows up in messages.
      var scalar = YAMLScalar(value: Self.string(s.value, Int(s.length)), style: style, tag: tag == "!" ? nil : tag, span: span)
      if tag == "!" && style == .plain { scalar.style = .singleQuoted }
      return add(.scalar(scalar), size: 1, anchor: Self.cString(s.anchor))
    case YAML_ALIAS_EVENT:
      let name = Self.cString(event.data.alias.anchor) ?? ""
      guard let target = anchors[name] else {
        fail(span, "alias *\(name) names no anchor defined before it")
        return false
      }
      expandedAliases = true
      return add(target.node, size: target.size, anchor: nil)
    case YAML_SEQUENCE_START_EVENT:
      let s = event.data.sequence_start
      guard checkTag(Self.cString(s.tag), span), open(span) else { return false }
      stack.append(Frame(isMapping: false, span: span, anchor: Self.cString(s.anchor)))
      return true
    case YAML_MAPPING_START_EVENT:
      let m = event.data.mapping_start
      guard checkTag(Self.cString(m.tag), span), open(span) else { return false }
      stack.append(Frame(isMapping: true, span: span, anchor: Self.cString(m.anchor)))
      return true
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      guard let frame = stack.popLast() else { return true }
      let node: YAMLNode =
        frame.isMapping
        ? .mapping(YAMLMapping(entries: frame.entries, span: frame.span))
        : .sequence(YAMLSequence(items: frame.items, span: frame.span))
      return add(node, size: frame.size, anchor: frame.anchor, counted: true)
    default:
      return true
    }
  }

  private mutating func open(_ span: SourceSpan) -> Bool {
    if stack.count >= limits.maxDepth {
      fail(span, "nesting is deeper than \(limits.maxDepth) levels; an inventory never needs that")
      return false
    }
    nodeCount += 1
    return budget(span)
  }

  /// True while the node count is within the limit; the error names which
  /// limit was hit, and whether aliases made the count grow.
  private mutating func budget(_ span: SourceSpan) -> Bool {
    if nodeCount > limits.maxNodes {
      if expandedAliases {
        fail(
          span, "document expands through aliases to more than \(limits.maxNodes) nodes; refusing to expand it further",
          help: "an inventory needs neither anchors nor aliases; write the values out")
      } else {
        fail(
          span, "document has more than \(limits.maxNodes) nodes (values, lists and mappings); an inventory has a few hundred",
          help: "check that -i names the inventory; nothing generated belongs in it")
      }
      return false
    }
    return true
  }

  /// Adds a finished node to its parent (or as the root). `counted` is true
  /// for containers, whose own node was counted when they opened.
  private mutating func add(_ node: YAMLNode, size: Int, anchor: String?, counted: Bool = false) -> Bool {
    if !counted {
      nodeCount += size
      guard budget(node.span) else { return false }
    }
    if let anchor { anchors[anchor] = (node, size) }
    guard let top = stack.last else {
      root = node
      return true
    }
    top.size += size
    if !top.isMapping {
      top.items.append(node)
    } else if let key = top.pendingKey {
      top.entries.append(YAMLMapping.Entry(key: key, value: node))
      top.pendingKey = nil
    } else {
      guard case .scalar(let key) = node else {
        fail(node.span, "mapping key is \(node.kindDescription); keys must be plain strings")
        return false
      }
      if key.value == "<<" && key.isPlain {
        fail(key.span, "merge keys (<<) are not supported; write the values out")
        return false
      }
      if let first = top.seen[key.value] {
        fail(
          key.span, "duplicate key \(Echo.quoted(key.value))",
          help: "keep one of them; YAML would silently use the last",
          notes: ["first defined at line \(first.start.line), column \(first.start.column)"])
      } else {
        top.seen[key.value] = key.span
      }
      top.pendingKey = key
    }
    return true
  }
}
