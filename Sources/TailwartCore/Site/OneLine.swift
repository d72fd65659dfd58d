/// Shortens a paragraph to the one line the index and search show.
enum OneLine {
  /// Longest summary, in characters, before it is cut at a word.
  static let limit = 220

  /// Whitespace collapsed, then the first sentence (a `.`, `!` or `?`
  /// followed by a space and a capital letter, or the end), cut at `limit`.
  static func summary(_ text: String) -> String {
    let words = text.split(whereSeparator: { $0.isWhitespace })
    var out = ""
    for (index, word) in words.enumerated() {
      if !out.isEmpty { out += " " }
      out += word
      if let last = word.last, ".!?".contains(last), index + 1 < words.count,
        let next = words[index + 1].first, next.isUppercase
      {
        break
      }
      if out.count > limit { break }
    }
    if out.count > limit {
      var cut = String(out.prefix(limit))
      if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
      out = cut + "…"
    }
    return out
  }
}
