/// Caddyfile tokens built from inventory values. Host names and ports are
/// plain tokens; anything else is quoted, and characters the Caddyfile would
/// read as structure or placeholders are replaced, never passed through.
public enum CaddyfileText {
  private static let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/-[]@=+,*".unicodeScalars)

  public static func token(_ text: String) -> String {
    if !text.isEmpty, text.unicodeScalars.allSatisfy({ plain.contains($0) }) { return text }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "{", "}": out += "\u{FFFD}"
      default:
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
