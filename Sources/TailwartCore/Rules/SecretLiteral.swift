import Foundation

/// A secret written out in text, recognised by its shape. Only a short,
/// recognisable prefix of it is ever kept for messages: a diagnostic must
/// not copy the secret into logs a second time.
public struct SecretLiteral: Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// `tskey-auth-…`, `tskey-client-…`, `tskey-api-…`: the word after `tskey-`.
    case tailscaleKey(type: String)
    /// A PEM private key block, or base64 DER that decodes to one.
    case privateKey
    /// `scheme://user:password@host`.
    case passwordInURL
    /// `password=…`, `X-Api-Secret: …`: the name before the value.
    case assignment(name: String)
    /// A key with a well-known vendor prefix (`ghp_`, `AKIA`…).
    case vendorToken(vendor: String)
    /// A long mixed-case token with digits and little repetition.
    case randomToken
  }

  public let kind: Kind
  /// Safe to print: where the secret starts, cut off with "…".
  public let shown: String

  public var description: String {
    switch kind {
    case .tailscaleKey(let type):
      let what =
        switch type {
        case "auth": "a Tailscale auth key"
        case "client": "a Tailscale OAuth client secret"
        case "api": "a Tailscale API access token"
        default: "a Tailscale \(type) key"
        }
      return "\(what) (\(shown))"
    case .privateKey: return "a private key (\(shown))"
    case .passwordInURL: return "a password in a URL (\(shown))"
    case .assignment(let name): return "a \(name) value (\(shown))"
    case .vendorToken(let vendor): return "a \(vendor) (\(shown))"
    case .randomToken: return "a secret-looking token (\(shown))"
    }
  }

  /// The first secret in `text`, if any. `randomTokens: false` skips the
  /// entropy guess, for text that is public by design (DNS record data).
  public static func find(in text: String, randomTokens: Bool = true) -> SecretLiteral? {
    // Most values are short names and addresses: rule them out cheaply.
    let length = text.utf8.count
    guard length >= 8 else { return nil }
    if let found = tailscaleKey(in: text) ?? assignment(in: text) { return found }
    if text.contains("PRIVATE KEY"), let found = pemPrivateKey(in: text) { return found }
    if text.contains("://"), let found = passwordInURL(in: text) { return found }
    guard length >= 16 else { return nil }
    return vendorToken(in: text) ?? derPrivateKey(in: text) ?? (randomTokens ? randomToken(in: text) : nil)
  }

  // MARK: shapes, most certain first

  static func tailscaleKey(in text: String) -> SecretLiteral? {
    guard let start = text.range(of: "tskey-") else { return nil }
    let rest = text[start.upperBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    let type = rest.prefix { $0 != "-" }
    let body = rest.dropFirst(type.count + 1)
    guard !type.isEmpty, type.allSatisfy(\.isLowercase), body.count >= 8 else { return nil }
    return SecretLiteral(kind: .tailscaleKey(type: String(type)), shown: "tskey-\(type)-\(body.prefix(4))…")
  }

  static func pemPrivateKey(in text: String) -> SecretLiteral? {
    for line in text.split(whereSeparator: \.isNewline) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("-----BEGIN"), trimmed.contains("PRIVATE KEY") {
        return SecretLiteral(kind: .privateKey, shown: trimmed)
      }
    }
    return nil
  }

  static func derPrivateKey(in text: String) -> SecretLiteral? {
    for token in tokens(of: text, allowing: "+/=") where token.count >= 40 && token.hasPrefix("M") {
      if let bytes = KeyMaterial.decode(base64: String(token)), KeyMaterial(bytes: bytes) == .privateKey {
        return SecretLiteral(kind: .privateKey, shown: "\(token.prefix(6))…")
      }
    }
    return nil
  }

  static func passwordInURL(in text: String) -> SecretLiteral? {
    var rest = Substring(text)
    while let scheme = rest.range(of: "://") {
      let authority = rest[scheme.upperBound...].prefix { !"/?# \t\n\"'".contains($0) }
      rest = rest[scheme.upperBound...]
      guard let at = authority.lastIndex(of: "@") else { continue }
      let userinfo = authority[..<at]
      guard let colon = userinfo.firstIndex(of: ":") else { continue }
      let password = userinfo[userinfo.index(after: colon)...]
      if !isPlaceholder(password) {
        let schemeName = text[..<scheme.lowerBound].reversed().prefix { $0.isLetter }.reversed()
        return SecretLiteral(
          kind: .passwordInURL, shown: "\(String(schemeName))://\(userinfo[..<colon]):…@")
      }
    }
    return nil
  }

  /// Prefixes vendors put on their keys, with how many characters follow.
  static let vendorPrefixes: [(prefix: String, vendor: String, length: Int)] = [
    ("github_pat_", "GitHub token", 20), ("ghp_", "GitHub token", 30), ("gho_", "GitHub token", 30),
    ("ghs_", "GitHub token", 30), ("glpat-", "GitLab token", 20), ("xoxb-", "Slack token", 20),
    ("xoxp-", "Slack token", 20), ("sk_live_", "Stripe key", 20), ("AKIA", "AWS access key", 16),
    ("ASIA", "AWS access key", 16), ("AIza", "Google API key", 35),
  ]

  static func vendorToken(in text: String) -> SecretLiteral? {
    for token in tokens(of: text, allowing: "") {
      for (prefix, vendor, length) in vendorPrefixes where token.hasPrefix(prefix) {
        let body = token.dropFirst(prefix.count)
        if body.count >= length, body.contains(where: \.isNumber) || body.contains(where: \.isUppercase) {
          return SecretLiteral(kind: .vendorToken(vendor: vendor), shown: "\(prefix)\(body.prefix(2))…")
        }
      }
    }
    return nil
  }

  /// Names whose value is a credential when written `name=value` or
  /// `name: value` (also as the end of a longer name: `SPACESHIP_SECRET`).
  static let credentialNames = [
    "password", "passwd", "passphrase", "secret", "token", "apikey", "api_key", "api-key", "access_key",
    "private_key",
  ]

  static func assignment(in text: String) -> SecretLiteral? {
    // One pass: at each `=` or `:`, read the word before it and the value after.
    let chars = Array(text)
    for (index, separator) in chars.enumerated() where separator == "=" || separator == ":" {
      var end = index
      while end > 0, chars[end - 1] == " " { end -= 1 }
      var start = end
      while start > 0, chars[start - 1].isASCII, chars[start - 1].isLetter || "_-".contains(chars[start - 1]) {
        start -= 1
      }
      let word = String(chars[start..<end]).lowercased()
      guard let name = credentialNames.first(where: { word.hasSuffix($0) }) else { continue }
      if word.count > name.count, word.dropLast(name.count).last!.isLetter { continue }
      var cursor = index + 1
      while cursor < chars.count, " \"'".contains(chars[cursor]) { cursor += 1 }
      let value = chars[cursor...].prefix { !" \t\n;,&\"')".contains($0) }
      guard value.count >= 4, !isPlaceholder(Substring(String(value))), !(value.starts(with: ["/", "/"])) else {
        continue
      }
      let written = String(chars[(end - name.count)..<end])
      return SecretLiteral(
        kind: .assignment(name: name.replacingOccurrences(of: "_", with: " ")), shown: "\(written)=…")
    }
    return nil
  }

  static func randomToken(in text: String) -> SecretLiteral? {
    // In a URL, `/` separates path segments rather than belonging to base64.
    let extra = text.contains("://") ? "+=_-" : "+/=_-"
    for token in tokens(of: text, allowing: extra) where looksRandom(token) {
      return SecretLiteral(kind: .randomToken, shown: "\(token.prefix(4))…")
    }
    return nil
  }

  // MARK: pieces

  /// Maximal runs of ASCII letters, digits and `extra`.
  static func tokens(of text: String, allowing extra: String) -> [Substring] {
    text.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) && !extra.contains($0) }
  }

  /// Long, mixed (upper, lower, digit) or long hex, with high character
  /// entropy, and not a hyphenated phrase.
  static func looksRandom(_ token: Substring) -> Bool {
    let core = token.reversed().drop { $0 == "=" }.reversed()
    guard core.count >= 20 else { return false }
    let separators = core.filter { $0 == "-" || $0 == "_" }.count
    guard separators * 8 <= core.count else { return false }
    let upper = core.contains { $0.isUppercase }
    let lower = core.contains { $0.isLowercase }
    let digit = core.contains { $0.isNumber }
    if core.allSatisfy(\.isHexDigit) && !(upper && lower) {
      return core.count >= 32 && digit && (upper || lower) && entropy(core) >= 3.0
    }
    return upper && lower && digit && entropy(core) >= 3.5
  }

  /// Shannon entropy in bits per character.
  static func entropy<C: Collection>(_ characters: C) -> Double where C.Element == Character {
    var counts: [Character: Int] = [:]
    for c in characters { counts[c, default: 0] += 1 }
    let total = Double(characters.count)
    return counts.values.reduce(0) { sum, n in
      let p = Double(n) / total
      return sum - p * log2(p)
    }
  }

  /// `$VAR`, `${VAR}`, `<secret>`, `xxx`, `…`, or a name in capitals
  /// (`SECRET`, `YOUR_KEY`): a stand-in, not a value.
  static func isPlaceholder(_ value: Substring) -> Bool {
    guard let first = value.first else { return true }
    // `?` starts the message of a required variable, `${NAME:?message}`.
    if "$<{%*…?".contains(first) || value.hasPrefix("...") { return true }
    if value.allSatisfy({ "xX*.".contains($0) }) { return true }
    return value.allSatisfy { ($0.isUppercase && $0.isASCII) || $0 == "_" }
  }
}
