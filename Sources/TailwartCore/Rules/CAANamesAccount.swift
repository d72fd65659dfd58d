/// Structural: the CAA record pins certificate issuance to Stalwart's ACME
/// account (lesson 5 leans on that). The record, the account and the
/// directory Stalwart orders from have to agree, or the CA refuses every
/// order and the certificate silently stops renewing.
public enum CAANamesAccount: Rule {
  public static let description = RuleDescription(
    id: "caa-names-account",
    summary:
      "a CAA issuer that is not the CA Stalwart orders from, an account of another ACME server, or a known account with no CAA record",
    lessons: [],
    rationale: """
      CAA tells certificate authorities who may issue for the domain: the issuer's domain, and \
      with `accounturi` the one ACME account allowed to. tailwart writes the account into the \
      record when the inventory knows it. If the issuer is not the CA behind Stalwart's ACME \
      directory, or the account belongs to a different ACME server (staging against \
      production), the CA refuses every order and Stalwart keeps serving an expiring \
      certificate. When the account is known but no CAA record exists, anyone who can pass a \
      challenge can obtain certificates for the domain.
      """,
    fix: """
      Set `dns.caa.issuer` to the CA of `stalwart.acme.directory` (`letsencrypt.org` for Let's \
      Encrypt) and copy `account_uri` from Stalwart after it registers with that same \
      directory. Once the account is known, publish `dns.caa`.
      """,
    triggering: [
      RuleExample(
        "CAA naming a CA Stalwart does not use", replacing: "    issuer: letsencrypt.org",
        with: "    issuer: ↓sectigo.com"),
      RuleExample(
        "a staging account against the production directory",
        replacing: "    account_uri: https://acme-v02.api.letsencrypt.org/acme/acct/1234567890",
        with: "    account_uri: ↓https://acme-staging-v02.api.letsencrypt.org/acme/acct/1234567890"),
      RuleExample(
        "a known account with no CAA record",
        [
          .init("  caa:\n    issuer: letsencrypt.org\n    iodef: mailto:postmaster@example.com\n", ""),
          .init(
            "    account_uri: https://acme-v02.api.letsencrypt.org/acme/acct/1234567890",
            "    account_uri: ↓https://acme-v02.api.letsencrypt.org/acme/acct/1234567890"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "CAA without an account before Stalwart has registered",
        replacing: "    account_uri: https://acme-v02.api.letsencrypt.org/acme/acct/1234567890\n", with: ""),
      RuleExample(
        "an unknown ACME server, which tailwart cannot judge",
        [
          .init(
            "    challenge: dns-01", "    directory: https://acme.internal.example.net/directory\n    challenge: dns-01"
          ),
          .init(
            "    account_uri: https://acme-v02.api.letsencrypt.org/acme/acct/1234567890",
            "    account_uri: https://acme.internal.example.net/acct/7"),
          .init("    issuer: letsencrypt.org", "    issuer: internal.example.net"),
        ]),
    ])

  /// ACME directory hosts and the CAA issuer domain of their CA.
  static let issuers: [String: String] = [
    "acme-v02.api.letsencrypt.org": "letsencrypt.org",
    "acme-staging-v02.api.letsencrypt.org": "letsencrypt.org",
    "acme.zerossl.com": "sectigo.com",
    "dv.acme-v02.api.pki.goog": "pki.goog",
    "dv.acme-v02.test-api.pki.goog": "pki.goog",
    "api.buypass.com": "buypass.com",
    "api.test4.buypass.no": "buypass.com",
  ]

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let acme = d.stalwart.acme
    let directoryHost = Self.host(of: acme.directory.value)
    let expectedIssuer = directoryHost.flatMap { Self.issuers[$0] }

    if let caa = d.dns.caa, let expectedIssuer, caa.issuer.value != expectedIssuer {
      findings.report(
        caa.issuer.span,
        "CAA allows \(caa.issuer.value), but Stalwart orders from \(directoryHost!) (issuer \(expectedIssuer)); every order is refused",
        help: "write `issuer: \(expectedIssuer)`")
    }
    if let account = acme.accountURI {
      if let accountHost = Self.host(of: account.value), let directoryHost, accountHost != directoryHost {
        findings.report(
          account.span,
          "the account belongs to \(accountHost), but Stalwart orders from \(directoryHost); CAA would pin an account that never orders",
          help:
            "copy the account URI Stalwart shows after registering with https://\(directoryHost); it starts with https://\(directoryHost)/"
        )
      } else if d.dns.caa == nil {
        let issuer = expectedIssuer ?? "<the CA's domain>"
        findings.warn(
          account.span,
          "Stalwart's ACME account is known, but no CAA record pins issuance to it; any account may get certificates for \(d.domain.value)",
          help: "add under dns: `caa: {issuer: \(issuer), iodef: \"mailto:\(acme.contact.value)\"}`")
      }
    }
  }

  static func host(of url: String) -> String? {
    guard let scheme = url.range(of: "://") else { return nil }
    let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    let host = authority.split(separator: "@").last.map { $0.split(separator: ":").first.map(String.init) ?? "" }
    return host.flatMap { $0.isEmpty ? nil : $0.lowercased() }
  }
}
