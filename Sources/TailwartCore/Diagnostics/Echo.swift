/// A value from the input, quoted inside a message. Long values are cut
/// (an 800 KB scalar is not repeated in every message about it); secrets
/// and control characters are dealt with when the message is printed
/// (`TerminalText.safe`).
public enum Echo {
  public static let maxCharacters = 60

  public static func quoted(_ value: String) -> String {
    var scalars = value.unicodeScalars.prefix(maxCharacters + 1).map { $0 }
    if scalars.count > maxCharacters {
      scalars = Array(scalars.prefix(maxCharacters - 1)) + ["…"]
    }
    return "\"" + String(String.UnicodeScalarView(scalars)) + "\""
  }
}
