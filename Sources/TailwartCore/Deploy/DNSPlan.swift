import Foundation

/// What a push would do to the live zone: tailwart's records compared with
/// a listing of the zone, by Spaceship's identity (type, name and data).
///
/// A `PUT` adds records whose data is new and updates the TTL of those it
/// has; it never changes data and never removes. So a changed value is a
/// create of the new record and a delete of the old one, and a record
/// tailwart no longer publishes is deleted, when it is tailwart's.
public struct DNSPlan: Sendable, Equatable {
  /// Records to add (`PUT`), in the shape sent.
  public var create: [SpaceshipRecord] = []
  /// Records whose data is live but whose TTL changes (`PUT`), as sent.
  public var update: [SpaceshipRecord] = []
  /// tailwart's live records it no longer publishes (`DELETE`), as listed.
  public var delete: [SpaceshipRecord] = []
  /// tailwart's records already live as they should be.
  public var unchanged: [SpaceshipRecord] = []
  /// Live records that are not tailwart's: left alone.
  public var foreign: [SpaceshipRecord] = []

  public init(share: DNSShare, live: [SpaceshipRecord]) {
    let zone = share.zone
    var liveByKey: [Key: SpaceshipRecord] = [:]
    for item in live {
      if share.owns(item), let key = Key(item, zone: zone) {
        liveByKey[key] = item
      } else {
        foreign.append(item)
      }
    }
    var wanted: Set<Key> = []
    for item in share.items {
      guard let key = Key(item, zone: zone), wanted.insert(key).inserted else { continue }
      if let current = liveByKey[key] {
        if current.ttl == item.ttl { unchanged.append(current) } else { update.append(item) }
      } else {
        create.append(item)
      }
    }
    for item in live where !foreign.contains(item) {
      if let key = Key(item, zone: zone), !wanted.contains(key) { delete.append(item) }
    }
  }

  /// Anything to send.
  public var hasChanges: Bool { !(create.isEmpty && update.isEmpty && delete.isEmpty) }

  /// tailwart's own records in the live zone.
  public var ownedLive: Int { unchanged.count + update.count + delete.count }

  /// What the zone should hold once the plan is applied: every record by
  /// identity with its TTL.
  public func outcome(zone: DomainName) -> Set<Outcome> {
    var out: Set<Outcome> = []
    for item in unchanged + update + create + foreign {
      if let key = Key(item, zone: zone) { out.insert(Outcome(key: key, ttl: item.ttl)) }
    }
    return out
  }

  /// One record of a zone by identity and TTL; unreadable items are kept by
  /// their fields as listed.
  public struct Outcome: Hashable, Sendable {
    let key: Key
    let ttl: Int?
  }

  /// A record's identity, normalised (names without case or trailing dot,
  /// addresses in one form); items tailwart cannot read are compared by
  /// their fields as they are.
  struct Key: Hashable, Sendable {
    var name: String
    var data: DNSRecord.RData?
    var raw: SpaceshipRecord?

    init?(_ item: SpaceshipRecord, zone: DomainName) {
      if let record = item.record(in: zone) {
        name = record.name.relative
        data = record.data
        raw = nil
      } else {
        name = item.name.lowercased()
        data = nil
        raw = item.identity
      }
    }
  }
}

extension DNSPlan {
  /// The plan in Spaceship's item shape, for scripts and CI.
  public func json() throws -> String {
    struct Body: Encodable {
      var create, update, delete, unchanged, foreign: [SpaceshipRecord]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    let data = try encoder.encode(
      Body(create: create, update: update, delete: delete, unchanged: unchanged, foreign: foreign))
    return String(decoding: data, as: UTF8.self)
  }

  /// `N to create, N to delete, N unchanged, N foreign` (and the TTL
  /// changes when there are any).
  public var summary: String {
    var line =
      "\(create.count) to create, \(delete.count) to delete, \(unchanged.count) unchanged, \(foreign.count) foreign"
    if !update.isEmpty { line += ", \(update.count) TTL change\(update.count == 1 ? "" : "s")" }
    return line
  }

  /// A table in the manner of octoDNS and DNSControl: one line per record
  /// that changes or is left alone, then the summary.
  public func table(zone: DomainName, showUnchanged: Bool = false) -> String {
    var rows: [[String]] = []
    func add(_ action: String, _ items: [SpaceshipRecord]) {
      for item in items {
        let (name, value) = Self.presentation(item, zone: zone)
        rows.append([action, name, item.type, item.ttl.map(String.init) ?? "-", value])
      }
    }
    add("- delete", delete)
    add("+ create", create)
    add("~ ttl", update)
    if showUnchanged { add("  same", unchanged) }
    add("= foreign", foreign)
    var widths = [Int](repeating: 0, count: 4)
    for row in rows { for i in 0..<4 { widths[i] = max(widths[i], row[i].count) } }
    var text = ""
    for row in rows {
      var line = ""
      for i in 0..<4 { line += row[i] + String(repeating: " ", count: widths[i] - row[i].count + 2) }
      text += line + row[4] + (row[0] == "= foreign" ? "  (not tailwart's; left alone)" : "") + "\n"
    }
    return text + summary + "\n"
  }

  /// The owner name and the data as a zone file writes them.
  static func presentation(_ item: SpaceshipRecord, zone: DomainName) -> (String, String) {
    if let record = item.record(in: zone) { return (record.name.relative, ZoneRenderer.rdata(record.data)) }
    let fields = [
      item.address, item.cname, item.exchange, item.value, item.target, item.tag,
    ].compactMap { $0 }
    return (item.name, fields.isEmpty ? "(\(item.type) record)" : fields.joined(separator: " "))
  }
}

/// A zone listing read from a file (`GET /dns/records/{domain}` as saved).
public enum DNSSnapshot {
  public struct Problem: Error, CustomStringConvertible {
    public var description: String
  }

  public static func read(path: String) throws(Problem) -> [SpaceshipRecord] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Problem(description: "\(path): cannot be read")
    }
    return try decode(data, file: path)
  }

  public static func decode(_ data: Data, file: String) throws(Problem) -> [SpaceshipRecord] {
    let list: SpaceshipRecordList
    do {
      list = try JSONDecoder().decode(SpaceshipRecordList.self, from: data)
    } catch let DecodingError.dataCorrupted(context) {
      throw Problem(description: "\(file): not JSON: \(context.debugDescription)")
    } catch let DecodingError.keyNotFound(key, context) {
      throw Problem(description: "\(file): \(path(context.codingPath)) has no \"\(key.stringValue)\"")
    } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
      throw Problem(description: "\(file): \(path(context.codingPath)): \(context.debugDescription)")
    } catch {
      throw Problem(description: "\(file): not a zone listing: \(error)")
    }
    guard list.total == list.items.count else {
      throw Problem(
        description:
          "\(file): holds \(list.items.count) of the zone's \(list.total) records; save the whole listing (every page of take/skip)"
      )
    }
    return list.items
  }

  static func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
  }
}
