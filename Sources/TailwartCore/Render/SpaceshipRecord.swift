/// One item of Spaceship's DNS records API, in the shape its requests and
/// answers use: names relative to the domain (`@` for the apex), targets
/// without a trailing dot, type-specific fields beside `type` and `name`.
///
/// Every type-specific field is optional so the same type reads a `GET`
/// listing (where items carry a read-only `group`) and a `DELETE` body
/// (items without `ttl`) as well as the `PUT` body tailwart writes.
public struct SpaceshipRecord: Codable, Sendable, Equatable {
  /// The read-only origin of a listed record (`custom`, `product`, `personalNS`).
  public struct Group: Codable, Sendable, Equatable {
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
  public var shapeProblem: String? {
    guard let expected = Self.fields[type] else { return "unknown type \(type)" }
    guard presentFields == expected else {
      return "\(type) \(name) has fields \(presentFields.sorted()); expected \(expected.sorted())"
    }
    guard let ttl, (60...3600).contains(ttl) else { return "\(type) \(name) needs a ttl from 60 to 3600" }
    guard group == nil else { return "\(type) \(name) carries the read-only group" }
    guard !name.hasSuffix("."), name == "@" || !name.isEmpty else { return "\(type) name \(name) is not relative" }
    for text in [address, cname, exchange, target].compactMap({ $0 }) where text != "." && text.hasSuffix(".") {
      return "\(type) \(name) has a trailing dot in \(text)"
    }
    return nil
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
