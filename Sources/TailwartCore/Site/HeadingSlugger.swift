/// Heading ids the way GitHub makes them, so `#anchor` links written for
/// GitHub keep working: lowercase, punctuation and symbols dropped, each
/// space a hyphen, and `-1`, `-2`... for the second, third... heading with
/// the same id in the document.
struct HeadingSlugger {
  private var used: [String: Int] = [:]

  init() {}

  /// A slugger with room for about `headings` ids (a long file has
  /// thousands: the table is not regrown on the way).
  init(reservingFor headings: Int) { used.reserveCapacity(headings) }

  /// The id for the next heading with this text (in document order).
  mutating func slug(_ text: String) -> String { slug(base: Self.base(text)) }

  /// The id for the next heading whose id before numbering is `base`.
  mutating func slug(base: String) -> String {
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
    // ASCII needs no Unicode tables; other text is lowercased as GitHub
    // does (JavaScript's toLowerCase) before the filter.
    var copy = text
    let ascii = copy.withUTF8 { text -> String? in
      var bytes: [UInt8] = []
      bytes.reserveCapacity(text.count)
      for b in text {
        switch b {
        case 0x20: bytes.append(0x2D)
        case 0x41...0x5A: bytes.append(b | 0x20)
        case 0x30...0x39, 0x61...0x7A, 0x2D, 0x5F: bytes.append(b)
        case 0x80...: return nil
        default: break
        }
      }
      return String(decoding: bytes, as: UTF8.self)
    }
    if let ascii { return ascii }
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
    if scalar.isASCII {
      let v = scalar.value
      return (0x30...0x39).contains(v) || (0x61...0x7A).contains(v) || (0x41...0x5A).contains(v)
    }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
      .connectorPunctuation:
      return true
    default:
      return false
    }
  }
}
