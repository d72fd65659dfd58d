/// The 40-bit Global ID of a unique local IPv6 prefix (RFC 4193): the part
/// after `fd` that should be random so two networks never collide when they
/// are joined. A cheap guess at "picked by hand" that a random ID almost
/// never matches (a few in a thousand): all zeros, only a few distinct
/// digits, a run like 12345, or a group spelling a word in hex.
struct ULAGlobalID: Sendable {
  /// Ten hex digits, lowercase.
  let digits: [Character]

  init(_ address: IPv6Address) {
    let hex = address.bytes[1...5].map { byte in
      let text = String(byte, radix: 16)
      return text.count == 1 ? "0" + text : text
    }
    digits = Array(hex.joined())
  }

  /// `fd3c:91e2:5a07::/48`: the prefix the Global ID makes.
  var prefix: String {
    let text = String(digits)
    let groups = [text.prefix(2), text.dropFirst(2).prefix(4), text.dropFirst(6)].map { group -> String in
      let trimmed = group.drop { $0 == "0" }
      return trimmed.isEmpty ? "0" : String(trimmed)
    }
    return "fd\(text.prefix(2)):\(groups[1]):\(groups[2])::/48"
  }

  /// Words people spell in hex (`dead:beef`, `face:b00c`, `7a17:600d` for
  /// "tail good").
  static let words: Set<String> = [
    "dead", "beef", "cafe", "babe", "face", "b00c", "feed", "f00d", "c0de", "fade", "deaf", "bead", "d00d",
    "ba5e", "600d", "7a17", "1337", "abba", "acdc", "c0c0", "add5", "b0b0", "c0ca", "d06e", "5afe", "f00f",
    "1234", "abcd", "4321", "dcba",
  ]

  /// Longer words found anywhere in the ten digits.
  static let longWords = ["c0ffee", "decaf", "deadbeef", "facade", "decade", "5ca1ab1e", "0ff1ce", "c0ded"]

  /// Why the ID looks chosen rather than random; nil when it looks random.
  var notRandomReason: String? {
    let text = String(digits)
    if digits.allSatisfy({ $0 == "0" }) { return "it is all zeros" }
    if Set(digits).count <= 3 { return "it repeats the same few digits" }
    for word in Self.longWords where text.contains(word) { return "it spells \(word)" }
    // Four-digit words on byte boundaries: whole groups (`dead:beef`) and
    // ones across a group's edge (`fdca:fe00::` holds cafe).
    for start in stride(from: 0, through: 6, by: 2) {
      let word = String(text.dropFirst(start).prefix(4))
      if Self.words.contains(word) { return "it spells \(word)" }
    }
    let values = digits.compactMap { $0.hexDigitValue }
    for step in [1, -1] {
      var run = 1
      for i in 1..<values.count {
        run = values[i] == values[i - 1] + step ? run + 1 : 1
        if run >= 5 { return "it counts \(step == 1 ? "up" : "down") digit by digit" }
      }
    }
    return nil
  }
}
