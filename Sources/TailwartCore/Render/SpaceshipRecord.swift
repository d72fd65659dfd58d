/// One item of Spaceship's DNS records API, in the shape its requests and
/// answers use: names relative to the domain (`@` for the apex), targets
/// without a trailing dot, type-specific fields beside `type` and `name`.
///
/// Every type-specific field is optional so the same type reads a `GET`
/// listing (where items carry a read-only `group`) and a `DELETE` body
/// (items without `ttl`) as well as the `PUT` body tailwart writes.
public struct SpaceshipRecord: Codable, Sendable, Hashable {
  /// The read-only origin of a listed record (`custom`, `product`, `personalNS`).
  public struct Group: Codable, Sendable, Hashable {
    public var type: String
  }

  public var type: String
  public var name: String
  public var ttl: Int?
  /// A and AAAA.
  public var address: String?
  /// CNAME.
  public var cname: String?
  /// MX.
  public var exchange: String?
  public var preference: Int?
  /// TXT (the whole text, however long) and CAA.
  public var value: String?
  /// SRV: `_submissions`, `_tcp`, and the record's own fields.
  public var service: String?
  public var `protocol`: String?
  public var priority: Int?
  public var weight: Int?
  public var port: Int?
  public var target: String?
  /// CAA.
  public var flag: Int?
  public var tag: String?
  public var group: Group?

  public init(type: String, name: String, ttl: Int? = nil) {
    self.type = type
    self.name = name
    self.ttl = ttl
  }

  /// The item for `record` in `zone`.
  public init(_ record: DNSRecord, zone: DomainName) {
    self.init(type: record.kind.rawValue, name: record.name.relative, ttl: record.ttl.value)
    switch record.data {
    case .a(let a): address = a.description
    case .aaaa(let a): address = a.description
    case .cname(let target): cname = target.text
    case .mx(let p, let exchange):
      preference = p
      self.exchange = exchange.text
    case .txt(let text): value = text
    case .srv(let p, let w, let n, let t):
      // `_submissions._tcp.sub` is service `_submissions`, protocol `_tcp`,
      // name `sub`; at the apex the name is `@`.
      let labels = record.name.relative.split(separator: ".", maxSplits: 2).map(String.init)
      service = labels[0]
      `protocol` = labels.count > 1 ? labels[1] : nil
      name = labels.count > 2 ? labels[2] : "@"
      priority = p
      weight = w
      port = n
      // "." is the one target that keeps its dot: the service is not offered.
      target = t?.text ?? "."
    case .caa(let f, let t, let v):
      flag = f
      tag = t
      value = v
    }
  }

  /// The fields each type carries besides `type`, `name` and `ttl`.
  public static let fields: [String: Set<String>] = [
    "A": ["address"], "AAAA": ["address"], "CNAME": ["cname"], "MX": ["exchange", "preference"], "TXT": ["value"],
    "SRV": ["service", "protocol", "priority", "weight", "port", "target"], "CAA": ["flag", "tag", "value"],
  ]

  /// The type-specific fields this item has.
  public var presentFields: Set<String> {
    var present: Set<String> = []
    if address != nil { present.insert("address") }
    if cname != nil { present.insert("cname") }
    if exchange != nil { present.insert("exchange") }
    if preference != nil { present.insert("preference") }
    if value != nil { present.insert("value") }
    if service != nil { present.insert("service") }
    if `protocol` != nil { present.insert("protocol") }
    if priority != nil { present.insert("priority") }
    if weight != nil { present.insert("weight") }
    if port != nil { present.insert("port") }
    if target != nil { present.insert("target") }
    if flag != nil { present.insert("flag") }
    if tag != nil { present.insert("tag") }
    return present
  }

  /// What is wrong with this item as part of a `PUT` body, or nil.
  public var shapeProblem: String? { problems().first?.message }

  /// Everything Spaceship's documented item constraints refuse in this
  /// item, field by field; empty when the provider takes it. With `zone`,
  /// a name that repeats the domain (`mail.example.com` for `mail`) is
  /// refused too: Spaceship reads every name as relative.
  public func problems(zone: DomainName? = nil) -> [SpaceshipItemProblem] {
    var out: [SpaceshipItemProblem] = []
    func refuse(_ field: String, _ message: String) { out.append(SpaceshipItemProblem(field: field, message: message)) }
    let label = "\(type) \(name)"
    guard let expected = Self.fields[type] else {
      refuse("type", "\(type) is not a record type tailwart sends")
      return out
    }
    if presentFields != expected {
      refuse("type", "\(label) has fields \(presentFields.sorted()); expected \(expected.sorted())")
      return out
    }
    if group != nil { refuse("group", "\(label) carries the read-only group") }
    if let ttl {
      if !SpaceshipLimits.ttl.contains(ttl) { refuse("ttl", "\(label) has TTL \(ttl); Spaceship takes 60 to 3600") }
    } else {
      refuse("ttl", "\(label) has no TTL")
    }
    if name.isEmpty || name.hasSuffix(".")
      || (name != "@" && RecordName(name, zone: zone ?? DomainName("invalid")!) == nil)
    {
      refuse("name", "\(type) name \"\(name)\" is not a name relative to the domain")
    } else if let zone, name != "@", name.lowercased() == zone.text || name.lowercased().hasSuffix("." + zone.text) {
      refuse("name", "\(type) name \(name) repeats the domain; Spaceship would publish \(name).\(zone)")
    }
    func hostName(_ field: String, _ text: String?) {
      guard let text else { return }
      if text.hasSuffix(".") {
        refuse(field, "\(label) has a trailing dot in \(text); Spaceship takes names without it")
      } else if DomainName(text) == nil {
        refuse(field, "\(label) needs a host name in \(field), not \"\(text)\"")
      }
    }
    switch type {
    case "A":
      if address.flatMap(IPv4Address.init) == nil { refuse("address", "\(label) needs an IPv4 address") }
    case "AAAA":
      if address.flatMap(IPv6Address.init) == nil { refuse("address", "\(label) needs an IPv6 address") }
    case "CNAME":
      hostName("cname", cname)
    case "MX":
      if let preference, !SpaceshipLimits.sixteenBits.contains(preference) {
        refuse("preference", "\(label) has preference \(preference); Spaceship takes 0 to 65535")
      }
      hostName("exchange", exchange)
    case "TXT":
      let length = value?.utf8.count ?? 0
      if length == 0 {
        refuse("value", "\(label) has an empty value")
      } else if length > SpaceshipLimits.txtLength {
        refuse(
          "value",
          "\(label) is \(length) bytes long; Spaceship takes TXT values of at most \(SpaceshipLimits.txtLength)")
      }
    case "SRV":
      if let port, !SpaceshipLimits.srvPort.contains(port) {
        refuse(
          "port", "\(label) has port \(port); Spaceship takes SRV ports from 1 to 65535 (no \"not offered\" record)")
      }
      for (field, number) in [("priority", priority), ("weight", weight)] {
        if let number, !SpaceshipLimits.sixteenBits.contains(number) {
          refuse(field, "\(label) has \(field) \(number); Spaceship takes 0 to 65535")
        }
      }
      if target == "." {
        refuse("target", "\(label) has the target \".\"; Spaceship takes a host name only (no \"not offered\" record)")
      } else {
        hostName("target", target)
      }
      if let service, !(service.hasPrefix("_") && service.count > 1) {
        refuse("service", "\(label) has service \(service); it starts with an underscore")
      }
      if let p = `protocol`, !["_tcp", "_udp", "_tls"].contains(p) {
        refuse("protocol", "\(label) has protocol \(p); Spaceship takes _tcp, _udp or _tls")
      }
    case "CAA":
      if let flag, !SpaceshipLimits.caaFlags.contains(flag) {
        refuse("flag", "\(label) has CAA flag \(flag); Spaceship takes 0 or 128")
      }
      if let tag, !SpaceshipLimits.caaTags.contains(tag) {
        refuse("tag", "\(label) has CAA tag \(tag); Spaceship takes issue, issuewild or iodef")
      }
      if (value ?? "").isEmpty { refuse("value", "\(label) has an empty CAA value") }
    default:
      break
    }
    return out
  }

  /// The item's identity at Spaceship: its type, name and data (TTL and
  /// group aside). Two items with one identity are one record.
  public var identity: SpaceshipRecord {
    var copy = self
    copy.ttl = nil
    copy.group = nil
    return copy
  }

  /// The record this item describes, read back; nil when it is not one
  /// tailwart writes.
  public func record(in zone: DomainName) -> (name: RecordName, ttl: Int?, data: DNSRecord.RData)? {
    var owner = name
    let data: DNSRecord.RData
    switch type {
    case "A":
      guard let a = address.flatMap(IPv4Address.init) else { return nil }
      data = .a(a)
    case "AAAA":
      guard let a = address.flatMap(IPv6Address.init) else { return nil }
      data = .aaaa(a)
    case "CNAME":
      guard let target = cname.flatMap(DomainName.init) else { return nil }
      data = .cname(target)
    case "MX":
      guard let preference, let host = exchange.flatMap(DomainName.init) else { return nil }
      data = .mx(preference: preference, exchange: host)
    case "TXT":
      guard let value else { return nil }
      data = .txt(value)
    case "SRV":
      guard let service, let `protocol`, let priority, let weight, let port, let target else { return nil }
      owner = "\(service).\(`protocol`)" + (name == "@" ? "" : ".\(name)")
      let host = target == "." ? nil : DomainName(target)
      guard target == "." || host != nil else { return nil }
      data = .srv(priority: priority, weight: weight, port: port, target: host)
    case "CAA":
      guard let flag, let tag, let value else { return nil }
      data = .caa(flags: flag, tag: tag, value: value)
    default:
      return nil
    }
    guard let recordName = RecordName(owner, zone: zone) else { return nil }
    return (recordName, ttl, data)
  }
}

/// One field of an item that Spaceship would refuse, and why.
public struct SpaceshipItemProblem: Sendable, Equatable, CustomStringConvertible {
  public var field: String
  public var message: String
  public var description: String { message }
}

/// Spaceship's documented item constraints, in one place: `check`, the
/// renderer's self-check and `dns push` all judge items by these.
public enum SpaceshipLimits {
  public static let ttl = 60...3600
  public static let srvPort = 1...65535
  public static let sixteenBits = 0...65535
  public static let caaFlags: Set<Int> = [0, 128]
  public static let caaTags: Set<String> = ["issue", "issuewild", "iodef"]
  /// The longest TXT value tailwart sends, in bytes (the value is split
  /// into 255-byte strings by the provider).
  public static let txtLength = 2048
  /// Items in one `PUT` or `DELETE`.
  public static let maxItems = 500
}
