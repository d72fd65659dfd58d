/// Lesson 13: senders try IPv6 first when the MX host has an AAAA record. If
/// the edge does not listen on IPv6, some never fall back and mail is
/// deferred or bounced. The records Stalwart manages itself stay out of the
/// inventory's record set.
public enum MailAAAANeedsV6Edge: Rule {
  public static let description = RuleDescription(
    id: "mail-aaaa-needs-v6-edge",
    summary:
      "an AAAA on an MX host while the edge has no IPv6 listener; an _acme-challenge or _validation-persist record in the set",
    lessons: [13],
    rationale: """
      Inbound mail follows MX to the mail host's addresses. With an AAAA there, sending servers \
      try IPv6 first; when nothing answers on the edge's IPv6 address, some of them never try \
      IPv4 and the mail is deferred or bounced. An AAAA on the apex is harmless: MX routing does \
      not use it. Separately, Stalwart writes `_acme-challenge` and `_validation-persist` TXT \
      records itself through the DNS provider; publishing them from here would fight it.
      """,
    fix: """
      Publish the mail host's AAAA in the same change that makes the edge listen on IPv6 \
      (`edge.listen_ipv6: true` with `edge.public_ipv6`). Until then keep only the A record. \
      Leave `_acme-challenge` and `_validation-persist` to Stalwart.
      """,
    triggering: [
      RuleExample(
        "an AAAA on the MX host while the edge listens on IPv4 only",
        replacing: "    mail: [203.0.113.10]", with: "    mail: [203.0.113.10, ↓2001:db8::10]"),
      RuleExample(
        "the MX host's AAAA added as an extra record",
        replacing: "  caa:\n",
        with: "  extra:\n    - {name: mail, type: AAAA, value: ↓2001:db8::10}\n  caa:\n"),
      RuleExample(
        "an ACME challenge record Stalwart owns",
        replacing: "  caa:\n",
        with: "  extra:\n    - {name: ↓_acme-challenge, type: TXT, value: abc}\n  caa:\n"),
      RuleExample(
        "a persistent validation record for the mail host",
        replacing: "  caa:\n",
        with: "  extra:\n    - {name: ↓_validation-persist.mail, type: TXT, value: letsencrypt.org}\n  caa:\n"),
      RuleExample(
        "an address record under a challenge name",
        replacing: "    mail: [203.0.113.10]\n",
        with: "    mail: [203.0.113.10]\n    ↓_acme-challenge.mail: [203.0.113.10]\n"),
    ],
    nonTriggering: [
      RuleExample(
        "the MX host's AAAA together with IPv6 listeners on the edge",
        [
          .init("    mail: [203.0.113.10]", "    mail: [203.0.113.10, 2001:db8::10]"),
          .init("  listen_ipv6: false", "  listen_ipv6: true\n  public_ipv6: 2001:db8::10"),
          .init(
            "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]",
            "auto_ban_allow: [100.64.0.0/10, 203.0.113.10, 2001:db8::10]"),
        ])
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let zone = d.domain.value
    let mxNames = Set(d.dns.mx.compactMap { $0.host.value.relative(to: zone) })
    if !d.edge.listensIPv6.value {
      for host in d.dns.hosts where mxNames.contains(host.name.value.relative) {
        for address in host.addresses {
          guard case .v6 = address.value else { continue }
          findings.report(
            address.span,
            "AAAA \(address.value) on MX host \(host.name.value.absolute(in: zone)) while the edge has no IPv6 listener",
            help: "remove it until `edge.listen_ipv6: true`; senders that try IPv6 first may never fall back to IPv4")
        }
      }
      for record in d.dns.extra where record.type.value == .AAAA && mxNames.contains(record.name.value.relative) {
        findings.report(
          record.value.span,
          "AAAA \(record.value.value) on MX host \(record.name.value.absolute(in: zone)) while the edge has no IPv6 listener",
          help: "remove it until `edge.listen_ipv6: true`; senders that try IPv6 first may never fall back to IPv4")
      }
    }
    let names = d.dns.extra.map(\.name) + d.dns.hosts.map(\.name)
    for name in names {
      let labels = name.value.relative.split(separator: ".")
      if let owned = labels.first(where: { $0 == "_acme-challenge" || $0 == "_validation-persist" }) {
        findings.report(
          name.span,
          "\(owned) records are written by Stalwart during ACME validation, not published from the inventory",
          help: "remove this record; Stalwart creates and rotates it through the DNS provider")
      }
    }
  }
}
