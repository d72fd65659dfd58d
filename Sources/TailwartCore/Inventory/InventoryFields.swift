import Foundation

/// Every key the inventory may hold, section by section, with its kind and
/// a description: the table the JSON Schema (`tailwart schema`) is made
/// from, and the one the decoder's key lists are held to. Each mapping the
/// decoder opens declares its keys (`Fields.open(..., known:)`); a test
/// decodes inventories that reach every section and fails on any key the
/// decoder reads that this table does not hold, or the other way round.
///
/// Sections are named by path: `""` is the top level, `sidecar.healthcheck`
/// a nested mapping, `grants[]` the items of a list, `nodes.*` the values of
/// a mapping whose keys the operator chooses.
public enum InventoryFields {
  public indirect enum Kind: Sendable, Equatable {
    case string
    case integer
    case boolean
    /// One of these words.
    case choice([String])
    case list(Kind)
    /// A mapping with the keys of the named section.
    case section(String)
    /// A mapping from names the operator chooses to values of a kind.
    case named(Kind)
    /// A string, or a list of strings.
    case stringOrList
  }

  public struct Field: Sendable, Equatable {
    public let name: String
    public let kind: Kind
    public let required: Bool
    public let description: String

    init(_ name: String, _ kind: Kind, required: Bool = false, _ description: String) {
      self.name = name
      self.kind = kind
      self.required = required
      self.description = description
    }
  }

  /// The sections in the order the reference inventory has them.
  public static let sections: [(path: String, fields: [Field])] = [
    (
      "",
      [
        Field("domain", .string, required: true, "The mail domain: MX, SPF, DMARC and the other records live here."),
        Field("tailnet", .string, required: true, "Your tailnet's MagicDNS suffix, such as tail7b1641.ts.net."),
        Field("site_url", .string, required: true, "Where `tailwart site` is published; `check` links each rule's page here."),
        Field("lessons", .string, "The lessons Markdown the site is built from, relative to this file (default site/lessons.md)."),
        Field("output", .string, "The folder `render` writes to, relative to this file (default: this file's folder)."),
        Field("nodes", .named(.section("nodes.*")), "Other machines on the tailnet, by machine name, with their tags."),
        Field("tag_owners", .list(.string), "Who may apply the tags below (autogroup:admin, group:…, users)."),
        Field("grants", .list(.section("grants[]")), required: true, "The tailnet policy's grants for this deployment (acl-snippet.hujson)."),
        Field("sidecar", .section("sidecar"), required: true, "The Tailscale container whose network namespace Stalwart shares."),
        Field("stalwart", .section("stalwart"), required: true, "The mail server."),
        Field("database", .section("database"), required: true, "Stalwart's database, reached over the tailnet."),
        Field("relay", .section("relay"), "The relay (smarthost) outbound mail goes through; omit it to deliver directly."),
        Field("edge", .section("edge"), required: true, "The public Caddy + caddy-l4 box in front of Stalwart."),
        Field("vps", .section("vps"), "What the VPS's provider allows."),
        Field("network", .section("network"), "Docker's default network for the pair of containers (IPv6 egress)."),
        Field("dns", .section("dns"), required: true, "The mail domain's DNS records."),
        Field("ignore", .list(.section("ignore[]")), "Deliberate exceptions: a rule's finding at one place, kept with its reason."),
      ]
    ),
    ("nodes.*", [Field("tag", .string, required: true, "The node's Tailscale tag, such as tag:database.")]),
    (
      "grants[]",
      [
        Field("src", .list(.string), required: true, "Who opens the connection: tags, groups, users or *."),
        Field("dst", .list(.string), required: true, "Who is connected to."),
        Field("ip", .list(.string), required: true, "Protocols and ports, such as tcp:587 or tcp:8000-8080."),
      ]
    ),
    (
      "sidecar",
      [
        Field("service", .string, required: true, "The Compose service name."),
        Field("machine", .string, required: true, "The tailnet machine name (machine.<tailnet> is its MagicDNS name)."),
        Field("tag", .string, required: true, "The sidecar's Tailscale tag."),
        Field("ephemeral", .boolean, "Remove the node from the tailnet when the container stops (default true)."),
        Field("image", .string, required: true, "The Tailscale image, pinned to a version."),
        Field("auth_key_env", .string, required: true, "The environment variable holding the auth key (set it in .env, never here)."),
        Field("healthcheck", .section("sidecar.healthcheck"), "When Compose calls the sidecar healthy."),
      ]
    ),
    (
      "sidecar.healthcheck",
      [
        Field("waits_for", .list(.string), "Peers that must answer before the sidecar is healthy (database, relay)."),
        Field("interval", .string, "Time between checks, such as 10s."),
        Field("timeout", .string, "How long one check may take, such as 5s."),
        Field("retries", .integer, "Failed checks before the sidecar counts as unhealthy."),
        Field("start_period", .string, "Grace time after start, such as 30s."),
      ]
    ),
    (
      "stalwart",
      [
        Field("service", .string, required: true, "The Compose service name."),
        Field("image", .string, required: true, "The Stalwart image, pinned to a version."),
        Field("hostname", .string, required: true, "The public mail host name (the MX target)."),
        Field("start_after", .string, "The Compose depends_on condition on the sidecar (service_healthy)."),
        Field("volumes", .section("stalwart.volumes"), "Host folders mounted into the container."),
        Field("listeners", .named(.section("stalwart.listeners.*")), required: true, "Stalwart's listeners by name."),
        Field("auto_ban_allow", .list(.string), "Addresses auto-ban must never ban: the tailnet range and the edge."),
        Field("proxy_trusted_networks", .list(.string), "No longer read: PROXY trust comes from each listener's proxy_protocol."),
        Field("acme", .section("stalwart.acme"), required: true, "Certificates from an ACME CA."),
        Field("ports", .list(.string), "Never set: Stalwart shares the sidecar's network namespace."),
        Field("networks", .list(.string), "Never set: Stalwart shares the sidecar's network namespace."),
        Field("publish_records", .list(.string), required: true, "The DNS record kinds Stalwart publishes itself, such as [dkim, tlsa]."),
      ]
    ),
    (
      "stalwart.volumes",
      [
        Field("config", .string, "Mounted at /etc/stalwart."),
        Field("data", .string, "Mounted at /var/lib/stalwart."),
      ]
    ),
    (
      "stalwart.listeners.*",
      [
        Field("port", .integer, required: true, "The port Stalwart listens on."),
        Field("proxy_protocol", .boolean, "The edge sends a PROXY header to this listener."),
        Field("protocol", .string, "What the listener speaks, for a port with no usual protocol."),
      ]
    ),
    (
      "stalwart.acme",
      [
        Field("directory", .string, "The CA's ACME directory URL (default Let's Encrypt)."),
        Field("challenge", .string, required: true, "How the CA validates: dns-01 (the only one for a wildcard)."),
        Field("provider", .string, "The DNS provider Stalwart answers DNS-01 through, such as spaceship."),
        Field("hostnames", .list(.string), "Names to request; empty means one wildcard certificate for the domain."),
        Field("account_uri", .string, "Stalwart's ACME account URI; CAA pins issuance to it."),
        Field("contact", .string, required: true, "The ACME account's contact address."),
        Field("api_secret_env", .string, "The environment variable holding the DNS provider's API secret."),
      ]
    ),
    (
      "database",
      [
        Field("host", .string, required: true, "A machine under `nodes` (or its MagicDNS name)."),
        Field("port", .integer, required: true, "The database's port."),
      ]
    ),
    (
      "relay",
      [
        Field("host", .string, required: true, "A machine under `nodes`, or a public host name."),
        Field("port", .integer, required: true, "The relay's submission port."),
        Field("username", .string, "The relay account's user name."),
        Field("password_env", .string, "The environment variable holding the relay account's password."),
        Field("password", .string, "Never set: name the variable in password_env instead."),
        Field("sends_from", .list(.string), "The relay's public addresses: recipients see mail come from here (SPF)."),
      ]
    ),
    (
      "edge",
      [
        Field("node", .string, required: true, "The edge's machine name under `nodes`."),
        Field("public_ipv4", .string, required: true, "The edge's public IPv4 address."),
        Field("public_ipv6", .string, "The edge's public IPv6 address."),
        Field("listen_ipv6", .boolean, "The edge listens on IPv6 (needed before an AAAA for the mail host)."),
        Field("forward", .list(.integer), "Mail ports proxied to the sidecar with a PROXY header."),
        Field("proxy_protocol", .string, "The PROXY protocol version the edge sends (v2)."),
        Field("passthrough", .list(.string), "Names whose TLS is passed through by SNI on :443 to Stalwart."),
        Field("sites", .list(.string), "Other sites the edge serves on :443."),
      ]
    ),
    ("vps", [Field("blocks_outbound_smtp", .boolean, "The provider drops outbound 25, 465, 587 and 2525.")]),
    (
      "network",
      [
        Field("ipv6", .boolean, "Give the containers IPv6 egress through a ULA subnet."),
        Field("subnet", .string, "A ULA /64 with a random Global ID, such as fd3c:91e2:5a07:1::/64."),
        Field("gateway", .string, "The gateway inside the subnet, such as fd3c:91e2:5a07:1::1."),
      ]
    ),
    (
      "dns",
      [
        Field("provider", .string, "The DNS provider (spaceship)."),
        Field("ttl", .integer, "The records' TTL in seconds."),
        Field("hosts", .named(.stringOrList), "A and AAAA records by name (\"@\" is the apex)."),
        Field("mx", .list(.section("dns.mx[]")), required: true, "The MX records."),
        Field("spf", .string, required: true, "The SPF record, such as v=spf1 mx -all."),
        Field("dmarc", .string, required: true, "The DMARC record, such as v=DMARC1; p=reject."),
        Field("tls_rpt", .string, "The TLS-RPT record."),
        Field("mta_sts", .section("dns.mta_sts"), "The MTA-STS policy's id, mode and max age."),
        Field("dkim", .list(.section("dns.dkim[]")), "DKIM public keys (Stalwart publishes its own when it owns dkim)."),
        Field("caa", .section("dns.caa"), "The CAA records: which CA (and account) may issue."),
        Field("extra", .list(.section("dns.extra[]")), "Further records published as they are."),
        Field("publish", .list(.string), "The record kinds tailwart publishes: every kind Stalwart does not."),
      ]
    ),
    (
      "dns.mx[]",
      [
        Field("host", .string, required: true, "The mail host (a name in the domain)."),
        Field("preference", .integer, "The MX preference (default 10)."),
      ]
    ),
    (
      "dns.mta_sts",
      [
        Field("id", .string, required: true, "The policy id: 1 to 32 letters and digits; change it with the policy."),
        Field("mode", .string, "enforce, testing or none."),
        Field("max_age", .integer, "How long senders cache the policy, in seconds."),
      ]
    ),
    (
      "dns.dkim[]",
      [
        Field("selector", .string, required: true, "The DKIM selector."),
        Field("algorithm", .string, required: true, "ed25519 or rsa."),
        Field("public_key", .string, required: true, "The base64 public key."),
      ]
    ),
    (
      "dns.caa",
      [
        Field("issuer", .string, required: true, "The CA's domain, such as letsencrypt.org."),
        Field("iodef", .string, "Where CAs report refused requests: a mailto: or https: URL."),
      ]
    ),
    (
      "dns.extra[]",
      [
        Field("name", .string, required: true, "The record's name in the domain."),
        Field("type", .string, required: true, "A, AAAA, CNAME or TXT."),
        Field("value", .string, required: true, "The record's data."),
        Field("ttl", .integer, "The record's TTL in seconds."),
      ]
    ),
    (
      "ignore[]",
      [
        Field("rule", .string, required: true, "The id of the rule whose finding is kept (tailwart explain --list)."),
        Field("at", .string, required: true, "Where: the key path of the value, such as dns.hosts.mail[0]."),
        Field("reason", .string, "Why the deviation is deliberate (required with --strict)."),
      ]
    ),
  ]

  public static func fields(at path: String) -> [Field]? {
    sections.first { $0.path == path }?.fields
  }

  /// The section path of a decoder path: list indexes become `[]` and the
  /// keys of operator-named mappings `*` (`stalwart.listeners.smtp` →
  /// `stalwart.listeners.*`, `dns.mx[0]` → `dns.mx[]`).
  public static func section(of path: String) -> String {
    var out = ""
    for part in path.split(separator: ".") {
      var name = String(part)
      var lists = 0
      while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
        name = String(name[..<open])
        lists += 1
      }
      if !out.isEmpty && namedPaths.contains(out) { name = "*" }
      out = out.isEmpty ? name : out + "." + name
      out += String(repeating: "[]", count: lists)
    }
    return out
  }

  /// Every path whose keys the operator names (`nodes`, `stalwart.listeners`, `dns.hosts`).
  static let namedPaths: Set<String> = {
    var out: Set<String> = []
    for (path, fields) in sections {
      for field in fields {
        if case .named = field.kind { out.insert(path.isEmpty ? field.name : path + "." + field.name) }
      }
    }
    return out
  }()

  // MARK: holding the decoder to the table

  nonisolated(unsafe) private static var differences: Set<String> = []
  nonisolated(unsafe) private static var visited: Set<String> = []
  private static let lock = NSLock()

  /// Called for every mapping the decoder opens: remembers where its keys
  /// and the table's differ (read by the tests, `InventoryFieldsTests`).
  static func audit(path: String, known: [String]) {
    let section = section(of: path)
    let table = fields(at: section).map { Set($0.map(\.name)) }
    lock.lock()
    visited.insert(section)
    lock.unlock()
    guard table != Set(known) else { return }
    let text: String
    if let table {
      let extra = Set(known).subtracting(table).sorted()
      let missing = table.subtracting(known).sorted()
      text = "\(section.isEmpty ? "(top level)" : section): decoded but not in the table: \(extra); in the table but not decoded: \(missing)"
    } else {
      text = "\(section): a section the table does not describe (keys \(known.sorted()))"
    }
    lock.lock()
    differences.insert(text)
    lock.unlock()
  }

  /// The sections the decoder has opened so far.
  static var sectionsDecoded: Set<String> {
    lock.lock()
    defer { lock.unlock() }
    return visited
  }

  /// Where the decoder and the table have disagreed so far.
  static var drift: [String] {
    lock.lock()
    defer { lock.unlock() }
    return differences.sorted()
  }
}
