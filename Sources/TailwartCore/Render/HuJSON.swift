/// HuJSON as the tailnet policy file uses it (JWCC: JSON, comments, trailing
/// commas). Used to read back what the ACL renderer wrote before it is
/// trusted, and to quote strings when writing it.
public enum HuJSON {
  /// Policy files nest a handful of levels; anything far deeper is not one.
  public static let defaultMaxDepth = 64

  /// Parses `bytes` strictly: duplicate object names, unknown syntax, bad
  /// UTF-8 and nesting past `maxDepth` are errors with line:column.
  public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(HuJSONError) -> HuJSONValue {
    var parser = HuJSONParser(bytes, maxDepth: maxDepth)
    do {
      return try parser.document()
    } catch {
      throw located(error, in: bytes)
    }
  }

  public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(HuJSONError) -> HuJSONValue {
    try parse(Array(text.utf8), maxDepth: maxDepth)
  }

  /// The same bytes as plain JSON: comments and trailing commas become
  /// spaces (line breaks and tabs inside comments stay), so every offset and
  /// line number still points at the same place.
  public static func standardize(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(HuJSONError) -> [UInt8] {
    var parser = HuJSONParser(bytes, maxDepth: maxDepth)
    do {
      _ = try parser.document()
    } catch {
      throw located(error, in: bytes)
    }
    var out = bytes
    for range in parser.comments {
      for i in range where ![UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains(out[i]) {
        out[i] = UInt8(ascii: " ")
      }
    }
    for i in parser.trailingCommas { out[i] = UInt8(ascii: " ") }
    return out
  }

  /// Compact JSON: the standardized text without whitespace between tokens.
  /// Literals are kept byte for byte.
  public static func minimize(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(HuJSONError) -> [UInt8] {
    var out: [UInt8] = []
    var inString = false
    var escaped = false
    for b in try standardize(bytes, maxDepth: maxDepth) {
      if inString {
        out.append(b)
        if escaped {
          escaped = false
        } else if b == UInt8(ascii: "\\") {
          escaped = true
        } else if b == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch b {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
        continue
      case UInt8(ascii: "\""):
        inString = true
        out.append(b)
      default:
        out.append(b)
      }
    }
    return out
  }

  /// `text` as a JSON string literal: quotes and backslashes escaped,
  /// control characters as `\n`, `\t`… or `\u00XX`.
  public static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}" {
          let digits = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// Parses `bytes` like `parse`, and also says where each value and each
  /// comment was written (byte ranges), for tools that edit a policy file in
  /// place.
  public static func parseLocated(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(HuJSONError) -> LocatedHuJSON {
    var parser = HuJSONParser(bytes, maxDepth: maxDepth)
    let value: HuJSONValue
    do {
      value = try parser.document()
    } catch {
      throw located(error, in: bytes)
    }
    var ranges = parser.valueRanges[...]
    return LocatedHuJSON(value, ranges: &ranges, comments: parser.comments)
  }

  private static func located(_ failure: HuJSONParser.Failure, in bytes: [UInt8]) -> HuJSONError {
    let before = bytes[..<failure.offset]
    let line = 1 + before.count { $0 == UInt8(ascii: "\n") }
    let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
    return HuJSONError(line: line, column: 1 + failure.offset - lineStart, message: failure.message)
  }
}
