/// Lesson 6: the sidecar is an ephemeral node, and tailnet addresses change
/// when a node registers again. Anything that dials a tailnet peer must use
/// its MagicDNS name; a tailnet address written down breaks silently later.
public enum MagicDNSNotIPs: Rule {
  public static let description = RuleDescription(
    id: "magicdns-not-ips",
    summary: "a tailnet address (100.64.0.0/10, fd7a:115c:a1e0::/48) used where a MagicDNS name belongs",
    lessons: [6],
    rationale: """
      Tailnet addresses belong to a node's registration, not to the machine. An ephemeral node \
      such as the sidecar gets a new one each time it joins again, and any node can be \
      re-registered. A connection written down as 100.x.y.z works until that day and then fails \
      with "network is unreachable", far from the change that caused it. MagicDNS names follow \
      the node.
      """,
    fix: """
      Name the machine instead: its machine name as listed under `nodes` (tailwart expands it to \
      the MagicDNS name) or the full `<machine>.<tailnet>.ts.net`. Grants name nodes by their \
      tags. Allow-lists take Tailscale's whole range, 100.64.0.0/10, rather than one node's \
      address. Public DNS, SPF included, never points into the tailnet.
      """,
    triggering: [
      RuleExample(
        "the relay written as the mailbox node's tailnet address",
        replacing: "relay:\n  host: mailbox", with: "relay:\n  host: ↓100.79.87.80"),
      RuleExample(
        "the database written as a tailnet IPv6 address",
        replacing: "  host: the-record-prod", with: "  host: ↓fd7a:115c:a1e0::1a2b"),
      RuleExample(
        "one node's tailnet address in the auto-ban allow-list",
        replacing: "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]",
        with: "auto_ban_allow: [↓100.112.26.122, 203.0.113.10]"),
      RuleExample(
        "a public DNS record pointing into the tailnet",
        replacing: "    mail: [203.0.113.10]", with: "    mail: [203.0.113.10, ↓100.79.87.80]"),
      RuleExample(
        "a grant naming the mailbox by its tailnet address",
        replacing: "    dst: [tag:mail]", with: "    dst: [↓100.79.87.80]"),
      RuleExample(
        "SPF authorising a tailnet address",
        replacing: "  spf: v=spf1 mx -all", with: "  spf: ↓v=spf1 mx ip4:100.79.87.80 -all"),
      RuleExample(
        "the lessons site published at a tailnet address",
        replacing: "site_url: https://lessons.tail7b1641.ts.net", with: "site_url: ↓https://100.101.102.103:8443"),
      RuleExample(
        "an edge whose public IPv6 is its tailnet address",
        replacing: "  listen_ipv6: false", with: "  listen_ipv6: true\n  public_ipv6: ↓fd7a:115c:a1e0::7"),
    ],
    nonTriggering: [
      RuleExample(
        "the relay by its full MagicDNS name",
        replacing: "relay:\n  host: mailbox", with: "relay:\n  host: mailbox.tail7b1641.ts.net"),
      RuleExample(
        "the relay at a public IPv4 literal, off the tailnet",
        replacing: "relay:\n  host: mailbox", with: "relay:\n  host: 198.51.100.25"),
      RuleExample(
        "a grant to Tailscale's whole range",
        replacing: "    dst: [tag:mail]\n", with: "    dst: [tag:mail, 100.64.0.0/10]\n"),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    specific(d, into: &findings)
    anywhereElse(d, into: &findings)
  }

  /// The places an address is known to be written, each with its own fix.
  static func specific(_ d: Deployment, into findings: inout RuleFindings) {
    let tailnet = d.tailnet.value
    for (role, endpoint) in [("database", d.database), ("relay", d.relay)] {
      guard let endpoint, case .tailnetAddress(let address) = endpoint.host.value else { continue }
      let used = Set(
        [d.database, d.relay].compactMap { e -> String? in
          if case .node(let m) = e?.host.value { return m.text }
          return nil
        } + [d.edge.node.value.text])
      let candidates = d.nodes.map(\.name.value.text).filter { !used.contains($0) }
      let help: String
      if candidates.count == 1 {
        help = "use the MagicDNS name \(tailnet.magicDNSName(of: candidates[0])) (or `host: \(candidates[0])`)"
      } else if candidates.isEmpty {
        help = "list the \(role) machine under `nodes` and write `host: <machine>`; tailwart dials <machine>.\(tailnet)"
      } else {
        help =
          "use the MagicDNS name of the \(role) machine, one of: "
          + candidates.map { tailnet.magicDNSName(of: $0) }.joined(separator: ", ")
      }
      findings.report(
        endpoint.host.span,
        "\(role) host \(address) is a tailnet address; it changes whenever that node registers again",
        help: help)
    }

    for entry in d.stalwart.autoBanAllow where entry.value.isHost && entry.value.address.isTailnet {
      findings.report(
        entry.span,
        "auto-ban allow-list names the single tailnet address \(entry.value.address); it changes when the node registers again",
        help:
          "allow Tailscale's whole range instead: \(entry.value.address.bytes.count == 4 ? "100.64.0.0/10" : "fd7a:115c:a1e0::/48")"
      )
    }
    for host in d.dns.hosts {
      for address in host.addresses where address.value.isTailnet {
        findings.report(
          address.span, "public DNS record \(host.name.value) points at the tailnet address \(address.value)",
          help:
            "publish the edge's public address (\(d.edge.publicIPv4.value)); tailnet addresses are unreachable from the internet and change"
        )
      }
    }
    for record in d.dns.extra where record.type.value == .A || record.type.value == .AAAA {
      if let address = IPAddress(record.value.value), address.isTailnet {
        findings.report(
          record.value.span, "public DNS record \(record.name.value) points at the tailnet address \(address)",
          help: "publish a public address; tailnet addresses are unreachable from the internet and change")
      }
    }
    if d.edge.publicIPv4.value.isTailnet {
      findings.report(
        d.edge.publicIPv4.span,
        "edge.public_ipv4 \(d.edge.publicIPv4.value) is a tailnet address, not the edge's public one",
        help: "write the address the internet reaches the edge at")
    }
    if let v6 = d.edge.publicIPv6, v6.value.isTailnet {
      findings.report(
        v6.span, "edge.public_ipv6 \(v6.value) is a tailnet address, not the edge's public one",
        help: "write the IPv6 address the internet reaches the edge at")
    }

    let tags = (d.nodes.map(\.tag.value) + [d.sidecar.tag.value]).map(\.description).sorted()
    for grant in d.grants {
      for (side, selectors) in [("source", grant.src), ("destination", grant.dst)] {
        for selector in selectors {
          guard let cidr = CIDR(selector.value), let address = Self.oneNodeAddress(cidr) else { continue }
          findings.report(
            selector.span,
            "grant \(side) \(address) is a tailnet address; the grant stops matching when that node registers again",
            help: "name the node by its tag, one of: \(tags.joined(separator: ", "))")
        }
      }
    }

    var records = [d.dns.spf, d.dns.dmarc] + d.dns.extra.filter { $0.type.value == .TXT }.map(\.value)
    if let rpt = d.dns.tlsRPT { records.append(rpt) }
    for record in records {
      for address in Self.addresses(in: record.value) {
        findings.report(
          record.span,
          "public DNS record names the tailnet address \(address); it is unreachable from the internet and changes",
          help: "publish the edge's public address (\(d.edge.publicIPv4.value)) instead")
        break
      }
    }
  }

  /// Any other scalar holding one node's tailnet address: the catch-all, so
  /// a field added later is covered too. The ULA rule judges the network.
  static func anywhereElse(_ d: Deployment, into findings: inout RuleFindings) {
    var judged = Set(findings.findings.compactMap(\.span))
    for span in [d.network.subnet?.span, d.network.gateway?.span] { if let span { judged.insert(span) } }
    for scalar in d.scalars where !judged.contains(scalar.span) {
      guard let address = Self.addresses(in: scalar.value).first else { continue }
      findings.report(
        scalar.span, "\(address) is a tailnet address; it changes whenever that node registers again",
        help: "name the machine instead: <machine>.\(d.tailnet.value) (its MagicDNS name)")
    }
  }

  /// Tailscale's own fixed service address (the quad-100 resolver), which
  /// does not belong to a node and never changes.
  static let serviceAddresses: Set<IPAddress> = [IPAddress("100.100.100.100")!, IPAddress("fd7a:115c:a1e0::53")!]

  /// The address when `cidr` is a single node's tailnet address.
  static func oneNodeAddress(_ cidr: CIDR) -> IPAddress? {
    guard cidr.address.isTailnet, cidr.prefix == cidr.address.bytes.count * 8 else { return nil }
    return cidr.address
  }

  /// True when `text` contains `100.` or `fd7a` in any case: a byte scan
  /// that rules out almost every value before any parsing.
  static func mayHoldTailnetAddress(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count >= 4 else { return false }
    for i in 0...(bytes.count - 4) {
      let (a, b, c, d) = (bytes[i] | 0x20, bytes[i + 1] | 0x20, bytes[i + 2], bytes[i + 3] | 0x20)
      if bytes[i] == 0x31 && bytes[i + 1] == 0x30 && c == 0x30 && bytes[i + 3] == 0x2E { return true }  // "100."
      if a == 0x66 && b == 0x64 && c == 0x37 && d == 0x61 { return true }  // "fd7a"
    }
    return false
  }

  /// Single tailnet addresses written anywhere in `text`: bare, in a URL,
  /// as host:port, or as an SPF `ip4:`/`ip6:` mechanism.
  static func addresses(in text: String) -> [IPAddress] {
    guard mayHoldTailnetAddress(text) else { return [] }
    var out: [IPAddress] = []
    for raw in text.split(whereSeparator: { " \t\n,;=\"'<>()[]@".contains($0) }) {
      var token = raw
      if let scheme = token.range(of: "://") { token = token[scheme.upperBound...] }
      for mechanism in ["ip4:", "ip6:"] where token.hasPrefix(mechanism) { token = token.dropFirst(mechanism.count) }
      // Tailnet addresses start 100. or fd7a: (cheap to rule out the rest).
      guard token.hasPrefix("100.") || token.lowercased().hasPrefix("fd7a:") else { continue }
      var candidates = [String(token)]
      if let slash = token.firstIndex(of: "/") { candidates.append(String(token[..<slash])) }
      if token.contains("."), let colon = token.firstIndex(of: ":") { candidates.append(String(token[..<colon])) }
      for candidate in candidates {
        if let cidr = CIDR(candidate) {
          if let address = oneNodeAddress(cidr), !serviceAddresses.contains(address) { out.append(address) }
          break
        }
      }
    }
    return out
  }
}
