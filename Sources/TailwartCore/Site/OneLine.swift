/// Shortens a paragraph to the one line the index and search show.
enum OneLine {
  /// Longest summary, in characters, before it is cut at a word.
  static let limit = 220

  /// Whitespace collapsed, then the first sentence (a `.`, `!` or `?`
  /// followed by a space and a capital letter, or the end), cut at `limit`.
  static func summary(_ text: String) -> String { asciiSummary(text) ?? scalarSummary(text) }

  /// `summary` read a scalar at a time (any text; the ASCII path must give
  /// the same, which the tests check).
  static func scalarSummary(_ text: String) -> String {
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
    return cut(out, count: count)
  }

  /// `summary` for ASCII text, a byte at a time (each byte is a scalar);
  /// nil when the text is not ASCII.
  private static func asciiSummary(_ text: String) -> String? {
    var text = text
    return text.withUTF8 { bytes -> String? in
      var out: [UInt8] = []
      out.reserveCapacity(min(bytes.count, limit + 2))
      var pendingSpace = false
      var sentenceEnded = false
      for byte in bytes {
        if byte >= 0x80 { return nil }
        if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
          if !out.isEmpty { pendingSpace = true }
          continue
        }
        if pendingSpace {
          if sentenceEnded, (0x41...0x5A).contains(byte) { break }
          out.append(0x20)
          pendingSpace = false
        }
        sentenceEnded = byte == UInt8(ascii: ".") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?")
        out.append(byte)
        if out.count > limit + 1 { break }
      }
      return cut(out, count: out.count)
    }
  }

  /// The line from its bytes (`count` scalars), cut at a word past `limit`.
  private static func cut(_ out: [UInt8], count: Int) -> String {
    var line = String(decoding: out, as: UTF8.self)
    if count > limit {
      var short = String(line.unicodeScalars.prefix(limit))
      if let space = short.lastIndex(of: " ") { short = String(short[..<space]) }
      line = short + "…"
    }
    return line
  }
}
