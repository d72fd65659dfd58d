/// Lesson 13: Stalwart v0.16 publishes the record kinds in its domain's
/// `publishRecords` by replacing whole record sets, and so do tailwart's
/// dns/ files with theirs. A kind written by both flips back and forth
/// with every renewal and every push; a kind written by neither never
/// reaches the zone.
public enum DNSKindsHaveOneWriter: Rule {
  public static let description = RuleDescription(
    id: "dns-kinds-have-one-writer",
    summary:
      "a DNS record kind published by both Stalwart and tailwart, or by neither while the inventory has records of it",
    lessons: [13],
    rationale: """
      Since v0.16, Stalwart manages the DNS of a domain whose certificates it gets over DNS-01: \
      through the provider's API it publishes every record kind listed in the domain's \
      `publishRecords`, and it writes each as a whole record set. tailwart's zone file and \
      Spaceship payload write whole record sets too. When both write one kind, each push or \
      renewal undoes the other's records, and what the world sees depends on who ran last. \
      When neither does, records the inventory describes are never published. Stalwart can \
      publish nothing without a DNS provider to write through.
      """,
    fix: """
      Give each kind one writer: list Stalwart's kinds in `stalwart.publish_records` and \
      tailwart's in `dns.publish` (or leave `dns.publish` out: tailwart then takes every kind \
      Stalwart does not). Kinds Stalwart generates itself, such as DKIM (it rotates the keys) \
      and TLSA (it renews the certificate), are the natural ones to leave to it.
      """,
    triggering: [
      RuleExample(
        "SPF claimed by Stalwart and by tailwart",
        [
          .init("  publish_records: [tlsa]", "  publish_records: [tlsa, ↓spf]"),
          .init("    iodef: mailto:postmaster@example.com\n", "    iodef: mailto:postmaster@example.com\n  publish: [mx, spf, dmarc, tlsRpt, mtaSts, srv, caa, dkim, autoConfigLegacy, autoDiscover]\n"),
        ]),
      RuleExample(
        "DMARC records that nobody publishes",
        [
          .init("  dmarc: v=DMARC1", "  dmarc: ↓v=DMARC1"),
          .init(
            "    iodef: mailto:postmaster@example.com\n",
            "    iodef: mailto:postmaster@example.com\n  publish: [mx, spf, tlsRpt, mtaSts, srv, caa, dkim, autoConfigLegacy, autoDiscover]\n"),
        ]),
      RuleExample(
        "Stalwart publishing records through a provider tailwart cannot set up",
        replacing: "    provider: spaceship\n", with: "    provider: ↓cloudflare\n"),
      RuleExample(
        "Stalwart publishing records with no DNS provider",
        [
          .init("  publish_records: [tlsa]", "  publish_records: ↓[tlsa]"),
          .init("    provider: spaceship\n    api_secret_env: SPACESHIP_API_SECRET\n", ""),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "tailwart's share left to the default",
        replacing: "  publish_records: [tlsa]", with: "  publish_records: [tlsa, autoConfig]"),
      RuleExample(
        "DKIM left to Stalwart, its keys out of the inventory",
        [
          .init("  publish_records: [tlsa]", "  publish_records: [dkim, tlsa]"),
          .init(
            "  dkim:\n    - selector: 202606e\n      algorithm: ed25519\n      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n",
            ""),
        ]),
    ])

  /// Keys that may be left out when Stalwart publishes their kind (dns.mx,
  /// dns.spf and dns.dmarc are required, so they are only ignored).
  static let optionalKeys: Set<String> = ["dns.dkim", "dns.tls_rpt", "dns.mta_sts", "dns.caa", "dns.extra"]

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let stalwart = DNSOwnership.stalwartKinds(d)
    let tailwart = DNSOwnership.tailwartKinds(d)
    for kind in d.stalwart.publishRecords.value where tailwart.contains(kind.value) {
      findings.report(
        kind.span,
        "\(kind.value.rawValue) records are published by Stalwart (stalwart.publish_records) and by tailwart (dns.publish); each replaces the other's record set",
        help: "remove \(kind.value.rawValue) from one of the two lists")
    }
    var reported: Set<DNSRecordKind> = []
    for source in DNSOwnership.sources(d) {
      if !stalwart.contains(source.kind) && !tailwart.contains(source.kind) && reported.insert(source.kind).inserted {
        findings.report(
          source.span,
          "\(source.key) makes \(source.kind.rawValue) records, but neither stalwart.publish_records nor dns.publish lists \(source.kind.rawValue); nobody would publish them",
          help: "add \(source.kind.rawValue) to dns.publish (or to stalwart.publish_records)")
      } else if stalwart.contains(source.kind) && !tailwart.contains(source.kind)
        && Self.optionalKeys.contains(source.key) && reported.insert(source.kind).inserted
      {
        findings.warn(
          source.span,
          "\(source.key) makes \(source.kind.rawValue) records, but Stalwart publishes that kind itself; tailwart leaves them out of dns/",
          help: "remove \(source.key), or take \(source.kind.rawValue) out of stalwart.publish_records")
      }
    }
    // The plan configures a DNS server for Spaceship only.
    let provider = d.stalwart.acme.provider
    if !stalwart.isEmpty && (provider?.value != "spaceship" || d.stalwart.acme.apiSecretEnv == nil) {
      let why =
        provider.map { "tailwart sets up a DNS server for spaceship only, not \($0.value)" }
        ?? "it has no DNS provider to write them through"
      findings.report(
        provider?.span ?? d.stalwart.publishRecords.span,
        "Stalwart is to publish \(stalwart.sorted().map(\.rawValue).joined(separator: ", ")) records, but \(why)",
        help: "set stalwart.acme.provider: spaceship and api_secret_env, or move these kinds to dns.publish")
    }
  }
}
