/// Text made safe to print on a terminal. Everything tailwart prints that
/// may hold input text (messages, quoted lines, notes, file names, URLs)
/// passes through `clean`: a hostile file cannot move the cursor, retitle
/// the window, hide text with bidirectional overrides or start a new line
/// inside a diagnostic.
public enum TerminalText {
  /// `text` with C0 controls (tab kept where `keepTabs`), DEL, C1 controls,
  /// Unicode line and paragraph separators, and bidirectional controls each
  /// replaced by U+FFFD. Line feeds are kept only where `keepLineFeeds`.
  public static func clean(_ text: String, keepTabs: Bool = true, keepLineFeeds: Bool = false) -> String {
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if scalar == "\t" && keepTabs || scalar == "\n" && keepLineFeeds || !isUnsafe(scalar) {
        out.append(scalar)
      } else {
        out.append("\u{FFFD}")
      }
    }
    return String(out)
  }

  /// Input text on its way out (terminal, log, JSON): every secret masked
  /// (`SecretLiteral.mask`), then cleaned.
  /// `keepLineFeeds` for formats that escape line feeds themselves.
  public static func safe(_ text: String, keepLineFeeds: Bool = false) -> String {
    clean(SecretLiteral.mask(text), keepLineFeeds: keepLineFeeds)
  }

  static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x00...0x1F, 0x7F...0x9F: true
    case 0x2028, 0x2029: true
    // LRM, RLM, ALM, the embeddings and overrides, the isolates.
    case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }
}
