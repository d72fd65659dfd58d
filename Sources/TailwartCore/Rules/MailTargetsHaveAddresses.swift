/// Structural: the MX records, the SRV records clients use and the CNAMEs
/// of the web endpoints all point at a host name. Inside the mail domain
/// that name gets its addresses from this inventory, so a target with no A
/// or AAAA here leads nowhere: mail and clients fail while every record
/// looks right. A mistyped `stalwart.hostname` is the usual cause.
public enum MailTargetsHaveAddresses: Rule {
  public static let description = RuleDescription(
    id: "mail-targets-have-addresses",
    summary:
      "an MX, SRV or CNAME target in the mail domain with no address record in the inventory, or a near-miss of one",
    lessons: [],
    rationale: """
      The MX records name the mail host; the client SRV records (`_submissions._tcp`, \
      `_imaps._tcp`, ...) and the CNAMEs of mta-sts, autoconfig and autodiscover name \
      `stalwart.hostname`. Inside the mail domain, the address of each such name comes from \
      `dns.hosts` (or an A/AAAA under `dns.extra`). A target with no address there resolves to \
      nothing: senders defer mail and clients cannot find the server, although every record \
      passes its own syntax check. A name outside the domain that is one or two letters away \
      from one of the domain's names is almost always a typo.
      """,
    fix: """
      Correct the name (usually `stalwart.hostname`) or give it its addresses under \
      `dns.hosts` (`mail: [203.0.113.10]`).
      """,
    triggering: [
      RuleExample(
        "the mail host name mistyped", replacing: "  hostname: mail.example.com", with: "  hostname: ↓mail.exmaple.com"),
      RuleExample(
        "an MX host in the domain without an address",
        replacing: "    - {host: mail.example.com, preference: 10}",
        with: "    - {host: mail.example.com, preference: 10}\n    - {host: ↓mx2.example.com, preference: 20}"),
      RuleExample(
        "the mail host renamed but its address left under the old name",
        [
          .init("  hostname: mail.example.com", "  hostname: ↓smtp.example.com"),
          .init("    - {host: mail.example.com, preference: 10}", "    - {host: ↓smtp.example.com, preference: 10}"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "a second MX host outside the mail domain",
        replacing: "    - {host: mail.example.com, preference: 10}",
        with: "    - {host: mail.example.com, preference: 10}\n    - {host: mx.backup-provider.net, preference: 20}"),
      RuleExample(
        "the address given by an extra A record",
        [
          .init(
            "    - {host: mail.example.com, preference: 10}",
            "    - {host: mail.example.com, preference: 10}\n    - {host: mx2.example.com, preference: 20}"),
          .init("  caa:\n", "  extra:\n    - {name: mx2, type: A, value: 203.0.113.11}\n  caa:\n"),
        ]),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let zone = d.domain.value
    var addressed: Set<String> = []
    for host in d.dns.hosts where !host.addresses.isEmpty { addressed.insert(host.name.value.absolute(in: zone)) }
    for record in d.dns.extra where record.type.value == .A || record.type.value == .AAAA {
      addressed.insert(record.name.value.absolute(in: zone))
    }

    var targets: [(name: DomainName, span: SourceSpan, role: String)] = d.dns.mx.map {
      ($0.host.value, $0.host.span, "an MX target")
    }
    targets.append(
      (
        d.stalwart.hostname.value, d.stalwart.hostname.span,
        "the target of the client SRV records and the web endpoints' CNAMEs"
      ))
    for record in d.dns.extra where record.type.value == .CNAME {
      guard let target = DomainName(record.value.value) else { continue }
      let absolute = target.labels.count == 1 ? DomainName("\(target.text).\(zone.text)") ?? target : target
      targets.append((absolute, record.value.span, "a CNAME target"))
    }

    var reported: Set<SourceSpan> = []
    for target in targets where reported.insert(target.span).inserted {
      let name = target.name.text
      if addressed.contains(name) { continue }
      if target.name.isWithin(zone) {
        let near = addressed.sorted().filter { Fields.editDistance($0, name) <= 2 }.first
        findings.report(
          target.span, "\(name) is \(target.role), but the inventory gives it no address; it resolves to nothing",
          help: near.map { "did you mean \($0)? It has an address under dns.hosts" }
            ?? "add its addresses under dns.hosts: `\(target.name.relative(to: zone) ?? name): [<the edge's public IPv4>]`"
        )
      } else if let near = addressed.sorted().first(where: { Fields.editDistance($0, name) <= 2 }) {
        findings.report(
          target.span,
          "\(name) is \(target.role) outside \(zone) with no address here; it looks like a typo of \(near)",
          help: "write \(near)")
      }
    }
  }
}
