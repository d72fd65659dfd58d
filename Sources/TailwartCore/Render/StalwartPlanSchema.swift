import Foundation

/// The part of Stalwart's settings schema that tailwart writes: every
/// object, variant, field and enum value a plan line may use, with its
/// type. Taken by hand from the schema Stalwart 0.16.19 serves to
/// `stalwart-cli` (objects, fields, variants and enums of the same names);
/// a field tailwart starts to write is added here first. `check(plan:)`
/// reads a plan back against it: the renderer's self-check and the tests
/// both use it.
public enum StalwartPlanSchema {
  /// The release the table was taken from.
  public static let takenFrom = "0.16.19"
  public static let version = StalwartSchemaVersion.v0_16

  public indirect enum FieldType: Sendable {
    case string
    /// An address or CIDR block (`ipNetwork`).
    case ipNetwork
    /// `host:port` or `[v6]:port` (`socketAddress`).
    case socketAddress
    case emailAddress
    case uri
    case bool
    case unsigned(ClosedRange<Int>)
    case enumeration(String)
    case set(FieldType)
    /// A `#local-id` reference to an object of this name.
    case reference(String)
    /// An embedded object of this schema name.
    case embedded(String)
    case objectList(String)
  }

  /// Fields of one schema (an object, a variant or an embedded object).
  public typealias Fields = [String: FieldType]

  public enum Shape: Sendable {
    case single(Fields)
    /// Variant name → its fields (an empty table for variants without any).
    case variants([String: Fields])
  }

  public struct Object: Sendable {
    public var singleton: Bool
    public var shape: Shape
  }

  static let secretVariants: [String: Fields] = [
    "Value": ["secret": .string],
    "EnvironmentVariable": ["variableName": .string],
    "File": ["filePath": .string],
  ]

  /// The top-level objects (the name a plan line's `object` holds).
  public static let objects: [String: Object] = [
    "NetworkListener": Object(
      singleton: false,
      shape: .single([
        "name": .string, "bind": .set(.socketAddress), "protocol": .enumeration("NetworkListenerProtocol"),
        "overrideProxyTrustedNetworks": .set(.ipNetwork), "tlsImplicit": .bool, "useTls": .bool,
        "maxConnections": .unsigned(1...Int(UInt32.max)),
      ])),
    "SystemSettings": Object(
      singleton: true,
      shape: .single([
        "proxyTrustedNetworks": .set(.ipNetwork), "defaultHostname": .string,
      ])),
    "AllowedIp": Object(singleton: false, shape: .single(["address": .ipNetwork, "reason": .string])),
    "MtaRoute": Object(
      singleton: false,
      shape: .variants([
        "Mx": [
          "name": .string, "description": .string, "ipLookupStrategy": .enumeration("MtaIpStrategy"),
          "maxMxHosts": .unsigned(1...Int(UInt32.max)), "maxMultihomed": .unsigned(1...Int(UInt32.max)),
        ],
        "Relay": [
          "name": .string, "description": .string, "address": .string, "port": .unsigned(1...65535),
          "protocol": .enumeration("MtaProtocol"), "implicitTls": .bool, "allowInvalidCerts": .bool,
          "authUsername": .string, "authSecret": .embedded("SecretKeyOptional"),
        ],
        "Local": ["name": .string, "description": .string],
      ])),
    "MtaOutboundStrategy": Object(
      singleton: true,
      shape: .single([
        "route": .embedded("Expression"), "schedule": .embedded("Expression"), "tls": .embedded("Expression"),
        "connection": .embedded("Expression"),
      ])),
    "AcmeProvider": Object(
      singleton: false,
      shape: .single([
        "directory": .uri, "challengeType": .enumeration("AcmeChallengeType"), "contact": .set(.emailAddress),
        "renewBefore": .enumeration("AcmeRenewBefore"), "reuseKey": .bool,
      ])),
    "DnsServer": Object(
      singleton: false,
      shape: .variants([
        "Spaceship": ["description": .string, "apiKey": .string, "secret": .embedded("SecretKey")]
      ])),
    "Action": Object(singleton: false, shape: .variants(["ReloadSettings": [:], "ReloadTlsCertificates": [:]])),
    "Domain": Object(
      singleton: false,
      shape: .single([
        "name": .string, "description": .string, "certificateManagement": .embedded("CertificateManagement"),
        "dnsManagement": .embedded("DnsManagement"), "dkimManagement": .embedded("DkimManagement"),
      ])),
  ]

  /// Objects embedded in others' fields.
  public static let embedded: [String: Shape] = [
    "SecretKey": .variants(secretVariants),
    "SecretKeyOptional": .variants(secretVariants.merging(["None": [:]]) { a, _ in a }),
    "Expression": .single(["match": .objectList("ExpressionMatch"), "else": .string]),
    "ExpressionMatch": .single(["if": .string, "then": .string]),
    "CertificateManagement": .variants([
      "Manual": [:],
      "Automatic": ["acmeProviderId": .reference("AcmeProvider"), "subjectAlternativeNames": .set(.string)],
    ]),
    "DkimManagement": .variants([
      "Manual": [:],
      "Automatic": ["algorithms": .set(.enumeration("DkimSignatureType")), "selectorTemplate": .string],
    ]),
    "DnsManagement": .variants([
      "Manual": [:],
      "Automatic": [
        "dnsServerId": .reference("DnsServer"), "origin": .string, "publishRecords": .set(.enumeration("DnsRecordType")),
      ],
    ]),
  ]

  /// The enum values, as the schema lists them.
  public static let enums: [String: [String]] = [
    "NetworkListenerProtocol": ["smtp", "lmtp", "http", "imap", "pop3", "manageSieve"],
    "MtaProtocol": ["smtp", "lmtp"],
    "MtaIpStrategy": ["v4ThenV6", "v6ThenV4", "v4Only", "v6Only"],
    "AcmeChallengeType": ["TlsAlpn01", "DnsPersist01", "Dns01", "Http01"],
    "AcmeRenewBefore": ["R12", "R23", "R34", "R45"],
    "DkimSignatureType": ["Dkim1Ed25519Sha256", "Dkim1RsaSha256", "Dkim2Ed25519Sha256", "Dkim2RsaSha256"],
    "DnsRecordType": [
      "dkim", "tlsa", "spf", "mx", "dmarc", "srv", "mtaSts", "tlsRpt", "caa", "autoConfig", "autoConfigLegacy",
      "autoDiscover",
    ],
  ]

  // MARK: reading a plan back

  /// A parsed JSON value; booleans and numbers stay apart.
  enum JSON: Decodable {
    case bool(Bool), int(Int), number(Double), string(String), list([JSON]), object([String: JSON]), null

    init(from decoder: any Decoder) throws {
      let c = try decoder.singleValueContainer()
      if c.decodeNil() {
        self = .null
      } else if let b = try? c.decode(Bool.self) {
        self = .bool(b)
      } else if let n = try? c.decode(Int.self) {
        self = .int(n)
      } else if let n = try? c.decode(Double.self) {
        self = .number(n)
      } else if let s = try? c.decode(String.self) {
        self = .string(s)
      } else if let l = try? c.decode([JSON].self) {
        self = .list(l)
      } else {
        self = .object(try c.decode([String: JSON].self))
      }
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var object: [String: JSON]? { if case .object(let o) = self { o } else { nil } }
    var list: [JSON]? { if case .list(let l) = self { l } else { nil } }
  }

  /// Every problem with `plan` (NDJSON text), as "line N: ..." strings;
  /// empty when each line is an operation on a known object whose fields,
  /// variants, enum values and references the table allows.
  public static func check(plan: String) -> [String] {
    var problems: [String] = []
    var ids: [String: String] = [:]  // local id → object
    for (index, raw) in plan.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = index + 1
      if raw.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
      var report: (String) -> Void = { problems.append("line \(line): \($0)") }
      guard let op = (try? JSONDecoder().decode(JSON.self, from: Data(raw.utf8)))?.object else {
        report("not a JSON object")
        continue
      }
      guard let name = op["object"]?.string, let object = objects[name] else {
        report("unknown object \(op["object"]?.string ?? "(none)")")
        continue
      }
      report = { problems.append("line \(line) (\(name)): \($0)") }
      let known: Set<String>
      switch op["@type"]?.string {
      case "upsert":
        known = ["@type", "object", "matchOn", "value"]
        guard !object.singleton else {
          report("a singleton is updated, not upserted")
          continue
        }
        guard let value = op["value"]?.object, !value.isEmpty else {
          report("value must map local ids to objects")
          continue
        }
        let match = op["matchOn"]?.list?.compactMap(\.string) ?? []
        if match.isEmpty { report("an upsert needs matchOn") }
        for (id, item) in value.sorted(by: { $0.key < $1.key }) {
          guard let fields = item.object else {
            report("\(id) is not an object")
            continue
          }
          if ids[id] != nil { report("local id \(id) used twice") }
          ids[id] = name
          let table = checkShape(object.shape, fields, path: id, ids: ids, report: report)
          for key in match where table?[key] == nil || fields[key] == nil {
            report("matchOn names \(key), which \(id) does not set")
          }
        }
      case "create":
        known = ["@type", "object", "value"]
        // Only actions: creating anything else twice duplicates it.
        guard name == "Action" else {
          report("only actions are created; objects are upserted so that a second apply converges")
          continue
        }
        guard let value = op["value"]?.object, !value.isEmpty else {
          report("value must map local ids to objects")
          continue
        }
        for (id, item) in value.sorted(by: { $0.key < $1.key }) {
          guard let fields = item.object else {
            report("\(id) is not an object")
            continue
          }
          checkShape(object.shape, fields, path: id, ids: ids, report: report)
        }
      case "update":
        known = ["@type", "object", "value"]
        guard object.singleton else {
          report("only singletons are updated without an id")
          continue
        }
        guard let value = op["value"]?.object else {
          report("value must be an object")
          continue
        }
        checkShape(object.shape, value, path: "value", ids: ids, report: report)
      default:
        report("@type must be upsert, update or create")
        continue
      }
      for key in op.keys.sorted() where !known.contains(key) { report("unknown operation key \(key)") }
    }
    return problems
  }

  /// Checks `fields` against `shape`; returns the field table it used.
  @discardableResult
  static func checkShape(
    _ shape: Shape, _ fields: [String: JSON], path: String, ids: [String: String], report: (String) -> Void
  ) -> Fields? {
    let table: Fields
    switch shape {
    case .single(let t):
      if fields["@type"] != nil { report("\(path) names a variant, but the object has none") }
      table = t
    case .variants(let variants):
      guard let variant = fields["@type"]?.string else {
        report("\(path) must name its variant in @type (one of \(variants.keys.sorted().joined(separator: ", ")))")
        return nil
      }
      guard let t = variants[variant] else {
        report("\(path) has unknown variant \(variant)")
        return nil
      }
      table = t
    }
    for (key, value) in fields.sorted(by: { $0.key < $1.key }) where key != "@type" {
      guard let type = table[key] else {
        report("\(path) has unknown field \(key)")
        continue
      }
      checkValue(type, value, path: "\(path).\(key)", ids: ids, report: report)
    }
    return table
  }

  static func checkValue(_ type: FieldType, _ value: JSON, path: String, ids: [String: String], report: (String) -> Void) {
    func string() -> String? {
      guard let s = value.string else {
        report("\(path) must be a string")
        return nil
      }
      return s
    }
    switch type {
    case .string:
      _ = string()
    case .ipNetwork:
      if let s = string(), CIDR(s) == nil { report("\(path) is not an IP address or network: \(s)") }
    case .socketAddress:
      if let s = string() {
        let port = s.split(separator: ":").last.flatMap { Int($0) }
        let host = s.hasPrefix("[") ? String(s.dropFirst().prefix { $0 != "]" }) : String(s.prefix { $0 != ":" })
        if port == nil || !(1...65535).contains(port!) || IPAddress(host) == nil {
          report("\(path) is not an address and port: \(s)")
        }
      }
    case .emailAddress:
      if let s = string(), s.split(separator: "@", omittingEmptySubsequences: false).count != 2 || s.contains(" ") {
        report("\(path) is not an email address: \(s)")
      }
    case .uri:
      if let s = string(), !(s.hasPrefix("https://") || s.hasPrefix("http://")) { report("\(path) is not a URI: \(s)") }
    case .bool:
      guard case .bool = value else { return report("\(path) must be true or false") }
    case .unsigned(let range):
      guard case .int(let n) = value else { return report("\(path) must be a whole number") }
      if !range.contains(n) { report("\(path) is \(n), outside \(range.lowerBound)...\(range.upperBound)") }
    case .enumeration(let name):
      if let s = string(), !(enums[name] ?? []).contains(s) { report("\(path) is \(s), not a \(name) value") }
    case .set(let item):
      guard let items = value.list else { return report("\(path) must be a list") }
      for (i, element) in items.enumerated() { checkValue(item, element, path: "\(path)[\(i)]", ids: ids, report: report) }
    case .reference(let object):
      guard let s = string() else { return }
      guard s.hasPrefix("#"), let target = ids[String(s.dropFirst())] else {
        return report("\(path) refers to \(s), which no earlier line defines")
      }
      if target != object { report("\(path) refers to a \(target), not a \(object)") }
    case .embedded(let name):
      guard let fields = value.object, let shape = embedded[name] else {
        return report("\(path) must be a \(name) object")
      }
      checkShape(shape, fields, path: path, ids: ids, report: report)
    case .objectList(let name):
      guard let items = value.list, let shape = embedded[name] else { return report("\(path) must be a list") }
      for (i, item) in items.enumerated() {
        guard let fields = item.object else {
          report("\(path)[\(i)] must be an object")
          continue
        }
        checkShape(shape, fields, path: "\(path)[\(i)]", ids: ids, report: report)
      }
    }
  }
}
