import Foundation

/// Stalwart's own settings, as the operations `stalwart-cli apply` runs:
/// listeners with their PROXY trust, the auto-ban allow-list, the outbound
/// route, ACME and the DNS provider, and the mail domain with its share of
/// DNS records. Derived once from the checked model; `StalwartPlanRenderer`
/// writes it one operation a line.
///
/// Every object is upserted on a natural key (or a singleton updated), so
/// applying the plan again converges instead of duplicating. Secrets are
/// never values here: they are `EnvironmentVariable` references that the
/// container's environment answers.
public struct StalwartPlan: Sendable {
  /// A JSON value in an operation.
  public indirect enum Value: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([Value])
    case object([String: Value])

    var json: Any {
      switch self {
      case .string(let s): s
      case .int(let n): n
      case .bool(let b): b
      case .list(let items): items.map(\.json)
      case .object(let fields): fields.mapValues(\.json)
      }
    }
  }

  /// One line of the plan.
  public struct Operation: Sendable, Equatable {
    /// `create` only for actions, which run once per apply (the reload).
    public enum Kind: String, Sendable { case upsert, update, create }

    public var kind: Kind
    /// The schema's object name without `x:` (`NetworkListener`).
    public var object: String
    /// For an upsert: the fields that find an existing object.
    public var matchOn: [String]
    /// For an upsert: the local id other lines refer to as `#id`.
    public var localID: String?
    /// The variant of a multi-variant object (`Relay`), written as `@type`.
    public var variant: String?
    public var fields: [String: Value]
    public var lessons: [Int] = []
    public var rules: [String] = []

    /// The operation as one line of JSON, keys sorted.
    public var line: String {
      var value = fields.mapValues(\.json)
      if let variant { value["@type"] = variant }
      var op: [String: Any] = ["@type": kind.rawValue, "object": object]
      switch kind {
      case .upsert:
        op["matchOn"] = matchOn
        op["value"] = [localID ?? object.lowercased(): value]
      case .create:
        op["value"] = [localID ?? object.lowercased(): value]
      case .update:
        op["value"] = value
      }
      let data = try! JSONSerialization.data(withJSONObject: op, options: [.sortedKeys, .withoutEscapingSlashes])
      return String(decoding: data, as: UTF8.self)
    }
  }

  public let schema: StalwartSchemaVersion
  public let operations: [Operation]

  /// Local ids of the objects the domain refers to.
  static let acmeID = "acme-provider"
  static let dnsServerID = "dns-server"

  public init(_ checked: CheckedDeployment) throws {
    let d = checked.deployment
    guard let schema = StalwartSchemaVersion(image: d.stalwart.image.value) else {
      // check refuses this first (stalwart-version-known).
      throw SelfCheckError(path: StalwartPlanRenderer.path, problem: "no known Stalwart schema for \(d.stalwart.image.value)")
    }
    self.schema = schema
    var ops: [Operation] = []

    // Listeners: trust exactly where the edge sends a PROXY header; an empty
    // list elsewhere removes any trust typed into the admin before.
    for listener in d.stalwart.listeners {
      let port = listener.port.value.number
      let trusted = ProxyTrust.trustedNetworks(d, listener)
      ops.append(
        Operation(
          kind: .upsert, object: "NetworkListener", matchOn: ["name"], localID: "listener-\(listener.name.value)",
          fields: [
            "name": .string(listener.name.value),
            "bind": .list([.string("[::]:\(port)")]),
            "protocol": .string(listener.proto.value.schemaName),
            "tlsImplicit": .bool(ListenerProtocol.isImplicitTLS(port: port)),
            "overrideProxyTrustedNetworks": .list(trusted.map { .string($0.description) }),
          ], lessons: [3, 5], rules: ["proxy-trust-matches-edge"]))
    }
    // No global trust: every listener without its own list would inherit it.
    ops.append(
      Operation(
        kind: .update, object: "SystemSettings", matchOn: [], fields: ["proxyTrustedNetworks": .list([])],
        lessons: [3, 5], rules: ["proxy-trust-matches-edge"]))

    for entry in d.stalwart.autoBanAllow {
      let address = entry.value.description
      ops.append(
        Operation(
          kind: .upsert, object: "AllowedIp", matchOn: ["address"],
          localID: "allowed-" + String(address.map { $0.isLetter || $0.isNumber ? $0 : "-" }),
          fields: [
            "address": .string(address),
            "reason": .string("tailwart: the edge must never be banned (lesson 3)"),
          ], lessons: [3], rules: ["auto-ban-allows-edge"]))
    }

    // The outbound route: the relay over the tailnet, or MX delivery.
    let routeName: String
    if let relay = d.relay {
      routeName = "relay"
      var fields: [String: Value] = [
        "name": .string(routeName),
        "description": .string("relay over the tailnet (lessons 6, 10)"),
        "address": .string(relay.host.value.dialHost(in: d.tailnet.value)),
        "port": .int(relay.port.value.number),
        "protocol": .string("smtp"),
        // 465 speaks TLS from the first byte; 587 upgrades with STARTTLS.
        "implicitTls": .bool(relay.port.value.number == 465),
      ]
      if let auth = d.relayAuth {
        fields["authUsername"] = .string(auth.username.value)
        fields["authSecret"] = Self.secret(auth.passwordEnv.value)
      } else {
        fields["authSecret"] = .object(["@type": .string("None")])
      }
      ops.append(
        Operation(
          kind: .upsert, object: "MtaRoute", matchOn: ["name"], localID: "route-relay", variant: "Relay",
          fields: fields, lessons: [6, 10, 11, 12], rules: ["relay-over-tailnet", "route-change-needs-restart"]))
    } else {
      routeName = "mx"
      // Without IPv6 in the container a v6 MX address can only time out.
      let strategy = d.network.ipv6.value ? "v4ThenV6" : "v4Only"
      ops.append(
        Operation(
          kind: .upsert, object: "MtaRoute", matchOn: ["name"], localID: "route-mx", variant: "Mx",
          fields: [
            "name": .string(routeName),
            "description": .string("direct delivery to the recipients' MX hosts"),
            "ipLookupStrategy": .string(strategy),
          ], lessons: [8, 12], rules: ["relay-needs-reachable-family", "route-change-needs-restart"]))
    }
    ops.append(
      Operation(
        kind: .update, object: "MtaOutboundStrategy", matchOn: [],
        fields: [
          "route": .object([
            "match": .list([
              .object(["if": .string("is_local_domain(rcpt_domain)"), "then": .string("'local'")])
            ]),
            "else": .string("'\(routeName)'"),
          ])
        ], lessons: [12], rules: ["route-change-needs-restart"]))

    // ACME, and the DNS provider Stalwart writes challenges and its share
    // of records through.
    let acme = d.stalwart.acme
    ops.append(
      Operation(
        kind: .upsert, object: "AcmeProvider", matchOn: ["directory"], localID: Self.acmeID,
        fields: [
          "directory": .string(acme.directory.value),
          "challengeType": .string(acme.challenge.value.schemaName),
          "contact": .list([.string(acme.contact.value)]),
        ], lessons: [4], rules: ["wildcard-needs-dns01"]))
    var hasDNSServer = false
    if let provider = acme.provider, provider.value == "spaceship", let secret = acme.apiSecretEnv {
      hasDNSServer = true
      ops.append(
        Operation(
          kind: .upsert, object: "DnsServer", matchOn: ["description"], localID: Self.dnsServerID,
          variant: "Spaceship",
          fields: [
            "description": .string("Spaceship DNS for \(d.domain.value.text)"),
            "secret": Self.secret(secret.value),
          ], lessons: [2], rules: ["no-secrets-in-inventory"]))
    }

    let names: [String] =
      acme.isWildcard
      ? ["*.\(d.domain.value.text)"] : acme.hostnames.value.map(\.value.text)
    var dnsManagement: [String: Value] = ["@type": .string("Manual")]
    if hasDNSServer {
      dnsManagement = [
        "@type": .string("Automatic"),
        "dnsServerId": .string("#\(Self.dnsServerID)"),
        "publishRecords": .list(d.stalwart.publishRecords.value.map(\.value).sorted().map { .string($0.rawValue) }),
      ]
    }
    ops.append(
      Operation(
        kind: .upsert, object: "Domain", matchOn: ["name"], localID: "domain",
        fields: [
          "name": .string(d.domain.value.text),
          "certificateManagement": .object([
            "@type": .string("Automatic"),
            "acmeProviderId": .string("#\(Self.acmeID)"),
            "subjectAlternativeNames": .list(names.map { .string($0) }),
          ]),
          "dnsManagement": .object(dnsManagement),
          // Stalwart rotates DKIM keys only when it also publishes them: a
          // key it rotated while tailwart publishes the old one fails every
          // signature.
          "dkimManagement": .object([
            "@type": .string(DNSOwnership.stalwartKinds(d).contains(.dkim) ? "Automatic" : "Manual")
          ]),
        ], lessons: [4, 13], rules: ["dns-kinds-have-one-writer"]))

    // Last: reload the settings, so what the lines above stored is what
    // runs. In v0.16 the reload rebuilds the outbound routes too (lesson
    // 12); a listener added or moved to a new port still needs a restart.
    ops.append(
      Operation(
        kind: .create, object: "Action", matchOn: [], localID: "reload-settings", variant: "ReloadSettings",
        fields: [:], lessons: [12], rules: ["route-change-needs-restart"]))
    operations = ops
  }

  /// A secret read from the container's environment.
  static func secret(_ name: EnvironmentVariableName) -> Value {
    .object(["@type": .string("EnvironmentVariable"), "variableName": .string(name.text)])
  }
}

/// An environment variable an output names: who reads it and what it holds
/// (`EnvironmentVariable.all` lists them).
public struct EnvironmentVariable: Sendable, Equatable {
  public var name: String
  /// The Compose service whose container reads it.
  public var service: String
  /// One line for `.env.example`.
  public var comment: String
}

extension ListenerProtocol {
  /// The value of Stalwart's `NetworkListenerProtocol`.
  var schemaName: String {
    switch self {
    case .manageSieve: "manageSieve"
    default: rawValue
    }
  }
}

extension ACME.Challenge {
  /// The value of Stalwart's `AcmeChallengeType`.
  var schemaName: String {
    switch self {
    case .dns01: "Dns01"
    case .dnsPersist01: "DnsPersist01"
    case .http01: "Http01"
    case .tlsALPN01: "TlsAlpn01"
    }
  }
}
