/// Every record the mail domain publishes, derived once from the checked
/// model; `ZoneRenderer` and `SpaceshipRenderer` both write this set, so the
/// zone file and the provider payload cannot disagree.
///
/// Stalwart's own records (`_acme-challenge`, `_validation-persist`) never
/// appear: it writes them through the provider itself (lesson 13). The SOA
/// and NS records are the provider's.
public struct DNSRecordSet: Sendable {
  public let zone: DomainName
  /// `dns.ttl`: every derived record's TTL, and the zone's `$TTL`.
  public let ttl: Located<Int>
  /// Sorted (apex first, then by owner, type and data), without duplicates,
  /// and without the kinds Stalwart publishes itself.
  public let records: [DNSRecord]
  /// Client services (SRV owners such as `_imap._tcp`) left out because
  /// the deployment does not offer them; the zone file lists them.
  public let notOffered: [String]
  /// The record kinds Stalwart publishes (lesson 13): left out of `records`.
  public let stalwartKinds: [DNSRecordKind]

  /// Owner labels Stalwart writes during ACME validation.
  public static let stalwartOwnedLabels: Set<Substring> = ["_acme-challenge", "_validation-persist"]

  /// Derives the set; throws every conflict found (a CNAME beside other
  /// data, two SPF records at one name, an unparsable extra record...).
  public init(_ checked: CheckedDeployment) throws(FindingsError) {
    try self.init(deriving: checked.deployment)
  }

  /// The set for a deployment not yet checked: for rules that judge the
  /// records as the provider will see them.
  init(deriving d: Deployment) throws(FindingsError) {
    var derivation = Derivation(deployment: d)
    derivation.derive()
    let records = derivation.merged()
    if !derivation.findings.isEmpty { throw FindingsError(derivation.findings) }
    zone = d.domain.value
    ttl = d.dns.ttl
    // Ownership, a step of its own: one writer per kind (lesson 13).
    let stalwart = DNSOwnership.stalwartKinds(d)
    self.records = records.filter { record in record.publishKind.map { !stalwart.contains($0) } ?? true }
    stalwartKinds = stalwart.sorted()
    // SRV records are Stalwart's when it publishes them: then nothing here
    // is "not offered".
    notOffered = stalwart.contains(.srv) ? [] : derivation.notOffered
  }

  /// The derivation run on an unchecked deployment: the records and every
  /// problem, for the check that render will accept the set.
  static func derive(_ d: Deployment) -> (records: [DNSRecord], findings: [Finding]) {
    var derivation = Derivation(deployment: d)
    derivation.derive()
    let records = derivation.merged()
    return (records, derivation.findings)
  }

  /// The records with this owner, in set order.
  public func records(named name: String) -> [DNSRecord] {
    records.filter { $0.name.relative == name }
  }
}

/// The derivation, step by step; collects problems instead of stopping at
/// the first.
private struct Derivation {
  let d: Deployment
  let zone: DomainName
  var records: [DNSRecord] = []
  var findings: [Finding] = []

  init(deployment: Deployment) {
    d = deployment
    zone = deployment.domain.value
  }

  /// A client service Stalwart's own record set knows (RFC 6186, RFC 8314,
  /// RFC 6764, RFC 8620) and the port it is known by.
  struct ClientService {
    let label: String
    let port: Int
  }

  /// One policy for all of them: a service is published (`0 1 port host`)
  /// when the edge brings its port to a Stalwart listener, and left out
  /// otherwise. "Not offered" (`0 0 0 .`, RFC 2782) cannot be published:
  /// Spaceship takes SRV ports from 1 only and host-name targets. The zone
  /// file names the services left out.
  static let clientServices = [
    ClientService(label: "_submissions", port: 465),
    ClientService(label: "_submission", port: 587),
    ClientService(label: "_imaps", port: 993),
    ClientService(label: "_imap", port: 143),
    ClientService(label: "_pop3s", port: 995),
    ClientService(label: "_pop3", port: 110),
    // Served on Stalwart's HTTPS listener under the mail host's name: the
    // edge must pass that name through on :443 (SNI).
    ClientService(label: "_jmap", port: 443),
    ClientService(label: "_caldavs", port: 443),
    ClientService(label: "_carddavs", port: 443),
  ]

  /// Names served on :443 that get a CNAME to the mail host when the edge
  /// passes them through. `ua-auto-config` is the client configuration
  /// document of Stalwart v0.16 (`/.well-known/user-agent-configuration.json`);
  /// its `_ua-auto-config` TXT holds a digest of that document, which only
  /// Stalwart can compute, so that record is Stalwart's.
  static let webEndpoints: Set<String> = ["mta-sts", "autoconfig", "autodiscover", "ua-auto-config"]

  /// Client services not offered, by owner name (`_imap._tcp`).
  var notOffered: [String] = []

  mutating func derive() {
    let dns = d.dns
    let mailHost = d.stalwart.hostname
    let mxNames = Set(dns.mx.compactMap { $0.host.value.relative(to: zone) })
    let mail13 = (lessons: [13], rules: ["mail-aaaa-needs-v6-edge"])

    for mx in dns.mx {
      add("@", .mx(preference: mx.preference.value, exchange: mx.host.value), from: mx.host.span)
    }

    for host in dns.hosts {
      let isMX = mxNames.contains(host.name.value.relative)
      for address in host.addresses {
        let data: DNSRecord.RData
        switch address.value {
        case .v4(let a): data = .a(a)
        case .v6(let a): data = .aaaa(a)
        }
        add(
          host.name.value, data, from: address.span, lessons: isMX ? mail13.lessons : [],
          rules: isMX ? mail13.rules : [])
      }
    }

    add("@", .txt(dns.spf.value), from: dns.spf.span)
    // Stalwart recommends "a -all" at each MX host inside the domain: the
    // name sends nothing but its own bounces. An SPF the operator wrote
    // there as an extra record wins.
    for mx in dns.mx {
      guard let name = mx.host.value.relative(to: zone), name != "@" else { continue }
      let hasOwn = dns.extra.contains {
        $0.name.value.relative == name && $0.type.value == .TXT && Self.isSPF($0.value.value)
      }
      if !hasOwn { add(name, .txt("v=spf1 a -all"), from: mx.host.span) }
    }
    add("_dmarc", .txt(dns.dmarc.value), from: dns.dmarc.span)
    if let tlsRPT = dns.tlsRPT { add("_smtp._tls", .txt(tlsRPT.value), from: tlsRPT.span) }
    if let sts = dns.mtaSTS {
      add("_mta-sts", .txt("v=STSv1; id=\(sts.id.value)"), from: sts.id.span, lessons: [5])
    }
    for key in dns.dkim {
      let text = "v=DKIM1; k=\(key.algorithm.value.rawValue); h=sha256; p=\(key.publicKey.value)"
      guard let owner = RecordName("\(key.selector.value)._domainkey", zone: zone) else {
        report(
          key.selector.span, "DKIM selector \"\(key.selector.value)\" does not make a DNS name",
          help: "use letters, digits and hyphens")
        continue
      }
      add(owner, .txt(text), from: key.publicKey.span)
    }

    if let caa = dns.caa {
      // With the account URI only Stalwart's ACME account may issue (RFC
      // 8657): no other client, the edge's Caddy included, gets a
      // certificate for these names (lesson 5).
      let value = caa.issuer.value + (d.stalwart.acme.accountURI.map { "; accounturi=\($0.value)" } ?? "")
      let rules = ["dns-records-valid"]
      add("@", .caa(flags: 0, tag: "issue", value: value), from: caa.issuer.span, lessons: [5], rules: rules)
      if d.stalwart.acme.isWildcard {
        add(
          "@", .caa(flags: 0, tag: "issuewild", value: value), from: caa.issuer.span, lessons: [4, 5],
          rules: rules + ["wildcard-needs-dns01"])
      }
      if let iodef = caa.iodef { add("@", .caa(flags: 0, tag: "iodef", value: iodef.value), from: iodef.span) }
    }

    // The edge passes these names through by SNI to Stalwart:443, so they
    // must resolve to the edge, as the mail host does.
    for name in d.edge.passthrough where Self.webEndpoints.contains(name.value.relative) {
      guard name.value.absolute(in: zone) != mailHost.value.text else { continue }
      add(
        name.value, .cname(mailHost.value), from: name.span, lessons: [5], rules: ["web-endpoints-pass-through"])
    }

    // Clients connect to an SRV target with that name as SNI, and a target
    // may not be a CNAME: so the mail host itself must be passed through
    // for the services on :443.
    let passed = Set(d.edge.passthrough.map(\.value.relative))
    let mailPassed = mailHost.value.relative(to: zone).map(passed.contains) ?? false
    for service in Self.clientServices {
      let owner = "\(service.label)._tcp"
      let listening = d.stalwart.listeners.contains { $0.port.value.number == service.port }
      let reached: SourceSpan?
      if service.port == 443 {
        reached =
          mailPassed ? d.edge.passthrough.first { $0.value.absolute(in: zone) == mailHost.value.text }?.span : nil
      } else {
        reached = d.edge.forward.first { $0.value.number == service.port }?.span
      }
      if let reached, listening {
        add(owner, .srv(priority: 0, weight: 1, port: service.port, target: mailHost.value), from: reached)
      } else {
        notOffered.append(owner)
      }
    }
    if let autodiscover = d.edge.passthrough.first(where: { $0.value.relative == "autodiscover" }),
      let mailName = mailHost.value.relative(to: zone), passed.contains(mailName)
    {
      add(
        "_autodiscover._tcp", .srv(priority: 0, weight: 1, port: 443, target: mailHost.value), from: autodiscover.span,
        lessons: [5])
    }

    for extra in dns.extra { addExtra(extra) }
  }

  mutating func addExtra(_ e: ExtraRecord) {
    let ttl = e.ttl ?? d.dns.ttl
    let text = e.value.value
    let data: DNSRecord.RData
    switch e.type.value {
    case .A:
      guard let a = IPv4Address(text) else {
        return report(
          e.value.span, "\"\(text)\" is not an IPv4 address", help: "an A record holds an address such as 203.0.113.10")
      }
      data = .a(a)
    case .AAAA:
      guard let a = IPv6Address(text) else {
        return report(
          e.value.span, "\"\(text)\" is not an IPv6 address",
          help: "an AAAA record holds an address such as 2001:db8::10")
      }
      data = .aaaa(a)
    case .CNAME:
      guard let target = DomainName(text) else {
        return report(
          e.value.span, "\"\(text)\" is not a DNS name", help: "a CNAME points at a name such as mail.example.com")
      }
      // A single label is a name in this zone, as for MX hosts.
      data = .cname(target.labels.count == 1 ? DomainName("\(target.text).\(zone.text)") ?? target : target)
    case .TXT:
      data = .txt(text)
    }
    records.append(DNSRecord(e.name.value, ttl: ttl, data, from: e.value.span))
  }

  mutating func add(
    _ name: String, _ data: DNSRecord.RData, from span: SourceSpan, lessons: [Int] = [], rules: [String] = []
  ) {
    guard let owner = RecordName(name, zone: zone) else {
      return report(span, "\"\(name)\" does not make a DNS name in \(zone)", help: nil)
    }
    add(owner, data, from: span, lessons: lessons, rules: rules)
  }

  mutating func add(
    _ owner: RecordName, _ data: DNSRecord.RData, from span: SourceSpan, lessons: [Int] = [], rules: [String] = []
  ) {
    records.append(DNSRecord(owner, ttl: d.dns.ttl, data, from: span, lessons: lessons, rules: rules))
  }

  mutating func report(_ span: SourceSpan?, _ message: String, help: String?, notes: [String] = []) {
    findings.append(Finding(.error, file: d.file, at: span, message, help: help, notes: notes))
  }

  /// Sorted, exact duplicates dropped (the first kept), and every conflict
  /// that would make a resolver or the provider misread the set reported.
  mutating func merged() -> [DNSRecord] {
    var seen: Set<Key> = []
    var unique: [DNSRecord] = []
    for record in records where seen.insert(Key(name: record.name, data: record.data)).inserted {
      unique.append(record)
    }
    for record in unique {
      if let owned = record.name.relative.split(separator: ".").first(where: {
        DNSRecordSet.stalwartOwnedLabels.contains($0)
      }) {
        report(
          record.source, "\(owned) records are Stalwart's own; they are never published from the inventory",
          help: "remove this record")
      }
    }
    let byName = Dictionary(grouping: unique, by: \.name)
    for name in byName.keys.sorted() {
      let group = byName[name]!
      let label = name.absolute(in: zone)
      if let cname = group.first(where: { $0.kind == .CNAME }), group.count > 1 {
        let other = group.first { $0 != cname }!
        report(
          other.source,
          "\(label) has a CNAME and other records; a name with a CNAME can hold nothing else",
          help: "remove one of them", notes: ["the CNAME comes from line \(cname.source.start.line)"])
      }
      for kind in DNSRecord.Kind.allCases {
        let set = group.filter { $0.kind == kind }
        if let first = set.first, let odd = set.first(where: { $0.ttl.value != first.ttl.value }) {
          report(
            odd.ttl.span,
            "\(label) \(kind) records have different TTLs (\(first.ttl.value) and \(odd.ttl.value)); one record set has one TTL",
            help: "give them the same ttl")
        }
      }
      var versions: [String: DNSRecord] = [:]
      for record in group {
        guard case .txt(let text) = record.data, let version = Self.policyVersion(text) else { continue }
        if let first = versions[version.lowercased()] {
          report(
            record.source, "\(label) would have two \(version) records; receivers then ignore both",
            help: "keep one", notes: ["the other comes from line \(first.source.start.line)"])
        } else {
          versions[version.lowercased()] = record
        }
      }
    }
    return unique.sorted(by: DNSRecord.precedes)
  }

  struct Key: Hashable {
    var name: RecordName
    var data: DNSRecord.RData
  }

  /// `v=spf1`, `v=DMARC1`, `v=DKIM1`, `v=STSv1`, `v=TLSRPTv1`: a name may hold
  /// one record of each (compared without case).
  static func policyVersion(_ text: String) -> String? {
    let head = text.prefix { $0 != ";" && $0 != " " }
    guard head.lowercased().hasPrefix("v="), head.count > 2 else { return nil }
    return String(head)
  }

  static func isSPF(_ text: String) -> Bool { policyVersion(text)?.lowercased() == "v=spf1" }
}

extension DNSRecord {
  /// The kind Stalwart would call this record, if it is one it can publish.
  public var publishKind: DNSRecordKind? {
    let text: String
    if case .txt(let t) = data { text = t } else { text = "" }
    return DNSOwnership.kind(name: name.relative, type: kind.rawValue, data: text)
  }
}
