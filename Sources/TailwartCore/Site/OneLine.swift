/// Shortens a paragraph to the one line the index and search show.
enum OneLine {
  /// Longest summary, in characters, before it is cut at a word.
  static let limit = 220

  /// Whitespace collapsed, then the first sentence (a `.`, `!` or `?`
  /// followed by a space and a capital letter, or the end), cut at `limit`.
  static func summary(_ text: String) -> String {
    // One pass over the scalars: collapse runs of whitespace, stop after a
    // sentence end followed by a capital, or past the limit. The line is
    // built as UTF-8 bytes (appending to a String's scalars costs far more).
    var out: [UInt8] = []
    var pendingSpace = false
    var sentenceEnded = false
    var count = 0
    for scalar in text.unicodeScalars {
      if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r"
        || (!scalar.isASCII && scalar.properties.isWhitespace)
      {
        if !out.isEmpty { pendingSpace = true }
        continue
      }
      if pendingSpace {
        let isCapital = scalar.isASCII ? ("A"..."Z").contains(scalar) : scalar.properties.isUppercase
        if sentenceEnded, isCapital { break }
        out.append(UInt8(ascii: " "))
        count += 1
        pendingSpace = false
      }
      sentenceEnded = scalar == "." || scalar == "!" || scalar == "?"
      UTF8.encode(scalar) { out.append($0) }
      count += 1
      if count > limit + 1 { break }
    }
    var line = String(decoding: out, as: UTF8.self)
    if count > limit {
      var cut = String(line.unicodeScalars.prefix(limit))
      if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
      line = cut + "…"
    }
    return line
  }
}
