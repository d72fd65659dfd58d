/// Lessons 3 and 5: Stalwart v0.16 drops a connection from a network it
/// trusts for PROXY headers when the connection does not start with one. A
/// listener must trust the edge exactly when the edge sends it a header: the
/// mail ports it forwards through caddy-l4, never the :443 it passes through
/// by SNI, never the admin reached over the tailnet.
public enum ProxyTrustMatchesEdge: Rule {
  public static let description = RuleDescription(
    id: "proxy-trust-matches-edge",
    summary:
      "PROXY trust on a listener the edge reaches without a header (:443 passthrough, the admin), or none on a listener it forwards with one",
    lessons: [3, 5],
    rationale: """
      The edge puts a PROXY header in front of each connection on the mail ports it forwards, \
      so Stalwart's auto-ban and logs see the sender rather than the edge. Stalwart believes \
      that header only from networks it trusts, and since v0.16 it also insists on it: a \
      connection from a trusted network that starts without a header is dropped. The :443 \
      names the edge passes through by SNI arrive without a header, and so does everything \
      that reaches the admin over the tailnet; trusting the tailnet there (or globally, where \
      every listener without its own list inherits it) cuts off MTA-STS, autoconfig and the \
      admin while mail keeps flowing. A forwarded port whose listener does not trust the edge \
      reads the header as a garbled command instead.
      """,
    fix: """
      Let tailwart derive the trust: leave `proxy_protocol` out of `stalwart.listeners`, and \
      the plan trusts the tailnet on exactly the ports in `edge.forward`. Where you write it, \
      write `proxy_protocol: true` only on listeners whose port is in `edge.forward`.
      """,
    triggering: [
      RuleExample(
        "trust on the listener behind the :443 passthrough",
        replacing: "    https: {port: 443}", with: "    https: {port: 443, proxy_protocol: ↓true}"),
      RuleExample(
        "trust on the admin listener",
        replacing: "    admin: {port: 8080}", with: "    admin: {port: 8080, proxy_protocol: ↓true}"),
      RuleExample(
        "a forwarded mail port whose listener does not trust the edge",
        replacing: "    imaps: {port: 993, proxy_protocol: true}", with: "    imaps: {port: 993, proxy_protocol: ↓false}"),
    ],
    nonTriggering: [
      RuleExample(
        "trust left for tailwart to derive",
        replacing: "    imaps: {port: 993, proxy_protocol: true}", with: "    imaps: {port: 993}"),
      RuleExample(
        "a tailnet-only IMAP listener without trust",
        replacing: "    admin: {port: 8080}", with: "    admin: {port: 8080}\n    imap: {port: 143, proxy_protocol: false}"),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let networks = ProxyTrust.edgeNetworks.map(\.description).joined(separator: ", ")
    let passthrough = !d.edge.passthrough.isEmpty
    for listener in d.stalwart.listeners where listener.proxyProtocolWritten {
      let port = listener.port.value.number
      let name = listener.name.value
      let sent = ProxyTrust.edgeSendsProxy(d, port: port)
      if listener.proxyProtocol.value && !sent {
        let why =
          port == 443 && passthrough
          ? "the edge passes :443 through by SNI without a PROXY header"
          : "nothing sends it a PROXY header (the edge does not forward port \(port))"
        findings.report(
          listener.proxyProtocol.span,
          "listener \(name) trusts the tailnet for PROXY headers, but \(why); Stalwart drops every connection from a trusted network that starts without one",
          help: "write `\(name): {port: \(port)}`")
      } else if !listener.proxyProtocol.value && sent {
        findings.report(
          listener.proxyProtocol.span,
          "the edge forwards port \(port) with a PROXY header, but listener \(name) does not trust the edge's networks (\(networks)); it reads the header as a broken command",
          help: "write `\(name): {port: \(port)}` (trust is derived from edge.forward) or `proxy_protocol: true`")
      }
    }
  }
}
