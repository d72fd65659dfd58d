/// Heading ids the way GitHub makes them, so `#anchor` links written for
/// GitHub keep working: lowercase, punctuation and symbols dropped, each
/// space a hyphen, and `-1`, `-2`... for the second, third... heading with
/// the same id in the document.
struct HeadingSlugger {
  private var used: [String: Int] = [:]

  /// The id for the next heading with this text (in document order).
  mutating func slug(_ text: String) -> String {
    let base = Self.base(text)
    var id = base
    // As GitHub does: count per base id, and skip numbers another heading
    // already took as its own id ("a-1" written out, then two "a").
    while used[id] != nil {
      let count = (used[base] ?? 0) + 1
      used[base] = count
      id = "\(base)-\(count)"
    }
    used[id] = 0
    return id
  }

  /// The id before duplicates are numbered.
  static func base(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.lowercased().unicodeScalars {
      if scalar == " " {
        out.append("-")
      } else if scalar == "-" || scalar == "_" || isWordScalar(scalar) {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// Letters, marks and digits of any script are kept; everything else
  /// (punctuation, symbols, emoji, control and other space characters) goes.
  private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
      .connectorPunctuation:
      true
    default:
      false
    }
  }
}
