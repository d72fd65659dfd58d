/// Escaping for text and attribute values that tailwart writes into pages
/// itself (Markdown goes through cmark-gfm). The same five characters as
/// Mustache's `{{x}}`, so a value reads the same whichever path it took.
enum HTML {
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
