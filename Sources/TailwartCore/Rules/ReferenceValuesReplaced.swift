/// Values that belong to the reference inventory only: its ULA Global ID,
/// its made-up ACME account, and the address ranges reserved for
/// documentation. In an inventory for a real domain they are copied
/// examples, and a copied example defeats the rule it illustrates: a ULA
/// prefix everyone copied collides, a CAA record pinned to an account that
/// is not yours blocks every certificate, and a documentation address
/// routes nowhere.
public enum ReferenceValuesReplaced: Rule {
  /// The reference inventory's ULA prefix (`fd3c:91e2:5a07::/48`).
  static let referenceULA = CIDR("fd3c:91e2:5a07::/48")!
  /// The made-up account number in the reference's `account_uri`.
  static let referenceAccount = "/acct/1234567890"
  /// TEST-NET-1, -2, -3 (RFC 5737) and the IPv6 documentation prefix (RFC 3849).
  static let documentationRanges = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"].map { CIDR($0)! }

  /// The names RFC 2606 keeps for documentation: `example.com`, `.net`,
  /// `.org` and names under them, and the `.example` top-level domain.
  public static func isExampleDomain(_ name: DomainName) -> Bool {
    let labels = name.labels.map { $0.lowercased() }
    if labels.last == "example" { return true }
    guard labels.count >= 2 else { return false }
    return labels[labels.count - 2] == "example" && ["com", "net", "org"].contains(labels[labels.count - 1])
  }

  static func documentationRange(of text: String) -> CIDR? {
    if let address = IPAddress(text) { return documentationRanges.first { $0.contains(address) } }
    if let block = CIDR(text) { return documentationRanges.first { $0.overlaps(block) } }
    return nil
  }

  static let real = RuleExample.Edit("domain: example.com\n", "domain: mailhost.test\n")

  public static let description = RuleDescription(
    id: "reference-values-replaced",
    summary: "the reference inventory's ULA Global ID, ACME account or documentation addresses in an inventory for a real domain",
    severity: .warning,
    lessons: [],
    rationale: """
      The reference inventory is an example: under example.com it uses a fixed ULA Global ID, a \
      made-up ACME account (acct/1234567890) and addresses from the ranges kept for documentation \
      (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32). Copied into a real \
      deployment they defeat the rules they illustrate: the ULA prefix is no longer random, so it \
      collides with every other copy; CAA pinned to an account that is not yours makes the CA \
      refuse every certificate; a documentation address is routed nowhere, so DNS and the \
      auto-ban allow-list point at nothing. The rule is silent while the domain is example.com, \
      example.net, example.org or under .example (the reference itself).
      """,
    fix: """
      Replace each value with your own: a random ULA Global ID (`tailwart init` writes a fresh \
      one), the account URI Stalwart shows once it has registered with the CA (or no \
      `account_uri` until then), and the public addresses of your edge and hosts.
      """,
    triggering: [
      RuleExample(
        "the reference's values kept under a real domain",
        [
          real,
          .init("auto_ban_allow: [100.64.0.0/10, 203.0.113.10]", "auto_ban_allow: [100.64.0.0/10, ↓203.0.113.10]"),
          .init("account_uri: https://acme-v02", "account_uri: ↓https://acme-v02"),
          .init("public_ipv4: 203.0.113.10", "public_ipv4: ↓203.0.113.10"),
          .init("subnet: fd3c:91e2:5a07:1::/64", "subnet: ↓fd3c:91e2:5a07:1::/64"),
          .init("mail: [203.0.113.10]", "mail: [↓203.0.113.10]"),
          .init("\"@\": [203.0.113.20, 2001:db8::20]", "\"@\": [↓203.0.113.20, ↓2001:db8::20]"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "a real domain with its own values",
        [
          real,
          .init("auto_ban_allow: [100.64.0.0/10, 203.0.113.10]", "auto_ban_allow: [100.64.0.0/10, 192.168.7.10]"),
          .init("acct/1234567890", "acct/2718281828"),
          .init("public_ipv4: 203.0.113.10", "public_ipv4: 192.168.7.10"),
          .init("subnet: fd3c:91e2:5a07:1::/64", "subnet: fd5b:2e81:c9a4:1::/64"),
          .init("gateway: fd3c:91e2:5a07:1::1", "gateway: fd5b:2e81:c9a4:1::1"),
          .init("mail: [203.0.113.10]", "mail: [192.168.7.10]"),
          .init("\"@\": [203.0.113.20, 2001:db8::20]", "\"@\": [192.168.7.20]"),
        ]),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    guard !isExampleDomain(d.domain.value) else { return }
    let domain = d.domain.value
    if let subnet = d.network.subnet, referenceULA.contains(subnet.value.address) {
      findings.report(
        subnet.span,
        "network.subnet uses the reference inventory's ULA Global ID (\(referenceULA)); every copy of it collides with the others",
        help: "generate your own: `printf 'fd%02x:%02x%02x:%02x%02x::/64\\n' $(od -An -N5 -tu1 /dev/urandom)`")
    }
    if let account = d.stalwart.acme.accountURI, account.value.hasSuffix(referenceAccount) {
      findings.report(
        account.span,
        "stalwart.acme.account_uri is the reference inventory's made-up account; CAA would let no real account issue for \(domain)",
        help: "write the account URI Stalwart shows after it registers with the CA, or remove `account_uri` until then")
    }
    for scalar in d.scalars {
      guard let range = documentationRange(of: scalar.value) else { continue }
      findings.report(
        SourceSpan(scalar.span.start, length: scalar.value.unicodeScalars.count),
        "\(scalar.value) is in \(range), a range kept for documentation; nothing on the internet answers there",
        help: "write the real address (\(domain) is not an example domain)")
    }
  }
}
