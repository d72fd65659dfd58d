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

  /// A secret found in a text: what it is and where (offsets in Unicode
  /// scalars, so a caller can mask exactly those characters).
  public struct Match: Sendable, Equatable {
    public var literal: SecretLiteral
    public var range: Range<Int>
  }

  /// The first secret in `text`, if any (the most certain shape first).
  /// `randomTokens: false` skips the entropy guess, for text that is public
  /// by design (DNS record data).
  public static func find(in text: String, randomTokens: Bool = true) -> SecretLiteral? {
    matches(in: text, randomTokens: randomTokens).first?.literal
  }

  /// Every secret in `text`, the most certain shapes first.
  public static func matches(in text: String, randomTokens: Bool = true) -> [Match] {
    matches(in: text, randomTokens: randomTokens, pathSegments: false)
  }

  /// `pathSegments`: `/` ends a random-looking token (a path's folders are
  /// judged one by one: `/tmp/tmp.DhHgzl21kp/inventory.yaml` is no secret).
  static func matches(in text: String, randomTokens: Bool, pathSegments: Bool) -> [Match] {
    // Most values are short names and addresses: rule them out cheaply.
    guard text.utf8.count >= 8 else { return [] }
    let u = Array(text.unicodeScalars)
    var found = tailscaleKeys(u) + (u.count >= 16 ? vendorTokens(u) : []) + pemPrivateKeys(u) + passwordsInURLs(u)
    found += assignments(u)
    guard u.count >= 16 else { return found }
    found += derPrivateKeys(u)
    if randomTokens { found += self.randomTokens(u, pathSegments: pathSegments) }
    return found
  }

  /// `text` with every secret in it masked: the first few characters kept
  /// (so its owner knows which one), the rest replaced by `•`, one for one
  /// (carets under the line stay in place). Every echo of input text —
  /// quoted lines, values inside messages, URLs in `see:` lines, JSON —
  /// goes through this one function before it is printed.
  public static func mask(_ text: String) -> String {
    let found = matches(in: text, randomTokens: true, pathSegments: true).filter { !isPublicByNature($0, in: text) }
    guard !found.isEmpty else { return text }
    var u = Array(text.unicodeScalars)
    for match in found {
      let keep = min(4, match.range.count / 4)
      for i in (match.range.lowerBound + keep)..<match.range.upperBound where !isLineBreak(u[i]) { u[i] = "•" }
    }
    return String(String.UnicodeScalarView(u))
  }

  /// Random-looking text that is published on purpose: a public key, an
  /// image digest. Only the entropy guess can take it for a secret.
  static func isPublicByNature(_ match: Match, in text: String) -> Bool {
    guard match.literal.kind == .randomToken else { return false }
    let u = Array(text.unicodeScalars)
    let before = String(String.UnicodeScalarView(u[max(0, match.range.lowerBound - 7)..<match.range.lowerBound]))
    if before.hasSuffix("sha256:") || before.hasSuffix("sha1:") || before.hasSuffix("p=") { return true }
    let token = String(String.UnicodeScalarView(u[match.range]))
    guard let bytes = KeyMaterial.decode(base64: token) else { return false }
    switch KeyMaterial(bytes: bytes) {
    case .publicKeyInfo, .rsaPublicKey: return true
    default: return false
    }
  }

  // MARK: shapes, most certain first

  static func tailscaleKeys(_ u: [Unicode.Scalar]) -> [Match] {
    var out: [Match] = []
    for range in tokens(u, allowing: "-_") where starts(u, range, with: "tskey-") {
      let rest = u[(range.lowerBound + 6)..<range.upperBound]
      let type = rest.prefix { ("a"..."z").contains($0) }
      let body = rest.dropFirst(type.count + 1)
      guard !type.isEmpty, rest.count > type.count, rest[rest.startIndex + type.count] == "-", body.count >= 8 else {
        continue
      }
      let name = string(type)
      out.append(
        Match(
          literal: SecretLiteral(kind: .tailscaleKey(type: name), shown: "tskey-\(name)-\(string(body.prefix(4)))…"),
          range: range))
    }
    return out
  }

  static func pemPrivateKeys(_ u: [Unicode.Scalar]) -> [Match] {
    var out: [Match] = []
    var i = 0
    while let begin = index(of: "-----BEGIN", in: u, from: i) {
      let lineEnd = u[begin...].firstIndex(where: isLineBreak) ?? u.count
      let header = string(u[begin..<lineEnd]).trimmingCharacters(in: .whitespaces)
      i = lineEnd
      guard header.contains("PRIVATE KEY") else { continue }
      var end = u.count
      if let close = index(of: "-----END", in: u, from: lineEnd) {
        end = u[close...].firstIndex(where: isLineBreak) ?? u.count
      }
      out.append(Match(literal: SecretLiteral(kind: .privateKey, shown: header), range: begin..<end))
      i = end
    }
    return out
  }

  static func derPrivateKeys(_ u: [Unicode.Scalar]) -> [Match] {
    var out: [Match] = []
    for range in tokens(u, allowing: "+/=") where range.count >= 40 && u[range.lowerBound] == "M" {
      let token = string(u[range])
      if let bytes = KeyMaterial.decode(base64: token), KeyMaterial(bytes: bytes) == .privateKey {
        out.append(Match(literal: SecretLiteral(kind: .privateKey, shown: "\(token.prefix(6))…"), range: range))
      }
    }
    return out
  }

  static func passwordsInURLs(_ u: [Unicode.Scalar]) -> [Match] {
    var out: [Match] = []
    var i = 0
    while let scheme = index(of: "://", in: u, from: i) {
      let start = scheme + 3
      i = start
      let end = u[start...].firstIndex { "/?# \t\n\r\"'<>".unicodeScalars.contains($0) } ?? u.count
      guard let at = u[start..<end].lastIndex(of: "@"), let colon = u[start..<at].firstIndex(of: ":") else { continue }
      let password = u[(colon + 1)..<at]
      guard !password.isEmpty, !isPlaceholder(Substring(string(password))) else { continue }
      let schemeName = string(u[..<scheme].reversed().prefix { $0.properties.isAlphabetic }.reversed())
      out.append(
        Match(
          literal: SecretLiteral(kind: .passwordInURL, shown: "\(schemeName)://\(string(u[start..<colon])):…@"),
          range: (colon + 1)..<at))
    }
    return out
  }

  /// Prefixes vendors put on their keys, with how many characters at least
  /// follow. The prefixes hold `_` and `-`, so tokens are cut only at
  /// other characters.
  static let vendorPrefixes: [(prefix: String, vendor: String, length: Int)] = [
    ("github_pat_", "GitHub token", 20), ("ghp_", "GitHub token", 30), ("gho_", "GitHub token", 30),
    ("ghu_", "GitHub token", 30), ("ghs_", "GitHub token", 30), ("ghr_", "GitHub token", 30),
    ("glpat-", "GitLab token", 20), ("gldt-", "GitLab token", 20), ("glrt-", "GitLab token", 20),
    ("xoxb-", "Slack token", 20), ("xoxp-", "Slack token", 20), ("xoxa-", "Slack token", 20),
    ("xoxs-", "Slack token", 20), ("xapp-", "Slack token", 20), ("sk_live_", "Stripe key", 20),
    ("rk_live_", "Stripe key", 20), ("sk_test_", "Stripe key", 20), ("whsec_", "Stripe webhook secret", 24),
    ("sk-ant-", "Anthropic key", 30), ("sk-proj-", "OpenAI key", 30), ("npm_", "npm token", 30),
    ("pypi-", "PyPI token", 40), ("hf_", "Hugging Face token", 30), ("dop_v1_", "DigitalOcean token", 40),
    ("shpat_", "Shopify token", 30), ("glsa_", "Grafana token", 30), ("dckr_pat_", "Docker Hub token", 20),
    ("AKIA", "AWS access key", 16), ("ASIA", "AWS access key", 16), ("AIza", "Google API key", 35),
  ]

  static func vendorTokens(_ u: [Unicode.Scalar]) -> [Match] {
    var out: [Match] = []
    for range in tokens(u, allowing: "-_") {
      for (prefix, vendor, length) in vendorPrefixes where starts(u, range, with: prefix) {
        let body = u[(range.lowerBound + prefix.unicodeScalars.count)..<range.upperBound]
        if body.count >= length, body.contains(where: { ("0"..."9").contains($0) || ("A"..."Z").contains($0) }) {
          out.append(
            Match(
              literal: SecretLiteral(kind: .vendorToken(vendor: vendor), shown: "\(prefix)\(string(body.prefix(2)))…"),
              range: range))
          break
        }
      }
    }
    return out
  }

  /// Names whose value is a credential when written `name=value` or
  /// `name: value` (also as the end of a longer name: `SPACESHIP_SECRET`,
  /// `db_pass`, but not `bypass` or `compass`).
  static let credentialNames = [
    "password", "passwd", "passphrase", "pass", "pwd", "secret", "token", "apikey", "api_key", "api-key",
    "access_key", "private_key", "credentials",
  ]

  static func assignments(_ u: [Unicode.Scalar]) -> [Match] {
    var out: [Match] = []
    for index in u.indices where u[index] == "=" || u[index] == ":" {
      var end = index
      while end > 0, " \t\"'".unicodeScalars.contains(u[end - 1]) { end -= 1 }
      var start = end
      while start > 0, end - start < 64, u[start - 1].isASCII,
        u[start - 1].properties.isAlphabetic || "_-".unicodeScalars.contains(u[start - 1])
      {
        start -= 1
      }
      let word = string(u[start..<end]).lowercased()
      guard let name = credentialNames.first(where: { word.hasSuffix($0) }) else { continue }
      if word.count > name.count, word.dropLast(name.count).last!.isLetter { continue }
      var cursor = index + 1
      if cursor < u.count, u[cursor] == "=" || u[cursor] == ":" { continue }
      while cursor < u.count, " \t\"'".unicodeScalars.contains(u[cursor]) { cursor += 1 }
      let valueEnd = u[cursor...].firstIndex { " \t\n\r;,&\"')}]".unicodeScalars.contains($0) } ?? u.count
      let value = string(u[cursor..<valueEnd])
      guard value.count >= 4, !isPlaceholder(Substring(value)), !value.hasPrefix("/"), !value.hasPrefix("~"),
        !["true", "false", "null", "none", "required", "optional"].contains(value.lowercased()),
        !value.allSatisfy(\.isNumber)
      else { continue }
      let written = string(u[(end - name.count)..<end])
      out.append(
        Match(
          literal: SecretLiteral(
            kind: .assignment(name: name.replacingOccurrences(of: "_", with: " ")), shown: "\(written)=…"),
          range: cursor..<valueEnd))
    }
    return out
  }

  static func randomTokens(_ u: [Unicode.Scalar], pathSegments: Bool = false) -> [Match] {
    // In a URL or a path, `/` separates segments rather than belonging to
    // base64.
    let extra = pathSegments || index(of: "://", in: u, from: 0) != nil ? "+=_-" : "+/=_-"
    return tokens(u, allowing: extra).filter { looksRandom(Substring(string(u[$0]))) }.map {
      Match(literal: SecretLiteral(kind: .randomToken, shown: "\(string(u[$0].prefix(4)))…"), range: $0)
    }
  }

  // MARK: pieces

  /// Maximal runs of ASCII letters, digits and `extra`, as ranges.
  static func tokens(_ u: [Unicode.Scalar], allowing extra: String) -> [Range<Int>] {
    let extra = Set(extra.unicodeScalars)
    var out: [Range<Int>] = []
    var start: Int?
    for i in 0...u.count {
      let inside =
        i < u.count
        && (("a"..."z").contains(u[i]) || ("A"..."Z").contains(u[i]) || ("0"..."9").contains(u[i])
          || extra.contains(u[i]))
      if inside, start == nil { start = i }
      if !inside, let s = start {
        out.append(s..<i)
        start = nil
      }
    }
    return out
  }

  /// Maximal runs of ASCII letters, digits and `extra` (as text).
  static func tokens(of text: String, allowing extra: String) -> [Substring] {
    text.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) && !extra.contains($0) }
  }

  static func starts(_ u: [Unicode.Scalar], _ range: Range<Int>, with prefix: String) -> Bool {
    let p = Array(prefix.unicodeScalars)
    return range.count >= p.count && Array(u[range.lowerBound..<(range.lowerBound + p.count)]) == p
  }

  static func index(of needle: String, in u: [Unicode.Scalar], from: Int) -> Int? {
    let n = Array(needle.unicodeScalars)
    guard let first = n.first, from < u.count else { return nil }
    var i = from
    while i + n.count <= u.count {
      if u[i] == first && Array(u[i..<(i + n.count)]) == n { return i }
      i += 1
    }
    return nil
  }

  static func isLineBreak(_ s: Unicode.Scalar) -> Bool {
    s == "\n" || s == "\r" || s == "\u{85}" || s == "\u{2028}" || s == "\u{2029}"
  }

  static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
    var out = String.UnicodeScalarView()
    out.append(contentsOf: scalars)
    return String(out)
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
