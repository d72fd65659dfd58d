/// Reads JWCC ("JSON with commas and comments"): JSON plus `//` and `/* */`
/// comments and one trailing comma per array or object, nothing else. No
/// single quotes, no unquoted names, no `+1`, no NaN. A duplicate object
/// name is refused rather than "last one wins", as the YAML loader does.
///
/// Errors carry a byte offset; `HuJSON` turns it into line:column. The
/// messages follow Tailscale's parser, so the same text gets the same answer
/// here as from the control plane.
struct HuJSONParser {
  struct Failure: Error {
    var offset: Int
    var message: String
  }

  let bytes: [UInt8]
  let maxDepth: Int
  private(set) var offset = 0
  /// Byte ranges that are not JSON: comments and trailing commas.
  private(set) var comments: [Range<Int>] = []
  private(set) var trailingCommas: [Int] = []
  /// The byte range of every value (object names included), in the order
  /// the values start: a pre-order walk of the parsed tree, for callers that
  /// need to know where a value was written (`HuJSON.parseLocated`).
  private(set) var valueRanges: [Range<Int>] = []

  init(_ bytes: [UInt8], maxDepth: Int) {
    self.bytes = bytes
    self.maxDepth = maxDepth
  }

  /// One value with optional comments and whitespace around it, and
  /// nothing after.
  mutating func document() throws(Failure) -> HuJSONValue {
    try skipExtra()
    let value = try value(depth: 1)
    try skipExtra()
    if offset < bytes.count {
      throw Failure(offset: offset, message: "invalid character \(character(at: offset)) after top-level value")
    }
    return value
  }

  // MARK: values

  private mutating func value(depth: Int) throws(Failure) -> HuJSONValue {
    let start = offset
    let index = valueRanges.count
    valueRanges.append(start..<start)
    let parsed = try valueBody(depth: depth)
    valueRanges[index] = start..<offset
    return parsed
  }

  private mutating func valueBody(depth: Int) throws(Failure) -> HuJSONValue {
    guard offset < bytes.count else { throw Failure(offset: offset, message: "unexpected EOF") }
    switch bytes[offset] {
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      guard depth <= maxDepth else {
        throw Failure(offset: offset, message: "nesting deeper than \(maxDepth) levels")
      }
      return bytes[offset] == UInt8(ascii: "{") ? try object(depth: depth) : try array(depth: depth)
    case UInt8(ascii: "\""):
      return .string(try string())
    default:
      return try literal()
    }
  }

  private mutating func object(depth: Int) throws(Failure) -> HuJSONValue {
    offset += 1
    var members: [HuJSONMember] = []
    var names: Set<String> = []
    var lastComma: Int?
    while true {
      try skipExtra()
      if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
        if let lastComma { trailingCommas.append(lastComma) }
        offset += 1
        return .object(members)
      }
      let nameStart = offset
      // Any value is read here so that `{null: 1}` says what it found.
      guard case .string(let name) = try value(depth: depth + 1) else {
        throw Failure(
          offset: nameStart, message: "invalid character \(character(at: nameStart)) at start of object name")
      }
      guard names.insert(name).inserted else {
        throw Failure(offset: nameStart, message: "duplicate object name \(HuJSON.quote(name))")
      }
      try skipExtra()
      guard offset < bytes.count else { throw Failure(offset: offset, message: "unexpected EOF") }
      guard bytes[offset] == UInt8(ascii: ":") else {
        throw Failure(offset: offset, message: "invalid character \(character(at: offset)) after object name")
      }
      offset += 1
      try skipExtra()
      members.append(HuJSONMember(name: name, value: try value(depth: depth + 1)))
      try skipExtra()
      guard offset < bytes.count else { throw Failure(offset: offset, message: "unexpected EOF") }
      switch bytes[offset] {
      case UInt8(ascii: ","):
        lastComma = offset
        offset += 1
      case UInt8(ascii: "}"):
        offset += 1
        return .object(members)
      default:
        throw Failure(
          offset: offset,
          message: "invalid character \(character(at: offset)) after object value (expecting ',' or '}')")
      }
    }
  }

  private mutating func array(depth: Int) throws(Failure) -> HuJSONValue {
    offset += 1
    var items: [HuJSONValue] = []
    var lastComma: Int?
    while true {
      try skipExtra()
      if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
        if let lastComma { trailingCommas.append(lastComma) }
        offset += 1
        return .array(items)
      }
      items.append(try value(depth: depth + 1))
      try skipExtra()
      guard offset < bytes.count else { throw Failure(offset: offset, message: "unexpected EOF") }
      switch bytes[offset] {
      case UInt8(ascii: ","):
        lastComma = offset
        offset += 1
      case UInt8(ascii: "]"):
        offset += 1
        return .array(items)
      default:
        throw Failure(
          offset: offset, message: "invalid character \(character(at: offset)) after array value (expecting ',' or ']')"
        )
      }
    }
  }

  /// A string literal, decoded. The raw text is found first (up to the
  /// closing quote) and judged as a whole, so an error points at its start.
  private mutating func string() throws(Failure) -> String {
    let start = offset
    offset += 1
    var escaped = false
    while true {
      guard offset < bytes.count else { throw Failure(offset: offset, message: "unexpected EOF") }
      let b = bytes[offset]
      offset += 1
      if escaped {
        escaped = false
      } else if b == UInt8(ascii: "\\") {
        escaped = true
      } else if b == UInt8(ascii: "\"") {
        break
      }
    }
    let raw = bytes[start..<offset]
    guard String(validating: raw, as: UTF8.self) != nil else {
      throw Failure(offset: start, message: "invalid UTF-8 in string")
    }
    guard let decoded = Self.decode(raw.dropFirst().dropLast()) else {
      throw Failure(offset: start, message: "invalid literal: \(Self.excerpt(raw))")
    }
    return decoded
  }

  /// The characters between the quotes with escapes resolved; nil for a
  /// control character, a bad escape or a short `\u`.
  private static func decode(_ body: ArraySlice<UInt8>) -> String? {
    var out: [UInt8] = []
    out.reserveCapacity(body.count)
    var i = body.startIndex
    func hex4(_ at: Int) -> UInt32? {
      guard at + 4 <= body.endIndex else { return nil }
      var value: UInt32 = 0
      for b in body[at..<at + 4] {
        guard let digit = hexValue(b) else { return nil }
        value = value << 4 | digit
      }
      return value
    }
    while i < body.endIndex {
      let b = body[i]
      if b < 0x20 { return nil }
      guard b == UInt8(ascii: "\\") else {
        out.append(b)
        i += 1
        continue
      }
      guard i + 1 < body.endIndex else { return nil }
      let e = body[i + 1]
      i += 2
      switch e {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        guard var unit = hex4(i) else { return nil }
        i += 4
        if (0xD800..<0xDC00).contains(unit), i + 1 < body.endIndex, body[i] == UInt8(ascii: "\\"),
          body[i + 1] == UInt8(ascii: "u"), let low = hex4(i + 2), (0xDC00..<0xE000).contains(low)
        {
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
          i += 6
        }
        // A lone surrogate decodes to U+FFFD, as JSON decoders commonly do.
        let scalar = Unicode.Scalar(unit) ?? "\u{FFFD}"
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
      default:
        return nil
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func hexValue(_ b: UInt8) -> UInt32? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  /// `null`, `true`, `false` or a number. The run of letters, digits and
  /// signs is taken whole, so `+1000` or `nulls` is named in the error.
  private mutating func literal() throws(Failure) -> HuJSONValue {
    let start = offset
    while offset < bytes.count, Self.isLiteralByte(bytes[offset]) { offset += 1 }
    let text = bytes[start..<offset]
    guard !text.isEmpty else {
      throw Failure(offset: start, message: "invalid character \(character(at: start)) at start of value")
    }
    if text.elementsEqual("null".utf8) { return .null }
    if text.elementsEqual("true".utf8) { return .bool(true) }
    if text.elementsEqual("false".utf8) { return .bool(false) }
    guard Self.isNumber(text) else { throw Failure(offset: start, message: "invalid literal: \(Self.excerpt(text))") }
    return .number(String(decoding: text, as: UTF8.self))
  }

  private static func isLiteralByte(_ b: UInt8) -> Bool {
    b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
      || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
  }

  /// RFC 8259 number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  private static func isNumber(_ text: ArraySlice<UInt8>) -> Bool {
    var i = text.startIndex
    func digits() -> Int {
      let from = i
      while i < text.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[i]) { i += 1 }
      return i - from
    }
    if i < text.endIndex, text[i] == UInt8(ascii: "-") { i += 1 }
    guard i < text.endIndex else { return false }
    if text[i] == UInt8(ascii: "0") {
      i += 1
    } else if digits() == 0 {
      return false
    }
    if i < text.endIndex, text[i] == UInt8(ascii: ".") {
      i += 1
      guard digits() > 0 else { return false }
    }
    if i < text.endIndex, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
      i += 1
      if i < text.endIndex, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { return false }
    }
    return i == text.endIndex
  }

  // MARK: whitespace and comments

  private mutating func skipExtra() throws(Failure) {
    while offset < bytes.count {
      switch bytes[offset] {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
        offset += 1
      case UInt8(ascii: "/"):
        guard offset + 1 < bytes.count else { return }
        let end: Int
        switch bytes[offset + 1] {
        case UInt8(ascii: "/"):
          // A line comment needs its newline: a file cannot end inside one.
          guard let newline = bytes[(offset + 2)...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw Failure(offset: offset, message: "unexpected EOF")
          }
          end = newline + 1
        case UInt8(ascii: "*"):
          guard let close = Self.find([UInt8(ascii: "*"), UInt8(ascii: "/")], in: bytes, from: offset + 2) else {
            throw Failure(offset: offset, message: "unexpected EOF")
          }
          end = close + 2
        default:
          return
        }
        guard String(validating: bytes[offset..<end], as: UTF8.self) != nil else {
          throw Failure(offset: offset, message: "invalid UTF-8 in comment")
        }
        comments.append(offset..<end)
        offset = end
      default:
        return
      }
    }
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    var i = start
    while i + needle.count <= haystack.count {
      if haystack[i] == needle[0] && haystack[i + 1] == needle[1] { return i }
      i += 1
    }
    return nil
  }

  // MARK: messages

  /// The character at `at`, quoted as Go's `%q` quotes a rune: printable
  /// characters as themselves, others escaped, a byte that starts no valid
  /// UTF-8 sequence as `\xNN`.
  func character(at: Int) -> String {
    var scalar: Unicode.Scalar?
    for length in 1...4 where at + length <= bytes.count {
      if let s = String(validating: bytes[at..<at + length], as: UTF8.self) {
        scalar = s.unicodeScalars.first
        break
      }
    }
    guard let scalar else { return "'\\x\(Self.hex(UInt32(bytes[at]), width: 2))'" }
    switch scalar {
    case "'": return "'\\''"
    case "\\": return "'\\\\'"
    case "\u{07}": return "'\\a'"
    case "\u{08}": return "'\\b'"
    case "\u{0C}": return "'\\f'"
    case "\n": return "'\\n'"
    case "\r": return "'\\r'"
    case "\t": return "'\\t'"
    case "\u{0B}": return "'\\v'"
    default: break
    }
    if Self.isPrintable(scalar) { return "'\(scalar)'" }
    if scalar.value < 0x20 || scalar.value == 0x7F { return "'\\x\(Self.hex(scalar.value, width: 2))'" }
    if scalar.value < 0x10000 { return "'\\u\(Self.hex(scalar.value, width: 4))'" }
    return "'\\U\(Self.hex(scalar.value, width: 8))'"
  }

  private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " { return true }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark,
      .decimalNumber, .letterNumber, .otherNumber,
      .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation,
      .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
      return true
    default:
      return false
    }
  }

  private static func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  /// A literal as shown in a message: at most 64 bytes of it.
  private static func excerpt(_ text: ArraySlice<UInt8>) -> String {
    let shown = String(decoding: text.prefix(64), as: UTF8.self)
    return text.count > 64 ? shown + "…" : shown
  }
}
