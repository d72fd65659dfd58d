/// Structural: what the edge sends and what Stalwart listens for must match.
/// A forwarded port needs a listener expecting the PROXY header the edge
/// adds; :443 belongs to SNI passthrough, never to a layer-4 port of its
/// own; an IPv6 listener needs an IPv6 address.
public enum EdgeListenersConsistent: Rule {
  public static let description = RuleDescription(
    id: "edge-listeners-consistent",
    summary:
      "a forwarded port with no Stalwart listener, :443 forwarded, or IPv6 listening without an address",
    lessons: [],
    rationale: """
      The edge forwards each mail port to the same port on the sidecar's MagicDNS name and puts \
      a PROXY header in front of every connection. Stalwart must listen on that port: without \
      the listener the connection is refused (whether it trusts the header is \
      proxy-trust-matches-edge's concern). Port 443 is \
      shared with the edge's HTTP server and reaches Stalwart through SNI passthrough; binding \
      it again as a layer-4 port makes TLS fail intermittently. Listening on IPv6 needs the \
      edge's public IPv6 address.
      """,
    fix: """
      For every port in `edge.forward`, give Stalwart a listener on it. Leave 443 out of `edge.forward` and list the names under `edge.passthrough`. Set \
      `edge.public_ipv6` before `listen_ipv6: true`.
      """,
    triggering: [
      RuleExample(
        "a forwarded port with no listener",
        [
          .init("  forward: [25, 465, 587, 993]", "  forward: [25, 465, 587, 993, ↓143]"),
          .init(
            "    ip: [tcp:25, tcp:465, tcp:587, tcp:993, tcp:443]",
            "    ip: [tcp:25, tcp:465, tcp:587, tcp:993, tcp:143, tcp:443]"),
        ]),
      RuleExample(
        ":443 forwarded as a mail port",
        replacing: "  forward: [25, 465, 587, 993]", with: "  forward: [25, 465, 587, 993, ↓443]"),
      RuleExample(
        "IPv6 listeners with no IPv6 address", replacing: "  listen_ipv6: false", with: "  listen_ipv6: ↓true"),
      RuleExample(
        "two listeners on one port",
        replacing: "    admin: {port: 8080}", with: "    admin: {port: 8080}\n    ↓manage: {port: 8080}"),
      RuleExample(
        "SNI passthrough with nothing listening on 443",
        [
          .init("    https: {port: 443}\n", ""),
          .init(
            "  passthrough: [mta-sts, autoconfig, autodiscover]", "  passthrough: [↓mta-sts, autoconfig, autodiscover]"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "a listener that is not forwarded and expects no header",
        replacing: "    admin: {port: 8080}", with: "    admin: {port: 8080}\n    imap: {port: 143}"),
      RuleExample(
        "IPv6 listeners with the edge's IPv6 address",
        [
          .init("  listen_ipv6: false", "  listen_ipv6: true\n  public_ipv6: 2001:db8::10"),
          .init(
            "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]",
            "auto_ban_allow: [100.64.0.0/10, 203.0.113.10, 2001:db8::10]"),
        ]),
    ])

  /// Stalwart's usual listener name for a port, for exact help lines.
  static let listenerNames: [Int: String] = [
    25: "smtp", 465: "submissions", 587: "submission", 143: "imap", 993: "imaps", 110: "pop3", 995: "pop3s",
    4190: "sieve", 443: "https",
  ]

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let listeners = d.stalwart.listeners
    var byPort: [Int: Listener] = [:]
    for listener in listeners {
      let port = listener.port.value.number
      if let first = byPort[port] {
        findings.report(
          listener.name.span,
          "listeners \(first.name.value) and \(listener.name.value) both use port \(port); only one can bind it",
          help: "give \(listener.name.value) another port or remove it")
      } else {
        byPort[port] = listener
      }
    }

    var forwarded: Set<Int> = []
    for entry in d.edge.forward {
      let port = entry.value.number
      guard forwarded.insert(port).inserted else {
        findings.report(
          entry.span, "port \(port) is forwarded twice; the edge can bind it only once",
          help: "remove the repeated \(port) from `edge.forward`")
        continue
      }
      if port == 443 {
        findings.report(
          entry.span,
          "443 is forwarded as a layer-4 port, but the edge's HTTP server already binds it; TLS would fail intermittently",
          help: "remove 443 from `edge.forward`; the names in `edge.passthrough` reach Stalwart's :443 by SNI")
        continue
      }
      if byPort[port] == nil {
        let name = Self.listenerNames[port] ?? "port\(port)"
        findings.report(
          entry.span, "the edge forwards port \(port), but Stalwart has no listener on it; every connection is refused",
          help: "add `\(name): {port: \(port)}` under stalwart.listeners, or drop \(port) from `edge.forward`"
        )
      }
    }

    if let first = d.edge.passthrough.first, byPort[443] == nil {
      findings.report(
        first.span,
        "the edge passes :443 through to Stalwart, but Stalwart has no listener on 443; every MTA-STS and autoconfig fetch fails",
        help: "add `https: {port: 443}` under stalwart.listeners")
    }

    if d.edge.listensIPv6.value && d.edge.publicIPv6 == nil {
      findings.report(
        d.edge.listensIPv6.span, "the edge is set to listen on IPv6 but has no public IPv6 address to listen on",
        help: "add `public_ipv6: <address>` under edge, or write `listen_ipv6: false`")
    }
  }
}
