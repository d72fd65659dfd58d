/// One thing the edge does with public traffic: accept connections on a
/// port (optionally only those whose TLS SNI names match) and splice them to
/// the sidecar over the tailnet. The Caddyfile and caddy.json are both
/// written from the same list of routes, so they cannot disagree.
public struct EdgeRoute: Sendable, Equatable {
  /// The public port on the edge.
  public var port: Int
  /// Fully qualified names matched by TLS SNI; empty for every connection
  /// on the port (a mail port of its own).
  public var serverNames: [String]
  /// `host:port` dialled over the tailnet: always the sidecar's MagicDNS
  /// name (lesson 6).
  public var upstream: String
  /// `v1` or `v2` when the edge sends a PROXY header, so Stalwart's
  /// auto-ban sees the client's address rather than the edge's (lesson 3).
  /// Which routes carry one is `ProxyTrust`'s answer, the same one the
  /// Stalwart plan gives the listeners' trust.
  public var proxyProtocol: String?
  /// Caddy listener addresses, one per address family the edge serves.
  public var listen: [String]
  /// A short name for the route (Stalwart's listener name, or `port-N`).
  public var name: String
  /// True for a site the edge serves itself (`edge.sites`): Caddy
  /// terminates TLS for `serverNames` and proxies HTTP to `upstream`.
  public var terminatesTLS: Bool = false

  /// True for the :443 route that shares its port with Caddy's HTTP app
  /// through the layer4 listener wrapper (lesson 5).
  public var isPassthrough: Bool { !serverNames.isEmpty && !terminatesTLS }

  /// The routes the deployment needs, mail ports first (in the order the
  /// inventory forwards them), then the :443 passthrough, then the edge's
  /// own sites.
  public static func routes(_ d: Deployment) -> [EdgeRoute] {
    let sidecar = d.sidecarAddress
    let version = d.edge.proxyProtocol.value
    var out: [EdgeRoute] = []
    var seen: Set<Int> = []
    for forwarded in d.edge.forward {
      let port = forwarded.value.number
      // :443 belongs to the HTTP app's listener wrapper; binding it in the
      // layer4 app as well makes two listeners fight over one port.
      guard port != 443, seen.insert(port).inserted else { continue }
      let listener = d.stalwart.listeners.first { $0.port.value.number == port }
      out.append(
        EdgeRoute(
          port: port, serverNames: [], upstream: "\(sidecar):\(port)",
          proxyProtocol: ProxyTrust.edgeSendsProxy(d, port: port) ? version : nil,
          listen: listenAddresses(port: port, ipv6: d.edge.listensIPv6.value),
          name: listener?.name.value ?? "port-\(port)"))
    }
    if !d.edge.passthrough.isEmpty {
      let https = d.stalwart.listeners.first { $0.name.value == "https" }
        ?? d.stalwart.listeners.first { $0.port.value.number == 443 }
      let port = https?.port.value.number ?? 443
      var names: [String] = []
      for name in d.edge.passthrough.map({ $0.value.absolute(in: d.domain.value) }) where !names.contains(name) {
        names.append(name)
      }
      out.append(
        EdgeRoute(
          port: 443, serverNames: names, upstream: "\(sidecar):\(port)",
          proxyProtocol: ProxyTrust.edgeSendsProxy(d, port: 443) ? version : nil,
          listen: listenAddresses(port: 443, ipv6: d.edge.listensIPv6.value), name: https?.name.value ?? "https"))
    }
    for site in d.edge.sites {
      let host = site.upstream.host.value.dialHost(in: d.tailnet.value)
      let dial = host.contains(":") ? "[\(host)]:\(site.upstream.port.value)" : "\(host):\(site.upstream.port.value)"
      out.append(
        EdgeRoute(
          port: 443, serverNames: [site.name.value.text], upstream: dial, proxyProtocol: nil,
          listen: listenAddresses(port: 443, ipv6: d.edge.listensIPv6.value), name: site.name.value.text,
          terminatesTLS: true))
    }
    return out
  }

  /// Explicit address families: `tcp4/` binds IPv4 only and `tcp6/` IPv6
  /// only, so the edge never answers on IPv6 unless the inventory says it
  /// listens there (lesson 13).
  static func listenAddresses(port: Int, ipv6: Bool) -> [String] {
    ipv6 ? ["tcp4/0.0.0.0:\(port)", "tcp6/[::]:\(port)"] : ["tcp4/0.0.0.0:\(port)"]
  }
}
