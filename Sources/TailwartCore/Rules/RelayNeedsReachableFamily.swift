/// Lesson 8: without IPv6 in the container, a relay host with an AAAA
/// record fails: Stalwart tries IPv6 first, gets "network unreachable", and
/// for a relay it does not fall back to IPv4. An IPv4 literal or a tailnet
/// name has no AAAA to trip on.
public enum RelayNeedsReachableFamily: Rule {
  public static let description = RuleDescription(
    id: "relay-needs-reachable-family",
    summary:
      "a relay to a public host name (which may have an AAAA record) or an IPv6 literal while the container has no IPv6",
    lessons: [8],
    rationale: """
      Stalwart shares the sidecar's network namespace, which has no IPv6 route unless the \
      Docker network gives it one. Resolving a dual-stack relay host, Stalwart tries the IPv6 \
      address first, fails at once with "network is unreachable", and for a relay next hop it \
      does not go on to the IPv4 address: it backs off and retries the same failure. Every \
      message to the relay waits. A public host name may gain an AAAA record at any time, so it \
      is not safe even when it has none today.
      """,
    fix: """
      Point the relay at the smarthost's IPv4 address, or at a machine on the tailnet by name \
      (also the answer to the VPS's SMTP block), or give the containers IPv6 egress with \
      `network: {ipv6: true, subnet: <a ULA /64>, gateway: <an address in it>}`.
      """,
    triggering: [
      RuleExample(
        "a relay by public name on a network without IPv6",
        [
          .init("network:\n  ipv6: true", "network:\n  ipv6: false"),
          .init("relay:\n  host: mailbox", "relay:\n  host: ↓smtp.example.net"),
        ]),
      RuleExample(
        "a relay at an IPv6 literal on a network without IPv6",
        [
          .init("network:\n  ipv6: true", "network:\n  ipv6: false"),
          .init("relay:\n  host: mailbox", "relay:\n  host: ↓2001:db8::25"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "a relay at an IPv4 literal on a network without IPv6",
        [
          .init("network:\n  ipv6: true", "network:\n  ipv6: false"),
          .init("relay:\n  host: mailbox\n  port: 587", "relay:\n  host: 198.51.100.25\n  port: 587"),
          .init("  blocks_outbound_smtp: true", "  blocks_outbound_smtp: false"),
        ]),
      RuleExample(
        "a relay over the tailnet on a network without IPv6",
        replacing: "network:\n  ipv6: true", with: "network:\n  ipv6: false"),
      RuleExample(
        "a relay by public name once the containers have IPv6",
        [
          .init("relay:\n  host: mailbox\n  port: 587", "relay:\n  host: smtp.example.net\n  port: 587"),
          .init("  blocks_outbound_smtp: true", "  blocks_outbound_smtp: false"),
        ]),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    guard !d.network.ipv6.value, let relay = d.relay else { return }
    let machines = d.nodes.map(\.name.value.text).filter {
      $0 != d.edge.node.value.text && Host.node(MachineName($0)!) != d.database.host.value
    }
    let tailnetOption = machines.count == 1 ? "`host: \(machines[0])` over the tailnet" : "a tailnet machine by name"
    switch relay.host.value {
    case .publicName(let name):
      findings.report(
        relay.host.span,
        "relay host \(name) may have an AAAA record, and the container has no IPv6; Stalwart tries it first and never falls back to IPv4",
        help: "use the relay's IPv4 address, \(tailnetOption), or enable `network.ipv6` with a ULA subnet")
    case .address(.v6(let address)):
      findings.report(
        relay.host.span,
        "relay host \(address) is an IPv6 address, and the container has no IPv6; every relay attempt fails",
        help: "use the relay's IPv4 address, \(tailnetOption), or enable `network.ipv6` with a ULA subnet")
    default:
      break
    }
  }
}
