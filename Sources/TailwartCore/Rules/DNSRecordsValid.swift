/// Structural: the record set tailwart publishes must be one a resolver and
/// the provider accept: MX hosts with addresses, TTLs the provider takes,
/// each record once, the usual TXT records starting with their version tag.
public enum DNSRecordsValid: Rule {
  public static let description = RuleDescription(
    id: "dns-records-valid",
    summary:
      "an MX host without an address, a TTL outside the provider's 60–3600, a duplicate or conflicting record, a TXT record without its version tag",
    lessons: [],
    rationale: """
      Senders look up the MX host's address records; an MX host with none, or one that is an \
      alias (CNAME), gets no mail from careful senders. Spaceship accepts TTLs from 60 to 3600 \
      seconds and rejects the whole request otherwise. A record published twice is at best \
      noise, and for SPF and DMARC it is an error: two SPF records make every check fail. A \
      CNAME cannot share its name with any other record. SPF, DMARC and TLS-RPT records are \
      recognised by their version tag alone, so one without it is ignored.
      """,
    fix: """
      Give every MX host inside the domain an A record under `dns.hosts` (the edge's public \
      address), keep `ttl` between 60 and 3600, remove the repeated record, and start the TXT \
      values with `v=spf1`, `v=DMARC1` and `v=TLSRPTv1`.
      """,
    triggering: [
      RuleExample(
        "an MX host with no address record",
        replacing: "    - {host: mail.example.com, preference: 10}",
        with: "    - {host: mail.example.com, preference: 10}\n    - {host: ↓mx2.example.com, preference: 20}"),
      RuleExample("a TTL Spaceship refuses", replacing: "  ttl: 3600", with: "  ttl: ↓86400"),
      RuleExample(
        "a second SPF record",
        replacing: "  caa:\n", with: "  extra:\n    - {name: \"@\", type: TXT, value: ↓\"v=spf1 a -all\"}\n  caa:\n"),
      RuleExample(
        "a CNAME beside other records",
        replacing: "  caa:\n",
        with:
          "  extra:\n    - {name: autoconfig, type: TXT, value: hello}\n    - {name: ↓autoconfig, type: CNAME, value: mail.example.com}\n  caa:\n"
      ),
      RuleExample(
        "one address listed twice",
        replacing: "    mail: [203.0.113.10]", with: "    mail: [203.0.113.10, ↓203.0.113.10]"),
      RuleExample(
        "one name written two ways",
        replacing: "    mail: [203.0.113.10]\n",
        with: "    mail: [203.0.113.10]\n    ↓mail.example.com: [203.0.113.11]\n"),
      RuleExample(
        "a DMARC record without its tag", replacing: "  dmarc: v=DMARC1; p=reject", with: "  dmarc: ↓p=reject"),
      RuleExample(
        "an extra record's TTL out of range",
        replacing: "  caa:\n", with: "  extra:\n    - {name: www, type: A, value: 203.0.113.20, ttl: ↓30}\n  caa:\n"),
    ],
    nonTriggering: [
      RuleExample(
        "an MX host outside the domain",
        replacing: "    - {host: mail.example.com, preference: 10}",
        with: "    - {host: mail.example.com, preference: 10}\n    - {host: mx.example.net, preference: 20}"),
      RuleExample(
        "a second MX host with its address as an extra record",
        [
          .init(
            "    - {host: mail.example.com, preference: 10}",
            "    - {host: mail.example.com, preference: 10}\n    - {host: mx2.example.com, preference: 20}"),
          .init("  caa:\n", "  extra:\n    - {name: mx2, type: A, value: 203.0.113.10}\n  caa:\n"),
        ]),
    ])

  /// Spaceship's accepted TTLs.
  static let ttlRange = 60...3600

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let zone = d.domain.value
    let dns = d.dns

    if !Self.ttlRange.contains(dns.ttl.value) {
      findings.report(
        dns.ttl.span,
        "TTL \(dns.ttl.value) is outside the 60–3600 seconds \(dns.provider.value) accepts; the update is refused",
        help: "write `ttl: \(min(max(dns.ttl.value, 60), 3600))`")
    }
    for record in dns.extra {
      if let ttl = record.ttl, !Self.ttlRange.contains(ttl.value) {
        findings.report(
          ttl.span,
          "TTL \(ttl.value) is outside the 60–3600 seconds \(dns.provider.value) accepts; the update is refused",
          help: "write `ttl: \(min(max(ttl.value, 60), 3600))`")
      }
    }

    // Every name with address records, and every record's (name, type, data).
    var addressNames: Set<String> = []
    var seenHosts: [String: Located<RecordName>] = [:]
    var records: Set<String> = []
    for host in dns.hosts {
      let name = host.name.value.relative
      if let first = seenHosts[name] {
        findings.report(
          host.name.span,
          "\(host.name.value.absolute(in: zone)) is already listed under dns.hosts (line \(first.span.start.line)); one name is one record set",
          help: "merge the addresses into one entry: `\(name == "@" ? "\"@\"" : name): [...]`")
        continue
      }
      seenHosts[name] = host.name
      var seen: Set<IPAddress> = []
      for address in host.addresses {
        if !seen.insert(address.value).inserted {
          findings.report(
            address.span,
            "\(address.value) is listed twice for \(host.name.value.absolute(in: zone)); a record set holds each address once",
            help: "remove the repeat")
        }
        let type = address.value.bytes.count == 4 ? "A" : "AAAA"
        records.insert("\(name) \(type) \(address.value)")
      }
      if !host.addresses.isEmpty { addressNames.insert(name) }
    }

    var cnames: [String: ExtraRecord] = [:]
    for record in dns.extra {
      let name = record.name.value.relative
      var data = record.value.value
      if record.type.value == .A || record.type.value == .AAAA, let address = IPAddress(data) {
        data = address.description
      }
      let key = "\(name) \(record.type.value.rawValue) \(data)"
      if !records.insert(key).inserted {
        findings.report(
          record.value.span,
          "\(record.type.value.rawValue) \(data) for \(record.name.value.absolute(in: zone)) is published twice",
          help: "remove this record from `dns.extra`")
      }
      switch record.type.value {
      case .A, .AAAA: addressNames.insert(name)
      case .CNAME: cnames[name] = cnames[name] ?? record
      case .TXT: generatedTXT(record, d, into: &findings)
      }
    }

    // A CNAME owns its name alone.
    for (name, cname) in cnames.sorted(by: { $0.key < $1.key }) {
      let others = dns.extra.filter { $0.name.value.relative == name }.count - 1 + (seenHosts[name] == nil ? 0 : 1)
      if name == "@" {
        findings.report(
          cname.name.span, "a CNAME at the apex of \(zone) conflicts with its SOA, NS and MX records",
          help: "publish A/AAAA records for the apex under `dns.hosts` instead")
      } else if others > 0 {
        findings.report(
          cname.name.span,
          "a CNAME at \(cname.name.value.absolute(in: zone)) shares its name with other records; a CNAME must stand alone",
          help: "remove the CNAME or the other records at that name")
      }
    }

    for mx in dns.mx {
      guard let name = mx.host.value.relative(to: zone) else { continue }
      if let cname = cnames[name] {
        findings.report(
          mx.host.span,
          "MX host \(mx.host.value) is an alias (CNAME, line \(cname.name.span.start.line)); MX targets must have addresses",
          help: "publish its A record under dns.hosts: `\(name == "@" ? "\"@\"" : name): [\(d.edge.publicIPv4.value)]`")
      } else if !addressNames.contains(name) {
        findings.report(
          mx.host.span, "MX host \(mx.host.value) has no A or AAAA record; senders cannot deliver to it",
          help:
            "add under dns.hosts: `\(name == "@" ? "\"@\"" : name): [\(d.edge.publicIPv4.value)]` (the edge's public address)"
        )
      }
    }
    var mxSeen: Set<DomainName> = []
    for mx in dns.mx where !mxSeen.insert(mx.host.value).inserted {
      findings.report(
        mx.host.span, "MX host \(mx.host.value) is listed twice; a record set holds each host once",
        help: "remove the repeated entry from `dns.mx`")
    }

    versionTag(dns.spf, "v=spf1", "spf", example: "v=spf1 mx -all", into: &findings)
    versionTag(dns.dmarc, "v=DMARC1", "dmarc", example: "v=DMARC1; p=reject", into: &findings)
    if let rpt = dns.tlsRPT {
      versionTag(
        rpt, "v=TLSRPTv1", "tls_rpt", example: "v=TLSRPTv1; rua=mailto:\(d.stalwart.acme.contact.value)",
        into: &findings)
    }
  }

  /// A TXT record in `extra` that repeats one tailwart already publishes
  /// from its own field.
  static func generatedTXT(_ record: ExtraRecord, _ d: Deployment, into findings: inout RuleFindings) {
    let name = record.name.value.relative
    let value = record.value.value
    var owner: String?
    if name == "@" && value.hasPrefix("v=spf1") { owner = "dns.spf" }
    if name == "_dmarc" && value.hasPrefix("v=DMARC1") { owner = "dns.dmarc" }
    if name == "_mta-sts" && d.dns.mtaSTS != nil { owner = "dns.mta_sts" }
    if name == "_smtp._tls" && d.dns.tlsRPT != nil { owner = "dns.tls_rpt" }
    if d.dns.dkim.contains(where: { "\($0.selector.value.lowercased())._domainkey" == name }) { owner = "dns.dkim" }
    guard let owner else { return }
    findings.report(
      record.value.span,
      "this TXT record repeats the one \(owner) publishes at \(record.name.value.absolute(in: d.domain.value))"
        + (owner == "dns.spf"
          ? "; two SPF records make every SPF check fail" : "; receivers see two and may ignore both"),
      help: "remove it from `dns.extra` and edit `\(owner)` instead")
  }

  static func versionTag(
    _ value: Located<String>, _ tag: String, _ key: String, example: String, into findings: inout RuleFindings
  ) {
    let text = value.value
    guard !(text == tag || text.hasPrefix(tag + " ") || text.hasPrefix(tag + ";")) else { return }
    findings.report(
      value.span, "dns.\(key) does not start with \(tag); receivers ignore a record without its version tag",
      help: "write it as `\(key): \(example)` or start it with `\(tag)`")
  }
}
