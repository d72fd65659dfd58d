/// YAML text that means exactly what it says: every string that came from
/// the inventory goes out as a double-quoted scalar, so no value can turn
/// into a number, a boolean, null, a comment or a new key.
public enum YAMLText {
  /// `text` as a YAML double-quoted scalar, quotes included. Characters YAML
  /// does not allow as they are (controls, U+FEFF, line and paragraph
  /// separators) are written as escapes.
  public static func doubleQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\0": out += "\\0"
      case "\u{85}": out += "\\N"
      case "\u{2028}": out += "\\L"
      case "\u{2029}": out += "\\P"
      default:
        if isPrintable(scalar) {
          out.unicodeScalars.append(scalar)
        } else if scalar.value <= 0xFF {
          out += "\\x" + hex(scalar.value, width: 2)
        } else {
          out += "\\u" + hex(scalar.value, width: 4)
        }
      }
    }
    return out + "\""
  }

  /// YAML 1.2's printable set, less the characters escaped above.
  private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF: true
    default: false
    }
  }

  private static func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
