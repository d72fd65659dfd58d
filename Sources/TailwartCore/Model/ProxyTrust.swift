/// Which of Stalwart's listeners trust the edge for PROXY headers, derived
/// from what the edge does: the one answer that the Caddy routes, the
/// Stalwart plan and the rules all read, so they cannot disagree.
///
/// Stalwart v0.16 drops a connection from a trusted network that does not
/// start with a PROXY header, and a listener without its own list uses the
/// global one. Trust therefore sits on exactly the listeners the edge feeds
/// through a layer-4 proxy with a header, and nowhere else: not on the :443
/// listener the edge reaches by SNI passthrough (no header), not on the
/// admin reached over the tailnet, never globally (lessons 3 and 5).
public enum ProxyTrust {
  /// The networks the edge connects from: it dials the sidecar's MagicDNS
  /// name over the tailnet, from an address that changes when it registers
  /// again, so the whole tailnet range (both families).
  public static let edgeNetworks: [CIDR] = [CIDR.tailnetIPv4, CIDR.tailnetIPv6]

  /// The ports the edge forwards as layer-4 mail routes with a PROXY
  /// header. :443 is never one of them: it is shared with the edge's HTTP
  /// server and passed through by SNI, without a header.
  public static func proxiedPorts(_ d: Deployment) -> Set<Int> {
    Set(d.edge.forward.map(\.value.number).filter { $0 != 443 })
  }

  /// Whether the edge sends a PROXY header to Stalwart on `port`.
  public static func edgeSendsProxy(_ d: Deployment, port: Int) -> Bool {
    proxiedPorts(d).contains(port)
  }

  /// The networks `listener` must trust for PROXY headers: the edge's
  /// networks when the edge sends it headers, none otherwise.
  public static func trustedNetworks(_ d: Deployment, _ listener: Listener) -> [CIDR] {
    edgeSendsProxy(d, port: listener.port.value.number) ? edgeNetworks : []
  }
}
