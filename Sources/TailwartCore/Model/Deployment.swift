/// The whole mail edge, typed. Built by `InventoryDecoder` from the YAML
/// nodes; read by rules and (once checked) by renderers. Every value that came
/// from the inventory is `Located`, so a rule can point at it.
public struct Deployment: Sendable {
  /// The inventory file this came from, as given on the command line.
  public var file: String
  /// The mail domain (`example.com`).
  public var domain: Located<DomainName>
  /// The tailnet's MagicDNS suffix (`tail7b1641.ts.net`).
  public var tailnet: Located<TailnetName>
  /// Other machines on the tailnet, by machine name.
  public var nodes: [TailnetNode]
  /// Who may apply the deployment's tags (`autogroup:admin`, a group, a user).
  public var tagOwners: [Located<String>]
  /// The tailnet policy's grants for this deployment, as the operator keeps
  /// them; rendered into acl-snippet.hujson and checked for what each
  /// connection needs (lessons 5, 11).
  public var grants: [Grant]
  public var sidecar: Sidecar
  public var stalwart: Stalwart
  public var database: Endpoint
  /// Where outbound mail is relayed; nil when Stalwart delivers directly.
  public var relay: Endpoint?
  /// `relay.sends_from`: the public addresses the relay delivers from,
  /// which the domain's SPF record must authorise; empty when not named.
  public var relaySendsFrom: [Located<IPAddress>] = []
  /// How Stalwart logs in to the relay; nil when it does not.
  public var relayAuth: RelayAuth?
  public var edge: Edge
  public var vps: VPS
  public var network: Network
  public var dns: DNSSettings
  /// The lessons Markdown, relative to the inventory's folder.
  public var lessons: Located<String>
  /// Where the lessons site is published (no trailing slash).
  public var siteURL: Located<String>
  /// Where `render` writes, relative to the inventory's folder.
  public var output: Located<String>
  /// Every scalar value written in the inventory, for rules that must look
  /// at all text (secrets).
  public var scalars: [Located<String>]
  /// Deliberate exceptions (`ignore:`), applied by `Checker`.
  public var ignores: [IgnoreEntry] = []
  /// The key path of the value or key written at each position
  /// (`dns.hosts.mail[0]`): how an `ignore:` entry names a finding's place.
  public var keyPaths: [SourceLocation: String] = [:]
  /// Every comment's text (after the `#`), for the same rules: a secret in
  /// a comment is committed all the same.
  public var comments: [Located<String>] = []

  /// The node with this machine name, if the inventory lists it.
  public func node(named name: String) -> TailnetNode? {
    nodes.first { $0.name.value.text == name }
  }

  /// The sidecar's MagicDNS name: what every peer must dial (lesson 6).
  public var sidecarAddress: String { tailnet.value.magicDNSName(of: sidecar.machine.value.text) }
}

/// A machine on the tailnet other than the sidecar.
public struct TailnetNode: Sendable {
  public var name: Located<MachineName>
  public var tag: Located<TailscaleTag>
}

/// The Tailscale container whose network namespace Stalwart shares.
public struct Sidecar: Sendable {
  /// Compose service name (`ts-stalwart`).
  public var service: Located<String>
  /// Machine name on the tailnet (`stalwart`).
  public var machine: Located<MachineName>
  public var tag: Located<TailscaleTag>
  public var ephemeral: Located<Bool>
  public var image: Located<String>
  /// The environment variable that holds the auth key; never the key.
  public var authKeyEnv: Located<EnvironmentVariableName>
  public var healthcheck: Healthcheck
}

/// The sidecar's Compose healthcheck. Besides its own `/healthz` it probes
/// each of `waitsFor`, so "healthy" means "routes to those peers work".
public struct Healthcheck: Sendable {
  public enum Peer: String, Sendable, CaseIterable {
    case database, relay
  }

  public var waitsFor: Located<[Located<Peer>]>
  public var interval: Located<ComposeDuration>
  public var timeout: Located<ComposeDuration>
  public var retries: Located<Int>
  public var startPeriod: Located<ComposeDuration>
}

public struct Stalwart: Sendable {
  public var service: Located<String>
  public var image: Located<String>
  /// The public mail host name (`mail.example.com`).
  public var hostname: Located<DomainName>
  /// Compose `depends_on` condition on the sidecar.
  public var startAfter: Located<String>
  /// Host folders mounted at /etc/stalwart and /var/lib/stalwart.
  public var configVolume: Located<String>
  public var dataVolume: Located<String>
  public var listeners: [Listener]
  /// Stalwart's auto-ban allow-list (`AllowedIp`).
  public var autoBanAllow: [Located<CIDR>]
  public var acme: ACME
  /// The record kinds Stalwart publishes itself through the DNS provider
  /// (`Domain.dnsManagement.publishRecords`); tailwart publishes none of
  /// them (lesson 13).
  public var publishRecords: Located<[Located<DNSRecordKind>]>
  /// Present only so a rule can refuse them: a service in another's network
  /// namespace may not publish ports or join networks.
  public var ports: [Located<String>]
  public var networks: [Located<String>]
}

public struct Listener: Sendable {
  /// Stalwart's listener id (`smtp`, `submissions`, `imaps`, `https`, `admin`).
  public var name: Located<String>
  public var port: Located<Port>
  /// True when the listener expects a PROXY protocol header from the edge
  /// and so trusts the edge's networks for it. Derived from the edge's
  /// routes (`ProxyTrust`) unless the inventory writes it.
  public var proxyProtocol: Located<Bool>
  /// Whether `proxyProtocol` was written in the inventory.
  public var proxyProtocolWritten: Bool = true
  /// What Stalwart speaks on it; from the inventory or the port.
  public var proto: Located<ListenerProtocol>
}

/// Stalwart's `NetworkListenerProtocol`.
public enum ListenerProtocol: String, Sendable, CaseIterable {
  case smtp, lmtp, http, imap, pop3, manageSieve = "managesieve"

  /// The protocol usually served on `port`, if it is a well-known one.
  public static func usual(port: Int) -> ListenerProtocol? {
    switch port {
    case 25, 465, 587: .smtp
    case 143, 993: .imap
    case 110, 995: .pop3
    case 4190: .manageSieve
    case 80, 443, 8080, 8443: .http
    default: nil
    }
  }

  /// Ports whose clients start TLS at once instead of asking for it.
  public static func isImplicitTLS(port: Int) -> Bool { [465, 993, 995, 443, 8443].contains(port) }
}

/// The relay's login: a user name and the environment variable holding its
/// password (never the password).
public struct RelayAuth: Sendable {
  public var username: Located<String>
  public var passwordEnv: Located<EnvironmentVariableName>
}

/// A kind of DNS record Stalwart v0.16 can publish itself (its
/// `DnsRecordType`). The inventory spells them as Stalwart does; `_` and
/// `-` are ignored and case does not matter (`mta_sts` is `mtaSts`).
public enum DNSRecordKind: String, Sendable, CaseIterable, Comparable {
  case dkim, tlsa, spf, mx, dmarc, srv, mtaSts, tlsRpt, caa, autoConfig, autoConfigLegacy, autoDiscover

  public init?(spelling text: String) {
    let folded = text.lowercased().filter { $0 != "_" && $0 != "-" }
    guard let kind = Self.allCases.first(where: { $0.rawValue.lowercased() == folded }) else { return nil }
    self = kind
  }

  public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

  public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

public struct ACME: Sendable {
  public enum Challenge: String, Sendable, CaseIterable {
    case dns01 = "dns-01"
    case dnsPersist01 = "dns-persist-01"
    case http01 = "http-01"
    case tlsALPN01 = "tls-alpn-01"
  }

  public var directory: Located<String>
  public var challenge: Located<Challenge>
  /// DNS provider Stalwart writes challenge records through (`spaceship`).
  public var provider: Located<String>?
  /// The environment variable holding the provider's API secret, read by
  /// Stalwart's container (`DnsServer.secret`).
  public var apiSecretEnv: Located<EnvironmentVariableName>?
  /// Names to request; empty means a wildcard certificate for the domain.
  public var hostnames: Located<[Located<DomainName>]>
  /// The ACME account URI CAA pins issuance to, once known.
  public var accountURI: Located<String>?
  public var contact: Located<String>

  public var isWildcard: Bool { hostnames.value.isEmpty }
}

/// A peer Stalwart connects to: the database or the relay.
public struct Endpoint: Sendable {
  public var host: Located<Host>
  public var port: Located<Port>
}

/// A host as written in the inventory, classified once so every rule judges
/// the same thing.
public enum Host: Sendable, Hashable, CustomStringConvertible {
  /// A machine on the tailnet, by machine name or MagicDNS name.
  case node(MachineName)
  /// An address inside Tailscale's ranges: never stable for ephemeral nodes.
  case tailnetAddress(IPAddress)
  /// A public IP literal.
  case address(IPAddress)
  /// A public DNS name (may have A and AAAA records).
  case publicName(DomainName)

  public var description: String {
    switch self {
    case .node(let m): m.text
    case .tailnetAddress(let a), .address(let a): a.description
    case .publicName(let d): d.text
    }
  }

  public var isOnTailnet: Bool {
    switch self {
    case .node, .tailnetAddress: true
    case .address, .publicName: false
    }
  }
}

/// The public edge box running Caddy with caddy-l4.
public struct Edge: Sendable {
  /// The edge's machine name; must be one of `nodes`.
  public var node: Located<MachineName>
  public var publicIPv4: Located<IPv4Address>
  public var publicIPv6: Located<IPv6Address>?
  /// Whether the edge has IPv6 listeners for the mail ports.
  public var listensIPv6: Located<Bool>
  /// Mail ports forwarded to the sidecar with a PROXY header.
  public var forward: [Located<Port>]
  /// PROXY protocol version (`v1` or `v2`).
  public var proxyProtocol: Located<String>
  /// Names passed through by SNI on :443 to Stalwart, relative to the domain.
  public var passthrough: [Located<RecordName>]
  /// Names the edge serves as its own HTTPS sites (never a passthrough name).
  public var sites: [Located<DomainName>]
}

public struct VPS: Sendable {
  /// The provider drops outbound 25, 465, 587 and 2525.
  public var blocksOutboundSMTP: Located<Bool>
}

/// Docker's default network for the pair of containers.
public struct Network: Sendable {
  public var ipv6: Located<Bool>
  public var subnet: Located<CIDR>?
  public var gateway: Located<IPv6Address>?
}

public struct DNSSettings: Sendable {
  /// `spaceship` (the only provider with an API payload so far).
  public var provider: Located<String>
  public var ttl: Located<Int>
  /// A and AAAA records, by owner name.
  public var hosts: [HostAddresses]
  public var mx: [MXRecord]
  public var spf: Located<String>
  public var dmarc: Located<String>
  public var tlsRPT: Located<String>?
  public var mtaSTS: MTASTS?
  public var dkim: [DKIMKey]
  public var caa: CAA?
  /// Records published as they are.
  public var extra: [ExtraRecord]
  /// The record kinds tailwart publishes, when the inventory lists them;
  /// nil means every kind Stalwart does not publish.
  public var publish: Located<[Located<DNSRecordKind>]>?
}

public struct HostAddresses: Sendable {
  public var name: Located<RecordName>
  public var addresses: [Located<IPAddress>]
}

public struct MXRecord: Sendable {
  public var host: Located<DomainName>
  public var preference: Located<Int>
}

public struct MTASTS: Sendable {
  public enum Mode: String, Sendable, CaseIterable {
    case enforce, testing, none
  }

  public var id: Located<String>
  public var mode: Located<Mode>
  public var maxAge: Located<Int>
}

public struct DKIMKey: Sendable {
  public enum Algorithm: String, Sendable, CaseIterable {
    case ed25519, rsa
  }

  public var selector: Located<String>
  public var algorithm: Located<Algorithm>
  /// Base64 public key (the `p=` value).
  public var publicKey: Located<String>
}

public struct CAA: Sendable {
  /// The CA's issuer domain (`letsencrypt.org`).
  public var issuer: Located<String>
  /// Where CAs report refused requests (`mailto:` or `https:`).
  public var iodef: Located<String>?
}

public struct ExtraRecord: Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    case A, AAAA, CNAME, TXT
  }

  public var name: Located<RecordName>
  public var type: Located<Kind>
  public var value: Located<String>
  public var ttl: Located<Int>?
}

/// One tailnet policy grant: `src` may open connections to `dst` on `ip`.
public struct Grant: Sendable {
  /// Selectors as written: `tag:x`, `autogroup:...`, `group:...`, a user, `*`.
  public var src: [Located<String>]
  public var dst: [Located<String>]
  public var ip: [Located<GrantPorts>]
  /// Where the grant starts in the inventory.
  public var span: SourceSpan

  /// True when the grant lets `source` reach `destination` on TCP `port`.
  public func allows(source: TailscaleTag, destination: TailscaleTag, tcpPort port: Int) -> Bool {
    src.contains { $0.value == source.description || $0.value == "*" }
      && dst.contains { $0.value == destination.description || $0.value == "*" }
      && ip.contains { $0.value.allows(proto: "tcp", port: port) }
  }
}

/// A grant's `ip` entry: `tcp:587`, `tcp:8000-8080`, `587`, `tcp:*`, `*`.
public struct GrantPorts: Sendable, Hashable, CustomStringConvertible {
  /// nil: every protocol.
  public let proto: String?
  /// nil: every port.
  public let ports: ClosedRange<Int>?

  public init?(_ text: String) {
    if text == "*" {
      proto = nil
      ports = nil
      return
    }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count <= 2 else { return nil }
    var portText = Substring(text)
    if parts.count == 2 {
      guard ["tcp", "udp", "sctp", "icmp"].contains(parts[0]) else { return nil }
      proto = String(parts[0])
      portText = parts[1]
    } else {
      proto = nil
    }
    if portText == "*" {
      ports = nil
      return
    }
    let bounds = portText.split(separator: "-", omittingEmptySubsequences: false)
    guard (1...2).contains(bounds.count),
      let low = Int(bounds[0]), let high = Int(bounds.last!), (1...65535).contains(low), (low...65535).contains(high),
      bounds.allSatisfy({ $0.allSatisfy(\.isNumber) })
    else { return nil }
    ports = low...high
  }

  public func allows(proto p: String, port: Int) -> Bool {
    (proto == nil || proto == p) && (ports == nil || ports!.contains(port))
  }

  public var description: String {
    let portText = ports.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" } ?? "*"
    if proto == nil && ports == nil { return "*" }
    return proto.map { "\($0):\(portText)" } ?? portText
  }
}
