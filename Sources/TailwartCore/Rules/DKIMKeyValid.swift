import Foundation

/// Structural: a DKIM record is `<selector>._domainkey` with the public key
/// as base64 in `p=`. A selector that is not a DNS label, a key that does
/// not decode, or a key of the other algorithm makes every signature fail
/// to verify, which receivers treat as unsigned or forged mail.
public enum DKIMKeyValid: Rule {
  public static let description = RuleDescription(
    id: "dkim-key-valid",
    summary:
      "a DKIM selector that is not a DNS label, or a public key that is not valid base64 of the declared algorithm",
    lessons: [],
    rationale: """
      Receivers fetch `<selector>._domainkey.<domain>` and verify signatures with the key in its \
      `p=` tag. The selector must be a DNS name, and the key must be the base64 of the algorithm \
      named: 32 raw bytes for Ed25519, a SubjectPublicKeyInfo for RSA. A key pasted with its \
      `p=` or a whole record around it, one cut short, or one of the other algorithm makes \
      every signature fail to verify, and receivers then treat signed mail as unsigned or \
      forged. RSA keys under 1024 bits are refused outright; under 2048 they are discouraged.
      """,
    fix: """
      Copy the selector and the bare public key from Stalwart's DKIM settings: for Ed25519 the \
      44 base64 characters of the raw key, for RSA the base64 that `openssl pkey -pubout` prints \
      between its header lines. Match `algorithm` to the key, and give each key its own selector.
      """,
    triggering: [
      RuleExample(
        "a selector with a space", replacing: "  - selector: 202606e", with: "  - selector: ↓\"2026 06e\""),
      RuleExample(
        "an Ed25519 key cut short",
        replacing: "      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        with: "      public_key: ↓11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrw="),
      RuleExample(
        "the whole DKIM record pasted as the key",
        replacing: "      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        with: "      public_key: ↓\"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\""),
      RuleExample(
        "an Ed25519 key wrapped as SubjectPublicKeyInfo",
        replacing: "      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        with: "      public_key: ↓MCowBQYDK2VwAyEAgRK+31je/b8iWXniqpL7F9j3qVYhCf4vW6FMXhsGQM0="),
      RuleExample(
        "an Ed25519 key declared as RSA", replacing: "      algorithm: ed25519", with: "      algorithm: ↓rsa"),
      RuleExample(
        "a 1024-bit RSA key",
        [
          .init("      algorithm: ed25519", "      algorithm: rsa"),
          .init(
            "      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
            "      public_key: ↓MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDRGhnNsnUEluyFDoiIAGPxeG8aTitw7iB5jOZdYcAISKFQhW1Wgd6WodxaiTOVLQlVHQzC5D5FckX84BXkiipKwDQ65HkgrMzTWJ0z69yekF5X5XjgTLbS5sKvz+KU5oUx65Hy7L7/UzwQLpwO7zRxp2jI/EJ4CDPKs549JYSapwIDAQAB"
          ),
        ]),
      RuleExample(
        "two keys under one selector",
        replacing: "      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n",
        with: """
                public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
              - selector: ↓202606e
                algorithm: ed25519
                public_key: gRK+31je/b8iWXniqpL7F9j3qVYhCf4vW6FMXhsGQM0=

          """),
    ],
    nonTriggering: [
      RuleExample(
        "a second key under its own selector",
        replacing: "      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n",
        with: """
                public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
              - selector: 202607e
                algorithm: ed25519
                public_key: gRK+31je/b8iWXniqpL7F9j3qVYhCf4vW6FMXhsGQM0=

          """),
      RuleExample(
        "a private key, which no-secrets-in-inventory reports instead",
        replacing: "      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        with: "      public_key: MC4CAQAwBQYDK2VwBCIEIO24YADhGhjSXisXpMBGoejVXxzTO7vt4GxrUqWmD3YR"),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    var selectors: [String: Int] = [:]
    for key in d.dns.dkim {
      let selector = key.selector.value
      if !Self.isSelector(selector) {
        findings.report(
          key.selector.span,
          "DKIM selector \"\(selector)\" is not a DNS name; receivers cannot look up \(selector)._domainkey",
          help: "use letters, digits and hyphens, as Stalwart names its keys (e.g. `202606e`)")
      } else if let line = selectors[selector.lowercased()] {
        findings.report(
          key.selector.span,
          "DKIM selector \(selector) is already used on line \(line); only one key can be published under it",
          help: "give this key its own selector")
      } else {
        selectors[selector.lowercased()] = key.selector.span.start.line
      }
      judge(key, into: &findings)
    }
  }

  static func judge(_ key: DKIMKey, into findings: inout RuleFindings) {
    let text = key.publicKey.value
    let span = key.publicKey.span
    let algorithm = key.algorithm.value
    if let p = Self.pTag(in: text) {
      findings.report(
        span, "the DKIM public key holds a record's tags, not just the key; the record would carry p= twice",
        help: "write only the key: `public_key: \(p)`")
      return
    }
    guard let bytes = KeyMaterial.decode(base64: text) else {
      findings.report(
        span, "the DKIM public key is not valid base64; receivers cannot read it",
        help: "copy the key again from Stalwart's DKIM settings")
      return
    }
    switch (algorithm, KeyMaterial(bytes: bytes)) {
    case (_, .privateKey):
      return  // a secret: no-secrets-in-inventory reports it
    case (.ed25519, .raw(let count)) where count == 32:
      return
    case (.ed25519, .publicKeyInfo(.ed25519)):
      let raw = KeyMaterial.base64(Array(bytes.suffix(32)))
      findings.report(
        span, "the Ed25519 key is wrapped as SubjectPublicKeyInfo; DKIM publishes the 32 raw bytes",
        help: "write `public_key: \(raw)`")
    case (.ed25519, .publicKeyInfo(.rsa)), (.ed25519, .rsaPublicKey):
      findings.report(
        key.algorithm.span,
        "the key is an RSA key but the algorithm says ed25519; receivers would fail every signature",
        help: "write `algorithm: rsa`")
    case (.ed25519, .raw(let count)):
      findings.report(
        span, "the Ed25519 public key decodes to \(count) bytes instead of 32; it is cut short or not an Ed25519 key",
        help: "copy the key again from Stalwart's DKIM settings")
    case (.rsa, .raw(let count)) where count == 32:
      findings.report(
        key.algorithm.span,
        "the key is 32 raw bytes, an Ed25519 key, but the algorithm says rsa; receivers would fail every signature",
        help: "write `algorithm: ed25519`")
    case (.rsa, .publicKeyInfo(.ed25519)):
      findings.report(
        key.algorithm.span,
        "the key is an Ed25519 key but the algorithm says rsa; receivers would fail every signature",
        help: "write `algorithm: ed25519` and `public_key: \(KeyMaterial.base64(Array(bytes.suffix(32))))`")
    case (.rsa, .publicKeyInfo(.rsa(let bits))), (.rsa, .rsaPublicKey(let bits)):
      if bits < 1024 {
        findings.report(
          span, "the RSA key has \(bits) bits; receivers refuse DKIM keys under 1024 bits",
          help: "generate a 2048-bit key (or an Ed25519 key) in Stalwart and publish that")
      } else if bits < 2048 {
        findings.warn(
          span, "the RSA key has \(bits) bits; keys under 2048 bits are discouraged and some receivers ignore them",
          help: "generate a 2048-bit key in Stalwart and publish it under a new selector")
      }
    default:
      findings.report(
        span, "the DKIM public key is not a \(algorithm == .rsa ? "RSA" : "Ed25519") public key",
        help: "copy the key again from Stalwart's DKIM settings")
    }
  }

  /// A DNS name made of labels of letters, digits and hyphens.
  static func isSelector(_ text: String) -> Bool {
    let labels = text.split(separator: ".", omittingEmptySubsequences: false)
    return !text.isEmpty && text.count <= 200
      && labels.allSatisfy { label in
        (1...63).contains(label.count) && label.first != "-" && label.last != "-"
          && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
      }
  }

  /// The value of `p=` when `text` is a record (`v=DKIM1; k=…; p=…`) or
  /// starts with `p=`.
  static func pTag(in text: String) -> String? {
    guard text.contains("=") && (text.hasPrefix("p=") || text.contains(";")) else { return nil }
    for part in text.split(separator: ";") {
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("p=") { return String(trimmed.dropFirst(2)) }
    }
    return nil
  }
}
