extension Host {
  /// The name or address to dial: a tailnet machine by its MagicDNS name
  /// (lesson 6), anything else as written.
  public func dialHost(in tailnet: TailnetName) -> String {
    switch self {
    case .node(let machine): tailnet.magicDNSName(of: machine.text)
    case .tailnetAddress(let address), .address(let address): address.description
    case .publicName(let name): name.text
    }
  }
}

extension Endpoint {
  /// `host:port`, with an IPv6 literal in brackets.
  public func dialAddress(in tailnet: TailnetName) -> String {
    let host = host.value.dialHost(in: tailnet)
    return (host.contains(":") ? "[\(host)]" : host) + ":\(port.value.number)"
  }
}
