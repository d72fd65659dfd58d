/// YAML nodes → `Deployment`. Every error is collected (not only the first);
/// the result exists only when there was none.
public enum InventoryDecoder {
  public static func decode(_ root: YAMLNode, file: String) throws(FindingsError) -> Deployment {
    let problems = Problems(file: file)
    let deployment = Reader(problems: problems).deployment(root)
    if let deployment, problems.findings.isEmpty { return deployment }
    throw FindingsError(problems.findings)
  }

  /// Every scalar value in the document with its position (keys excluded).
  static func scalars(in node: YAMLNode) -> [Located<String>] {
    var out: [Located<String>] = []
    func walk(_ node: YAMLNode) {
      switch node {
      case .scalar(let s): out.append(Located(s.value, at: s.span))
      case .sequence(let seq): seq.items.forEach(walk)
      case .mapping(let m): m.entries.forEach { walk($0.value) }
      }
    }
    walk(node)
    return out
  }
}

private struct Reader {
  let problems: Problems

  // Expectations, worded once.
  static let domainName = "a DNS name such as example.com"
  static let machineName = "a tailnet machine name such as stalwart"
  static let tag = "a Tailscale tag such as tag:stalwart"
  static let cidr = "an IP address or CIDR block such as 100.64.0.0/10"
  static let duration = "a duration such as 10s or 1m30s"

  func deployment(_ root: YAMLNode) -> Deployment? {
    guard
      let top = Fields.open(
        root, path: "", known: [
          "domain", "tailnet", "lessons", "site_url", "output", "nodes", "tag_owners", "grants", "sidecar", "stalwart",
          "database", "relay", "edge", "vps", "network", "dns", "ignore",
        ], problems: problems)
    else { return nil }
    defer { top.finish() }

    let domain = required(top, "domain", Self.domainName, top.value("domain", Self.domainName, DomainName.init))
    let tailnet = required(
      top, "tailnet", "a MagicDNS suffix such as tail7b1641.ts.net",
      top.value("tailnet", "a MagicDNS suffix such as tail7b1641.ts.net", TailnetName.init))
    let lessons = top.value("lessons", "a relative path such as site/lessons.md", Self.relativePath)
      ?? Located("site/lessons.md", at: top.mapping.span)
    let siteURL = required(
      top, "site_url", "an http(s) URL",
      top.value("site_url", "an http(s) URL such as https://lessons.example.ts.net", Self.siteURL))
    let output = top.value("output", "a relative folder such as deploy", Self.relativePath)
      ?? Located(".", at: top.mapping.span)

    let nodes = self.nodes(top)
    let tagOwners = top.list("tag_owners") { node, what in
      Fields.value(node, what, "a tag owner such as autogroup:admin or group:ops", self.problems, Self.tagOwner)
    }?.value ?? []

    let grants =
      top.list("grants") { node, what -> Grant? in
        guard let g = Fields.open(node, path: what, known: ["src", "dst", "ip"], problems: self.problems) else { return nil }
        defer { g.finish() }
        let selector = "a selector such as tag:stalwart, autogroup:admin, group:ops, a user or *"
        let src = self.required(g, "src", "a list of selectors", g.list("src") { n, w in Fields.value(n, w, selector, self.problems, Self.selector) })
        let dst = self.required(g, "dst", "a list of selectors", g.list("dst") { n, w in Fields.value(n, w, selector, self.problems, Self.selector) })
        let ip = self.required(g, "ip", "a list such as [tcp:587]", g.list("ip") { n, w in
          Fields.value(n, w, "a protocol and port such as tcp:587, tcp:8000-8080 or *", self.problems, GrantPorts.init)
        })
        guard let src, let dst, let ip else { return nil }
        return Grant(src: src.value, dst: dst.value, ip: ip.value, span: g.mapping.span)
      }?.value ?? []
    if top.mapping["grants"] == nil { top.missing("grants", "a list of {src, dst, ip}") }

    let sidecar = top.fields("sidecar", known: ["service", "machine", "tag", "ephemeral", "image", "auth_key_env", "healthcheck"])
      .flatMap { self.sidecar($0) }
    if top.mapping["sidecar"] == nil { top.missing("sidecar", "a mapping") }
    let stalwart = top.fields(
      "stalwart",
      known: [
        "service", "image", "hostname", "start_after", "volumes", "listeners", "auto_ban_allow",
        "proxy_trusted_networks", "acme", "ports", "networks", "publish_records",
      ]
    ).flatMap { self.stalwart($0) }
    if top.mapping["stalwart"] == nil { top.missing("stalwart", "a mapping") }

    let database = top.fields("database", known: ["host", "port"]).flatMap { endpoint($0, tailnet?.value, nodes) }
    if top.mapping["database"] == nil { top.missing("database", "a mapping with host and port") }
    var relaySendsFrom: [Located<IPAddress>] = []
    var relayAuth: RelayAuth?
    let relay = top.fields("relay", known: ["host", "port", "username", "password_env", "password", "sends_from"]).flatMap {
      f in
      relayAuth = self.relayAuth(f)
      relaySendsFrom =
        f.list("sends_from") { node, what in
          Fields.value(node, what, "a public IP address", self.problems, IPAddress.init)
        }?.value ?? []
      return endpoint(f, tailnet?.value, nodes)
    }
    let edge = top.fields(
      "edge",
      known: ["node", "public_ipv4", "public_ipv6", "listen_ipv6", "forward", "proxy_protocol", "passthrough", "sites"]
    ).flatMap { self.edge($0, domain?.value, nodes) }
    if top.mapping["edge"] == nil { top.missing("edge", "a mapping") }

    var vps = VPS(blocksOutboundSMTP: Located(false, at: top.mapping.span))
    if let f = top.fields("vps", known: ["blocks_outbound_smtp"]) {
      if let b = f.bool("blocks_outbound_smtp") { vps.blocksOutboundSMTP = b }
      f.finish()
    }

    var network = Network(ipv6: Located(false, at: top.mapping.span), subnet: nil, gateway: nil)
    if let f = top.fields("network", known: ["ipv6", "subnet", "gateway"]) {
      if let b = f.bool("ipv6") { network.ipv6 = b }
      network.subnet = f.value("subnet", "an IPv6 block such as fd12:3456:789a::/64", { text in
        CIDR(text).flatMap { $0.isHost ? nil : $0 }
      })
      network.gateway = f.value("gateway", "an IPv6 address", IPv6Address.init)
      if network.ipv6.value {
        if network.subnet == nil && f.mapping["subnet"] == nil { f.missing("subnet", "a ULA /64 such as fd12:3456:789a::/64") }
        if network.gateway == nil && f.mapping["gateway"] == nil { f.missing("gateway", "an address inside the subnet") }
      }
      f.finish()
    }

    let dns = top.fields(
      "dns",
      known: [
        "provider", "ttl", "hosts", "mx", "spf", "dmarc", "tls_rpt", "mta_sts", "dkim", "caa", "extra", "publish",
      ]
    ).flatMap { f in domain.flatMap { self.dns(f, $0.value) } }
    if top.mapping["dns"] == nil { top.missing("dns", "a mapping") }

    if let edge, nodes.first(where: { $0.name.value == edge.node.value }) == nil {
      problems.error(
        edge.node.span, "edge.node \(Echo.quoted("\(edge.node.value)")) is not listed under nodes",
        help: "add it under `nodes:` with its tag")
    }
    for endpoint in [database, relay].compactMap({ $0 }) {
      if case .node(let name) = endpoint.host.value, nodes.first(where: { $0.name.value == name }) == nil {
        problems.error(
          endpoint.host.span, "host \(Echo.quoted("\(name)")) is not listed under nodes",
          help: "add it under `nodes:` with its tag, or write its full public name")
      }
    }

    let ignores = IgnoreList.decode(top, problems)
    guard let domain, let tailnet, let siteURL, var stalwart, let database, let edge, let dns, let sidecar else {
      return nil
    }
    var deployment = Deployment(
      file: problems.file, domain: domain, tailnet: tailnet, nodes: nodes, tagOwners: tagOwners, grants: grants,
      sidecar: sidecar, stalwart: stalwart, database: database, relay: relay, edge: edge, vps: vps,
      network: network, dns: dns, lessons: lessons, siteURL: siteURL, output: output,
      scalars: InventoryDecoder.scalars(in: root))
    deployment.relaySendsFrom = relaySendsFrom
    deployment.relayAuth = relay == nil ? nil : relayAuth
    deployment.ignores = ignores
    deployment.keyPaths = IgnoreList.keyPaths(in: root)
    // A listener whose PROXY setting is not written follows the edge.
    for i in stalwart.listeners.indices where !stalwart.listeners[i].proxyProtocolWritten {
      let listener = stalwart.listeners[i]
      stalwart.listeners[i].proxyProtocol = Located(
        ProxyTrust.edgeSendsProxy(deployment, port: listener.port.value.number), at: listener.name.span)
    }
    deployment.stalwart = stalwart
    return deployment
  }

  /// `value`, or a "missing key" error when the key is absent.
  func required<T>(_ f: Fields, _ key: String, _ expectation: String, _ value: Located<T>?) -> Located<T>? {
    if value == nil && (f.mapping[key] == nil || f.node(key) == nil) { f.missing(key, expectation) }
    return value
  }

  // MARK: sections

  func nodes(_ top: Fields) -> [TailnetNode] {
    guard let node = top.node("nodes") else { return [] }
    guard case .mapping(let m) = node else {
      problems.error(node.span, "nodes must be a mapping of machine name to settings, found \(node.kindDescription)")
      return []
    }
    var out: [TailnetNode] = []
    for entry in m.entries {
      guard let name = MachineName(entry.key.value) else {
        problems.error(
          entry.key.span, "nodes key \(Echo.quoted(entry.key.value)) must be \(Self.machineName)",
          help: "use the machine name alone, not its MagicDNS name or address")
        continue
      }
      guard let f = Fields.open(entry.value, path: "nodes.\(name)", known: ["tag"], problems: problems) else { continue }
      let tag = required(f, "tag", Self.tag, f.value("tag", Self.tag, TailscaleTag.init))
      f.finish()
      if let tag { out.append(TailnetNode(name: Located(name, at: entry.key.span), tag: tag)) }
    }
    return out
  }

  func sidecar(_ f: Fields) -> Sidecar? {
    defer { f.finish() }
    let service = required(f, "service", "a Compose service name", f.value("service", "a Compose service name", Self.serviceName))
    let machine = required(f, "machine", Self.machineName, f.value("machine", Self.machineName, MachineName.init))
    let tag = required(f, "tag", Self.tag, f.value("tag", Self.tag, TailscaleTag.init))
    let ephemeral = f.bool("ephemeral") ?? Located(true, at: f.mapping.span)
    let image = required(f, "image", "an image reference", f.value("image", "an image reference such as tailscale/tailscale:stable", Self.image))
    let authKeyEnv = required(
      f, "auth_key_env", "the name of an environment variable",
      f.value("auth_key_env", "the name of an environment variable such as TS_AUTHKEY", EnvironmentVariableName.init))

    var health = Healthcheck(
      waitsFor: Located([], at: f.mapping.span),
      interval: Located(ComposeDuration("10s")!, at: f.mapping.span),
      timeout: Located(ComposeDuration("5s")!, at: f.mapping.span),
      retries: Located(12, at: f.mapping.span),
      startPeriod: Located(ComposeDuration("30s")!, at: f.mapping.span))
    if let h = f.fields("healthcheck", known: ["waits_for", "interval", "timeout", "retries", "start_period"]) {
      let peers = Healthcheck.Peer.allCases.map(\.rawValue).joined(separator: ", ")
      if let w = h.list("waits_for", { node, what in
        Fields.choice(node, what, "one of \(peers)", self.problems) as Located<Healthcheck.Peer>?
      }) { health.waitsFor = w }
      if let v = h.value("interval", Self.duration, ComposeDuration.init) { health.interval = v }
      if let v = h.value("timeout", Self.duration, ComposeDuration.init) { health.timeout = v }
      if let v = h.int("retries", 1...1000, "a number of retries from 1 to 1000") { health.retries = v }
      if let v = h.value("start_period", Self.duration, ComposeDuration.init) { health.startPeriod = v }
      h.finish()
    }
    guard let service, let machine, let tag, let image, let authKeyEnv else { return nil }
    return Sidecar(
      service: service, machine: machine, tag: tag, ephemeral: ephemeral, image: image, authKeyEnv: authKeyEnv,
      healthcheck: health)
  }

  func stalwart(_ f: Fields) -> Stalwart? {
    defer { f.finish() }
    let service = required(f, "service", "a Compose service name", f.value("service", "a Compose service name", Self.serviceName))
    let image = required(f, "image", "an image reference", f.value("image", "an image reference such as stalwartlabs/stalwart:v0.16", Self.image))
    let hostname = required(f, "hostname", Self.domainName, f.value("hostname", Self.domainName, DomainName.init))
    let startAfter =
      f.value("start_after", "a Compose depends_on condition (service_healthy)", { text in
        ["service_healthy", "service_started", "service_completed_successfully"].contains(text) ? text : nil
      }) ?? Located("service_healthy", at: f.mapping.span)

    var configVolume = Located("./stalwart/etc", at: f.mapping.span)
    var dataVolume = Located("./stalwart/data", at: f.mapping.span)
    if let v = f.fields("volumes", known: ["config", "data"]) {
      if let p = v.value("config", "a host folder such as ./stalwart/etc or /srv/stalwart/etc", Self.volumePath) { configVolume = p }
      if let p = v.value("data", "a host folder such as ./stalwart/data or /srv/stalwart/data", Self.volumePath) { dataVolume = p }
      v.finish()
    }

    var listeners: [Listener] = []
    if let node = f.node("listeners") {
      if case .mapping(let m) = node {
        for entry in m.entries {
          let path = "stalwart.listeners.\(entry.key.value)"
          guard let l = Fields.open(entry.value, path: path, known: ["port", "proxy_protocol", "protocol"], problems: problems)
          else { continue }
          let port = required(l, "port", "a port number", l.port("port"))
          let written = l.bool("proxy_protocol")
          let proto: Located<ListenerProtocol>? = l.choice("protocol")
          l.finish()
          guard let port else { continue }
          guard let proto = proto ?? ListenerProtocol.usual(port: port.value.number).map({ Located($0, at: port.span) })
          else {
            if l.mapping["protocol"] == nil {
              problems.error(
                port.span, "\(path) listens on port \(port.value), which has no usual protocol",
                help: "add `protocol:` with one of \(ListenerProtocol.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            continue
          }
          listeners.append(
            Listener(
              name: Located(entry.key.value, at: entry.key.span), port: port,
              proxyProtocol: written ?? Located(false, at: entry.key.span), proxyProtocolWritten: written != nil,
              proto: proto))
        }
      } else {
        problems.error(node.span, "stalwart.listeners must be a mapping of listener name to port settings, found \(node.kindDescription)")
      }
    } else {
      f.missing("listeners", "a mapping of listener name to {port, proxy_protocol}")
    }

    let autoBanAllow = f.list("auto_ban_allow") { node, what in
      Fields.value(node, what, Self.cidr, self.problems, CIDR.init)
    }?.value ?? []
    if f.node("proxy_trusted_networks") != nil {
      // Stalwart v0.16 drops connections from a trusted network that come
      // without a PROXY header, so one global list breaks :443 and the admin.
      problems.error(
        f.keySpan("proxy_trusted_networks"),
        "stalwart.proxy_trusted_networks is no longer read: PROXY trust is derived per listener from edge.forward",
        help:
          "delete this key; the plan trusts the tailnet only on the listeners the edge forwards with a PROXY header, and leaves Stalwart's global list empty"
      )
    }
    let publishRecords = recordKinds(f, "publish_records")
    if publishRecords == nil && f.mapping["publish_records"] == nil {
      f.missing("publish_records", "the record kinds Stalwart publishes itself, such as [dkim, tlsa]")
    }
    let ports = f.list("ports") { node, what in Fields.string(node, what, "a port mapping", self.problems) }?.value ?? []
    let networks = f.list("networks") { node, what in Fields.string(node, what, "a network name", self.problems) }?.value ?? []

    var acme: ACME?
    if let a = f.fields(
      "acme", known: ["directory", "challenge", "provider", "hostnames", "account_uri", "contact", "api_secret_env"])
    {
      acme = self.acme(a)
    } else {
      f.missing("acme", "a mapping")
    }
    guard let service, let image, let hostname, let acme, let publishRecords else { return nil }
    return Stalwart(
      service: service, image: image, hostname: hostname, startAfter: startAfter, configVolume: configVolume,
      dataVolume: dataVolume, listeners: listeners, autoBanAllow: autoBanAllow, acme: acme,
      publishRecords: publishRecords, ports: ports, networks: networks)
  }

  func acme(_ f: Fields) -> ACME? {
    defer { f.finish() }
    let directory =
      f.value("directory", "an https URL", Self.httpsURL)
      ?? Located("https://acme-v02.api.letsencrypt.org/directory", at: f.mapping.span)
    let challenge: Located<ACME.Challenge>? = required(f, "challenge", "dns-01", f.choice("challenge"))
    let provider = f.value("provider", "a DNS provider name such as spaceship", { $0.isEmpty ? nil : $0.lowercased() })
    let hostnames =
      f.list("hostnames") { node, what in Fields.value(node, what, Self.domainName, self.problems, DomainName.init) }
      ?? Located([], at: f.mapping.span)
    let account = f.value("account_uri", "an https URL", Self.httpsURL)
    let contact = required(f, "contact", "an email address", f.value("contact", "an email address", Self.email))
    let secretEnv = f.value(
      "api_secret_env", "the name of an environment variable such as SPACESHIP_API_SECRET", EnvironmentVariableName.init)
    if provider != nil && secretEnv == nil && f.mapping["api_secret_env"] == nil {
      f.missing("api_secret_env", "the environment variable holding the DNS provider's API secret")
    }
    guard let challenge, let contact else { return nil }
    return ACME(
      directory: directory, challenge: challenge, provider: provider, apiSecretEnv: secretEnv, hostnames: hostnames,
      accountURI: account, contact: contact)
  }

  func endpoint(_ f: Fields, _ tailnet: TailnetName?, _ nodes: [TailnetNode]) -> Endpoint? {
    defer { f.finish() }
    let host = required(
      f, "host", "a host", f.value("host", "a machine name, a MagicDNS name, a DNS name or an IP address") { Self.host($0, tailnet) })
    let port = required(f, "port", "a port number", f.port("port"))
    guard let host, let port else { return nil }
    return Endpoint(host: host, port: port)
  }

  // MARK: Stalwart's settings (relay login, DNS ownership)

  /// The relay's login. A password written here is refused: the plan names
  /// the variable Stalwart's container reads it from.
  func relayAuth(_ f: Fields) -> RelayAuth? {
    if f.node("password") != nil {
      problems.error(
        f.keySpan("password"), "relay.password holds a secret in the inventory; it would be copied into the plan",
        help: "put the password in .env and name its variable: `password_env: RELAY_PASSWORD`", isSecret: true)
    }
    let username = f.string("username", "the relay login's user name")
    let passwordEnv = f.value(
      "password_env", "the name of an environment variable such as RELAY_PASSWORD", EnvironmentVariableName.init)
    if username != nil && passwordEnv == nil && f.mapping["password_env"] == nil {
      f.missing("password_env", "the environment variable holding the relay password")
    }
    if passwordEnv != nil && username == nil && f.mapping["username"] == nil {
      f.missing("username", "the relay login's user name")
    }
    guard let username, let passwordEnv else { return nil }
    return RelayAuth(username: username, passwordEnv: passwordEnv)
  }

  /// A list of DNS record kinds (`[dkim, tlsa]`): none twice, and at least
  /// one unless `allowEmpty`.
  func recordKinds(_ f: Fields, _ key: String, allowEmpty: Bool = false) -> Located<[Located<DNSRecordKind>]>? {
    let expectation = "a record kind: one of \(DNSRecordKind.spellings)"
    guard
      let list = f.list(key, { node, what in
        Fields.value(node, what, expectation, self.problems, DNSRecordKind.init(spelling:))
      })
    else { return nil }
    var seen: Set<DNSRecordKind> = []
    for kind in list.value where !seen.insert(kind.value).inserted {
      problems.error(kind.span, "\(f.name(key)) lists \(kind.value.rawValue) twice", help: "remove the repeated one")
    }
    if !allowEmpty, list.value.isEmpty, case .sequence(let seq)? = f.node(key), seq.items.isEmpty {
      problems.error(list.span, "\(f.name(key)) is empty; list at least one record kind", help: "for example `[dkim]`")
    }
    return list
  }

  func edge(_ f: Fields, _ domain: DomainName?, _ nodes: [TailnetNode]) -> Edge? {
    defer { f.finish() }
    let node = required(f, "node", Self.machineName, f.value("node", Self.machineName, MachineName.init))
    let v4 = required(f, "public_ipv4", "an IPv4 address", f.value("public_ipv4", "a public IPv4 address", IPv4Address.init))
    let v6 = f.value("public_ipv6", "a public IPv6 address", IPv6Address.init)
    let listen6 = f.bool("listen_ipv6") ?? Located(false, at: f.mapping.span)
    let forward = f.list("forward") { node, what in Fields.port(node, what, self.problems) }?.value ?? []
    let proxy = f.value("proxy_protocol", "v1 or v2", { ["v1", "v2"].contains($0) ? $0 : nil }) ?? Located("v2", at: f.mapping.span)
    let passthrough: [Located<RecordName>] =
      domain.map { domain in
        f.list("passthrough") { node, what in
          Fields.value(node, what, "a name in the mail domain such as mta-sts", self.problems) { RecordName($0, zone: domain) }
        }?.value ?? []
      } ?? []
    let sites = f.list("sites") { node, what in Fields.value(node, what, Self.domainName, self.problems, DomainName.init) }?.value ?? []
    guard let node, let v4 else { return nil }
    return Edge(
      node: node, publicIPv4: v4, publicIPv6: v6, listensIPv6: listen6, forward: forward, proxyProtocol: proxy,
      passthrough: passthrough, sites: sites)
  }

  func dns(_ f: Fields, _ zone: DomainName) -> DNSSettings? {
    defer { f.finish() }
    let provider = f.value("provider", "spaceship", { $0.lowercased() == "spaceship" ? "spaceship" : nil })
      ?? Located("spaceship", at: f.mapping.span)
    let ttl = f.int("ttl", 1...2_147_483_647, "a TTL in seconds") ?? Located(3600, at: f.mapping.span)
    let name = "a name in \(zone) such as mail or @"

    var hosts: [HostAddresses] = []
    if let node = f.node("hosts") {
      if case .mapping(let m) = node {
        for entry in m.entries {
          guard let owner = RecordName(entry.key.value, zone: zone) else {
            problems.error(entry.key.span, "dns.hosts key \(Echo.quoted(entry.key.value)) must be \(name)")
            continue
          }
          let what = "dns.hosts.\(entry.key.value)"
          var addresses: [Located<IPAddress>] = []
          switch entry.value {
          case .sequence(let seq):
            for (i, item) in seq.items.enumerated() {
              if let a = Fields.value(item, "\(what)[\(i)]", "an IP address", problems, IPAddress.init) { addresses.append(a) }
            }
          default:
            if let a = Fields.value(entry.value, what, "an IP address or a list of them", problems, IPAddress.init) {
              addresses.append(a)
            }
          }
          hosts.append(HostAddresses(name: Located(owner, at: entry.key.span), addresses: addresses))
        }
      } else {
        problems.error(node.span, "dns.hosts must be a mapping of name to addresses, found \(node.kindDescription)")
      }
    }

    let mx =
      f.list("mx") { node, what -> MXRecord? in
        guard let m = Fields.open(node, path: what, known: ["host", "preference"], problems: self.problems) else { return nil }
        defer { m.finish() }
        let host = self.required(m, "host", Self.domainName, m.value("host", Self.domainName) { text in
          DomainName(text).map { $0.labels.count == 1 ? DomainName("\($0).\(zone)")! : $0 }
        })
        let preference = m.int("preference", 0...65535, "a preference from 0 to 65535") ?? Located(10, at: m.mapping.span)
        return host.map { MXRecord(host: $0, preference: preference) }
      }?.value ?? []
    if f.mapping["mx"] == nil { f.missing("mx", "a list of {host, preference}") }

    let spf = required(f, "spf", "an SPF record such as \"v=spf1 mx -all\"", f.string("spf", "an SPF record"))
    let dmarc = required(f, "dmarc", "a DMARC record such as \"v=DMARC1; p=reject\"", f.string("dmarc", "a DMARC record"))
    let tlsRPT = f.string("tls_rpt", "a TLS-RPT record such as \"v=TLSRPTv1; rua=mailto:...\"")

    var mtaSTS: MTASTS?
    if let m = f.fields("mta_sts", known: ["id", "mode", "max_age"]) {
      let id = required(m, "id", "1 to 32 letters and digits", m.string("id", "1 to 32 letters and digits"))
      let mode: Located<MTASTS.Mode> = m.choice("mode") ?? Located(.enforce, at: m.mapping.span)
      let maxAge = m.int("max_age", 0...Int(Int32.max), "a number of seconds") ?? Located(604_800, at: m.mapping.span)
      m.finish()
      if let id { mtaSTS = MTASTS(id: id, mode: mode, maxAge: maxAge) }
    }

    let dkim =
      f.list("dkim") { node, what -> DKIMKey? in
        guard let d = Fields.open(node, path: what, known: ["selector", "algorithm", "public_key"], problems: self.problems)
        else { return nil }
        defer { d.finish() }
        let selector = self.required(d, "selector", "a DKIM selector", d.string("selector", "a DKIM selector"))
        let algorithm: Located<DKIMKey.Algorithm>? = self.required(d, "algorithm", "ed25519 or rsa", d.choice("algorithm"))
        let key = self.required(d, "public_key", "the base64 public key", d.string("public_key", "the base64 public key"))
        guard let selector, let algorithm, let key else { return nil }
        return DKIMKey(selector: selector, algorithm: algorithm, publicKey: key)
      }?.value ?? []

    var caa: CAA?
    if let c = f.fields("caa", known: ["issuer", "iodef"]) {
      let issuer = required(c, "issuer", "a CA domain such as letsencrypt.org", c.value("issuer", "a CA domain such as letsencrypt.org") { DomainName($0)?.text })
      let iodef = c.value("iodef", "a mailto: or https: URL", { $0.hasPrefix("mailto:") || $0.hasPrefix("https://") ? $0 : nil })
      c.finish()
      if let issuer { caa = CAA(issuer: issuer, iodef: iodef) }
    }

    let extra =
      f.list("extra") { node, what -> ExtraRecord? in
        guard let e = Fields.open(node, path: what, known: ["name", "type", "value", "ttl"], problems: self.problems) else { return nil }
        defer { e.finish() }
        let owner = self.required(e, "name", name, e.value("name", name) { RecordName($0, zone: zone) })
        let type: Located<ExtraRecord.Kind>? = self.required(e, "type", "A, AAAA, CNAME or TXT", e.choice("type"))
        let value = self.required(e, "value", "the record's data", e.string("value", "the record's data"))
        let ttl = e.int("ttl", 1...2_147_483_647, "a TTL in seconds")
        guard let owner, let type, let value else { return nil }
        return ExtraRecord(name: owner, type: type, value: value, ttl: ttl)
      }?.value ?? []

    let publish = recordKinds(f, "publish", allowEmpty: true)
    guard let spf, let dmarc else { return nil }
    return DNSSettings(
      provider: provider, ttl: ttl, hosts: hosts, mx: mx, spf: spf, dmarc: dmarc, tlsRPT: tlsRPT, mtaSTS: mtaSTS,
      dkim: dkim, caa: caa, extra: extra, publish: publish)
  }

  // MARK: value parsers used only here

  /// A host as written: classified into node, tailnet address, public
  /// address or public name.
  static func host(_ text: String, _ tailnet: TailnetName?) -> Host? {
    if let address = IPAddress(text) { return address.isTailnet ? .tailnetAddress(address) : .address(address) }
    if let machine = MachineName(text), !text.contains(".") { return .node(machine) }
    guard let name = DomainName(text) else { return nil }
    if let tailnet, let relative = name.relative(to: tailnet.domain), relative != "@", !relative.contains(".") {
      return MachineName(relative).map(Host.node)
    }
    if name.text.hasSuffix(".ts.net") { return nil }  // another tailnet's name
    return .publicName(name)
  }

  static func relativePath(_ text: String) -> String? {
    guard !text.isEmpty, !text.hasPrefix("/"), !text.contains("\0"), !text.contains("\\") else { return nil }
    let parts = text.split(separator: "/")
    guard !parts.contains("..") else { return nil }
    return text
  }

  static func volumePath(_ text: String) -> String? {
    guard text.hasPrefix("./") || text.hasPrefix("/"), !text.contains("\0"), !text.contains(":"),
      !text.contains("$"), !text.split(separator: "/").contains("..")
    else { return nil }
    return text
  }

  static func siteURL(_ text: String) -> String? {
    guard text.hasPrefix("https://") || text.hasPrefix("http://") || text.hasPrefix("file://"),
      !text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
    else { return nil }
    return text.hasSuffix("/") ? String(text.dropLast()) : text
  }

  static func httpsURL(_ text: String) -> String? {
    guard text.hasPrefix("https://"), text.count > 8, !text.contains(where: { $0.isWhitespace || $0 == "\"" })
    else { return nil }
    return text
  }

  static func email(_ text: String) -> String? {
    let t = text.hasPrefix("mailto:") ? String(text.dropFirst(7)) : text
    let parts = t.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains(where: { $0.isWhitespace || $0 == "\"" }),
      DomainName(String(parts[1])) != nil
    else { return nil }
    return t
  }

  static func serviceName(_ text: String) -> String? {
    // Compose: [a-zA-Z0-9][a-zA-Z0-9_.-]+
    guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first),
      text.unicodeScalars.allSatisfy({
        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "." || $0 == "-")
      }), text.count >= 2, text.count <= 63
    else { return nil }
    return text
  }

  static func image(_ text: String) -> String? {
    guard !text.isEmpty, text.count <= 255,
      text.unicodeScalars.allSatisfy({
        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "/:._-@".unicodeScalars.contains($0))
      }), text.first!.isLetter || text.first!.isNumber
    else { return nil }
    return text
  }

  /// A grant selector. Tailnet IP literals are accepted here so the
  /// magicdns-not-ips rule can point at them.
  static func selector(_ text: String) -> String? {
    if text == "*" || text.hasPrefix("autogroup:") || text.hasPrefix("group:") { return text }
    if text.hasPrefix("tag:") { return TailscaleTag(text)?.description }
    if CIDR(text) != nil { return text }
    if email(text) != nil { return text }
    if MachineName(text) != nil || DomainName(text) != nil { return text }
    return nil
  }

  static func tagOwner(_ text: String) -> String? {
    if text.hasPrefix("autogroup:") || text.hasPrefix("group:") || TailscaleTag(text) != nil { return text }
    return email(text)
  }
}
