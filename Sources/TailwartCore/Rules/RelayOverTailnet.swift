/// Lesson 10: the VPS provider drops outbound SMTP on every port mail uses
/// (25, 465, 587 and 2525). Mail leaves over the tailnet, whose WireGuard
/// traffic the filter does not touch, to a relay on another machine.
public enum RelayOverTailnet: Rule {
  public static let description = RuleDescription(
    id: "relay-over-tailnet",
    summary: "a relay to a public host on an SMTP port, or no relay at all, while the VPS blocks outbound SMTP",
    lessons: [10],
    rationale: """
      The VPS provider drops outgoing connections to 25, 465, 587 and 2525, not only to port \
      25, so both delivering straight to MX hosts and relaying to a public smarthost time out: \
      the SYN never arrives. Tailscale carries its traffic over WireGuard on UDP (or DERP over \
      443), which the filter leaves alone, so a relay reached over the tailnet gets through.
      """,
    fix: """
      Relay to a machine on the tailnet by its name, e.g. `relay: {host: mailbox, port: 587}` \
      with the machine listed under `nodes`, and grant the sidecar's tag access to it. Set \
      `vps.blocks_outbound_smtp: false` only once the provider has lifted the block.
      """,
    triggering: [
      RuleExample(
        "a relay to a public smarthost's submission port",
        replacing: "relay:\n  host: mailbox", with: "relay:\n  host: ↓smtp.example.net"),
      RuleExample(
        "a relay to a public IPv4 address on port 25",
        replacing: "relay:\n  host: mailbox\n  port: 587", with: "relay:\n  host: ↓198.51.100.25\n  port: 25"),
      RuleExample(
        "direct delivery from a VPS that blocks SMTP",
        [
          .init("relay:\n  host: mailbox\n  port: 587\n", ""),
          .init("  blocks_outbound_smtp: true", "  blocks_outbound_smtp: ↓true"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "a public smarthost on a port the VPS does not block",
        replacing: "relay:\n  host: mailbox\n  port: 587", with: "relay:\n  host: smtp.example.net\n  port: 8025"),
      RuleExample(
        "a relay by MagicDNS name",
        replacing: "relay:\n  host: mailbox", with: "relay:\n  host: mailbox.tail7b1641.ts.net"),
      RuleExample(
        "direct delivery from a VPS that allows SMTP",
        [
          .init("relay:\n  host: mailbox\n  port: 587\n", ""),
          .init("  blocks_outbound_smtp: true", "  blocks_outbound_smtp: false"),
        ]),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    guard d.vps.blocksOutboundSMTP.value else { return }
    let machines = d.nodes.map(\.name.value.text).filter {
      $0 != d.edge.node.value.text && Host.node(MachineName($0)!) != d.database.host.value
    }
    guard let relay = d.relay else {
      findings.report(
        d.vps.blocksOutboundSMTP.span,
        "with no relay Stalwart delivers to MX hosts on port 25, which the VPS blocks; outbound mail times out",
        help: machines.count == 1
          ? "add `relay: {host: \(machines[0]), port: 587}` to relay over the tailnet"
          : "add a `relay:` block naming a machine on the tailnet, e.g. `relay: {host: <machine>, port: 587}`")
      return
    }
    let port = relay.port.value.number
    guard !relay.host.value.isOnTailnet, Port.smtpPorts.contains(port) else { return }
    findings.report(
      relay.host.span,
      "relay to \(relay.host.value):\(port) leaves the VPS on an SMTP port, which the provider blocks; the connection times out",
      help: machines.count == 1
        ? "relay over the tailnet: `host: \(machines[0])` (a machine under `nodes`)"
        : "relay over the tailnet: `host: <machine>` naming a machine under `nodes`")
  }
}
