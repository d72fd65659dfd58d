/// Who writes which kind of DNS record. Stalwart v0.16 publishes every kind
/// in its domain's `publishRecords` through the DNS provider by replacing
/// whole record sets; tailwart's dns/ files do the same with theirs. Two
/// writers of one kind undo each other, so every kind has one writer
/// (lesson 13): the inventory names Stalwart's share, and tailwart's is
/// `dns.publish` or, when that is not written, every other kind.
public enum DNSOwnership {
  /// The kinds Stalwart publishes.
  public static func stalwartKinds(_ d: Deployment) -> Set<DNSRecordKind> {
    Set(d.stalwart.publishRecords.value.map(\.value))
  }

  /// The kinds tailwart publishes.
  public static func tailwartKinds(_ d: Deployment) -> Set<DNSRecordKind> {
    if let listed = d.dns.publish { return Set(listed.value.map(\.value)) }
    return Set(DNSRecordKind.allCases).subtracting(stalwartKinds(d))
  }

  /// The kind of a record as both writers see it, from its owner (relative
  /// to the zone), type and data; nil for kinds Stalwart never writes (A,
  /// AAAA, other names), which are always tailwart's.
  public static func kind(name: String, type: String, data: String) -> DNSRecordKind? {
    switch type.uppercased() {
    case "MX": return .mx
    case "SRV": return .srv
    case "CAA": return .caa
    case "TLSA": return .tlsa
    case "CNAME":
      switch name {
      case "mta-sts": return .mtaSts
      case "autoconfig": return .autoConfigLegacy
      case "autodiscover": return .autoDiscover
      case "ua-auto-config": return .autoConfig
      default: return nil
      }
    case "TXT":
      let head = data.prefix { $0 != ";" && $0 != " " }.lowercased()
      switch head {
      case "v=spf1": return .spf
      case "v=dmarc1": return .dmarc
      case "v=tlsrptv1": return .tlsRpt
      case "v=stsv1": return .mtaSts
      case "v=dkim1": return .dkim
      default: return name == "_ua-auto-config" ? .autoConfig : nil
      }
    default: return nil
    }
  }

  /// An inventory value that makes records of a kind.
  public struct Source: Sendable {
    public var kind: DNSRecordKind
    public var span: SourceSpan
    /// The inventory key, for messages (`dns.spf`).
    public var key: String
  }

  /// The values in the inventory that make records of each kind, in the
  /// order the inventory has them.
  public static func sources(_ d: Deployment) -> [Source] {
    let dns = d.dns
    var out: [Source] = []
    if let mx = dns.mx.first { out.append(Source(kind: .mx, span: mx.host.span, key: "dns.mx")) }
    out.append(Source(kind: .spf, span: dns.spf.span, key: "dns.spf"))
    out.append(Source(kind: .dmarc, span: dns.dmarc.span, key: "dns.dmarc"))
    if let rpt = dns.tlsRPT { out.append(Source(kind: .tlsRpt, span: rpt.span, key: "dns.tls_rpt")) }
    if let sts = dns.mtaSTS { out.append(Source(kind: .mtaSts, span: sts.id.span, key: "dns.mta_sts")) }
    if let key = dns.dkim.first { out.append(Source(kind: .dkim, span: key.publicKey.span, key: "dns.dkim")) }
    if let caa = dns.caa { out.append(Source(kind: .caa, span: caa.issuer.span, key: "dns.caa")) }
    for name in d.edge.passthrough {
      if let kind = kind(name: name.value.relative, type: "CNAME", data: "") {
        out.append(Source(kind: kind, span: name.span, key: "edge.passthrough"))
      }
    }
    // Client SRV records follow the forwarded ports and listeners.
    out.append(Source(kind: .srv, span: d.edge.forward.first?.span ?? d.stalwart.hostname.span, key: "edge.forward"))
    for extra in dns.extra {
      if let kind = kind(name: extra.name.value.relative, type: extra.type.value.rawValue, data: extra.value.value) {
        out.append(Source(kind: kind, span: extra.value.span, key: "dns.extra"))
      }
    }
    return out
  }
}
