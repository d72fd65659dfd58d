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
      the MagicDNS name) or the full `<machine>.<tailnet>.ts.net`. Allow-lists take Tailscale's \
      whole range, 100.64.0.0/10, rather than one node's address. Public DNS never points into \
      the tailnet.
      """,
    triggering: [
      RuleExample(
        "the relay written as the mailbox node's tailnet address",
        replacing: "relay:\n  host: mailbox", with: "relay:\n  host: ↓100.79.87.80"),
      RuleExample(
        "the database written as a tailnet IPv6 address",
        replacing: "  host: the-record-prod", with: "  host: ↓fd7a:115c:a1e0::53"),
      RuleExample(
        "one node's tailnet address in the auto-ban allow-list",
        replacing: "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]",
        with: "auto_ban_allow: [↓100.112.26.122, 203.0.113.10]"),
      RuleExample(
        "a public DNS record pointing into the tailnet",
        replacing: "    mail: [203.0.113.10]", with: "    mail: [203.0.113.10, ↓100.79.87.80]"),
    ],
    nonTriggering: [
      RuleExample(
        "the relay by its full MagicDNS name",
        replacing: "relay:\n  host: mailbox", with: "relay:\n  host: mailbox.tail7b1641.ts.net"),
      RuleExample(
        "the relay at a public IPv4 literal, off the tailnet",
        replacing: "relay:\n  host: mailbox", with: "relay:\n  host: 198.51.100.25"),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let tailnet = d.tailnet.value
    for (role, endpoint) in [("database", d.database), ("relay", d.relay)] {
      guard let endpoint, case .tailnetAddress(let address) = endpoint.host.value else { continue }
      let used = Set([d.database, d.relay].compactMap { e -> String? in
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
        help = "use the MagicDNS name of the \(role) machine, one of: "
          + candidates.map { tailnet.magicDNSName(of: $0) }.joined(separator: ", ")
      }
      findings.report(
        endpoint.host.span,
        "\(role) host \(address) is a tailnet address; it changes whenever that node registers again",
        help: help)
    }

    for entry in d.stalwart.autoBanAllow where entry.value.isHost && entry.value.address.isTailnet {
      findings.report(
        entry.span, "auto-ban allow-list names the single tailnet address \(entry.value.address); it changes when the node registers again",
        help: "allow Tailscale's whole range instead: \(entry.value.address.bytes.count == 4 ? "100.64.0.0/10" : "fd7a:115c:a1e0::/48")")
    }
    for entry in d.stalwart.proxyTrustedNetworks {
      if let cidr = CIDR(entry.value), cidr.isHost, cidr.address.isTailnet {
        findings.report(
          entry.span, "PROXY trusted networks name the single tailnet address \(cidr.address); the edge's address can change",
          help: "trust Tailscale's whole range instead: \(cidr.address.bytes.count == 4 ? "100.64.0.0/10" : "fd7a:115c:a1e0::/48")")
      }
    }

    for host in d.dns.hosts {
      for address in host.addresses where address.value.isTailnet {
        findings.report(
          address.span, "public DNS record \(host.name.value) points at the tailnet address \(address.value)",
          help: "publish the edge's public address (\(d.edge.publicIPv4.value)); tailnet addresses are unreachable from the internet and change")
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
        d.edge.publicIPv4.span, "edge.public_ipv4 \(d.edge.publicIPv4.value) is a tailnet address, not the edge's public one",
        help: "write the address the internet reaches the edge at")
    }
  }
}
