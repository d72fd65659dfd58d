/// Shortens a paragraph to the one line the index and search show.
enum OneLine {
  /// Longest summary, in characters, before it is cut at a word.
  static let limit = 220

  /// Whitespace collapsed, then the first sentence (a `.`, `!` or `?`
  /// followed by a space and a capital letter, or the end), cut at `limit`.
  static func summary(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var pendingSpace = false
    var sentenceEnded = false
    for scalar in text.unicodeScalars {
      if scalar.properties.isWhitespace {
        if !out.isEmpty { pendingSpace = true }
        continue
      }
      if pendingSpace {
        if sentenceEnded, scalar.properties.isUppercase { break }
        out.append(" ")
        pendingSpace = false
      }
      sentenceEnded = scalar == "." || scalar == "!" || scalar == "?"
      out.append(scalar)
      if out.count > limit + 1 { break }
    }
    var line = String(out)
    if out.count > limit {
      var short = String(String.UnicodeScalarView(out.prefix(limit)))
      if let space = short.lastIndex(of: " ") { short = String(short[..<space]) }
      line = short + "…"
    }
    return line
  }
}
