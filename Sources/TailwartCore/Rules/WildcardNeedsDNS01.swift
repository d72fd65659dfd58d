/// Lesson 4: with no hostnames listed, Stalwart asks for a wildcard
/// certificate, and a CA validates a wildcard only through DNS. Any other
/// challenge fails every time, however the edge forwards it.
public enum WildcardNeedsDNS01: Rule {
  public static let description = RuleDescription(
    id: "wildcard-needs-dns01",
    summary:
      "a wildcard certificate (no explicit hostnames) with a challenge other than DNS-01, or DNS-01 without a DNS provider",
    lessons: [4],
    rationale: """
      When `acme.hostnames` is empty, Stalwart requests one wildcard certificate for the domain, \
      which then covers the mail host and the web endpoints alike. Certificate authorities \
      validate a wildcard only by a DNS record: HTTP-01 and TLS-ALPN-01 cannot prove control of \
      every name under the domain, so those orders fail however the challenge traffic is routed. \
      DNS-01 in turn needs a DNS provider Stalwart can write the challenge record through.
      """,
    fix: """
      Use `challenge: dns-01` (or `dns-persist-01`) with `provider: spaceship`, and enter the \
      provider's API key and secret in Stalwart's admin. To use another challenge, list every \
      name the certificate must cover under `acme.hostnames` instead.
      """,
    triggering: [
      RuleExample(
        "a wildcard ordered over HTTP-01", replacing: "    challenge: dns-01", with: "    challenge: ↓http-01"),
      RuleExample(
        "a wildcard ordered over TLS-ALPN-01", replacing: "    challenge: dns-01", with: "    challenge: ↓tls-alpn-01"),
      RuleExample(
        "DNS-01 with no provider to write the record",
        [
          .init("    challenge: dns-01", "    challenge: ↓dns-01"),
          .init("    provider: spaceship\n", ""),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "named hosts validated over HTTP-01",
        [
          .init("    challenge: dns-01", "    challenge: http-01"),
          .init(
            "    hostnames: []",
            "    hostnames: [mail.example.com, mta-sts.example.com, autoconfig.example.com, autodiscover.example.com]"),
        ]),
      RuleExample(
        "a wildcard over DNS-PERSIST-01", replacing: "    challenge: dns-01", with: "    challenge: dns-persist-01"),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let acme = d.stalwart.acme
    let challenge = acme.challenge.value
    let overDNS = challenge == .dns01 || challenge == .dnsPersist01
    if acme.isWildcard && !overDNS {
      findings.report(
        acme.challenge.span,
        "a wildcard certificate for *.\(d.domain.value) cannot be validated over \(challenge.rawValue); CAs accept only DNS for wildcards",
        help:
          "write `challenge: dns-01` with `provider: \(d.dns.provider.value)`, or list the names under `acme.hostnames`"
      )
    }
    if overDNS && acme.provider == nil {
      findings.report(
        acme.challenge.span,
        "\(challenge.rawValue) has no DNS provider; Stalwart has no way to publish the challenge record",
        help:
          "add `provider: \(d.dns.provider.value)` under stalwart.acme and enter its API key and secret in Stalwart's admin"
      )
    }
  }
}
