/// Lesson 3: Stalwart's auto-ban judges the PROXY header's client address on
/// proxied listeners but the raw peer address elsewhere. The edge shows up
/// as both: as its tailnet address on the admin listener, and as its own
/// public address when it sends mail to the public name. Banning either
/// locks the edge out in a way that looks like a network fault.
public enum AutoBanAllowsEdge: Rule {
  public static let description = RuleDescription(
    id: "auto-ban-allows-edge",
    summary:
      "an auto-ban allow-list without the tailnet range and the edge's public IPv4",
    lessons: [3],
    rationale: """
      Stalwart's auto-ban checks the client address from the PROXY header on listeners that \
      expect one, and the raw peer address on the others, such as the admin listener. The edge \
      therefore appears under two addresses: its tailnet address when it reaches the admin port, \
      and its own public address when mail it sends itself comes back through it. Malformed \
      probes of the mail ports renew a ban, and a banned edge looks like a routing problem: \
      connections are accepted and closed at once. Since Stalwart v0.16 a ban is kept in its \
      data store and outlives a restart.
      """,
    fix: """
      Allow Tailscale's whole range and the edge's public address: `auto_ban_allow: \
      [100.64.0.0/10, <edge public IPv4>]` (and its public IPv6 once the edge listens on IPv6). \
      The plan writes one allowed address per entry. A ban already in place stays until it \
      expires or is deleted from the blocked addresses in Stalwart's admin.
      """,
    triggering: [
      RuleExample(
        "an allow-list without the tailnet range",
        replacing: "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]", with: "auto_ban_allow: [↓203.0.113.10]"),
      RuleExample(
        "an allow-list without the edge's public address",
        replacing: "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]", with: "auto_ban_allow: [↓100.64.0.0/10]"),
      RuleExample(
        "an edge listening on IPv6 without its IPv6 address allowed",
        [
          .init("  listen_ipv6: false", "  listen_ipv6: true\n  public_ipv6: 2001:db8::10"),
          .init(
            "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]", "auto_ban_allow: [↓100.64.0.0/10, 203.0.113.10]"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "the edge's address inside a wider allowed block",
        replacing: "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]",
        with: "auto_ban_allow: [100.64.0.0/10, 203.0.113.0/24]"),
      RuleExample(
        "an edge on IPv6 with both public addresses allowed",
        [
          .init("  listen_ipv6: false", "  listen_ipv6: true\n  public_ipv6: 2001:db8::10"),
          .init(
            "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]",
            "auto_ban_allow: [100.64.0.0/10, 203.0.113.10, 2001:db8::10]"),
        ]),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let allow = d.stalwart.autoBanAllow
    // Where a missing entry is reported: the list, or the edge's address
    // when the list is empty.
    let anchor = allow.first?.span ?? d.edge.publicIPv4.span
    var missing: [(entry: String, why: String)] = []

    // A single tailnet address in the list is magicdns-not-ips' finding, with the same fix.
    let namesOneNode = allow.contains {
      $0.value.address.isTailnet && $0.value.prefix == $0.value.address.bytes.count * 8
    }
    if !namesOneNode && !allow.contains(where: { $0.value.contains(CIDR.tailnetIPv4) }) {
      missing.append(("100.64.0.0/10", "the edge reaches the admin listener from a tailnet address that changes"))
    }
    let v4 = IPAddress.v4(d.edge.publicIPv4.value)
    if !allow.contains(where: { $0.value.contains(v4) }) {
      missing.append((v4.description, "mail the edge sends itself arrives with its public address in the PROXY header"))
    }
    if d.edge.listensIPv6.value, let v6 = d.edge.publicIPv6?.value,
      !allow.contains(where: { $0.value.contains(.v6(v6)) })
    {
      missing.append((v6.description, "the edge also listens on IPv6"))
    }
    if !missing.isEmpty {
      let entries = allow.map(\.value.description) + missing.map(\.entry)
      for item in missing {
        findings.report(
          anchor, "the auto-ban allow-list lacks \(item.entry); \(item.why), and a ban locks the edge out",
          help: "write `auto_ban_allow: [\(entries.joined(separator: ", "))]`")
      }
    }
  }
}
