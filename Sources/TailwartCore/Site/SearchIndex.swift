/// The search index, shipped as a script (`search-index.js`) that sets
/// `window.TAILWART_SEARCH`, so the search page works from `file://` where
/// fetching a JSON file is not allowed.
struct SearchIndex {
  /// Characters of body text kept per page: enough to find a page by the
  /// words in it, small enough that thousands of lessons stay a light file.
  static let textLimit = 1_500

  private var items: [String] = []
  private(set) var count = 0

  /// `url` is relative to the site's root (the search page sits there).
  mutating func add(title: String, url: String, kind: String, summary: String, text: String) {
    var body = text
    if body.count > Self.textLimit {
      body = String(body.prefix(Self.textLimit))
    }
    items.append(
      "{\"t\":\(Self.quote(title)),\"u\":\(Self.quote(url)),\"k\":\(Self.quote(kind)),\"s\":\(Self.quote(summary)),\"x\":\(Self.quote(body))}"
    )
    count += 1
  }

  var script: String {
    "window.TAILWART_SEARCH = [\n" + items.joined(separator: ",\n") + "\n];\n"
  }

  /// A JSON string literal that is also safe inside a script: no raw `<`,
  /// line or paragraph separators, or control characters.
  static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "<": out += "\\u003c"
      case ">": out += "\\u003e"
      case "&": out += "\\u0026"
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
