import Foundation

/// `dns push`: list the live zone, back it up, plan, apply tailwart's share
/// of it (delete its stale records, put its new ones) and verify the zone
/// holds exactly the plan's outcome. Nothing is written before the backup
/// is on disk; nothing at all when the plan is empty.
public struct DNSPush: Sendable {
  /// What the caller decides and hears.
  public struct Hooks: Sendable {
    /// Shown the plan before the first write; false stops the push.
    public var confirm: @Sendable (DNSPlan) -> Bool
    /// One line of progress.
    public var log: @Sendable (String) -> Void

    public init(confirm: @escaping @Sendable (DNSPlan) -> Bool, log: @escaping @Sendable (String) -> Void) {
      self.confirm = confirm
      self.log = log
    }
  }

  /// A push that stopped; says what reached the provider and what did not.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var description: String
  }

  public enum Result: Sendable, Equatable {
    /// The zone already held tailwart's share; nothing was sent.
    case upToDate
    /// The operator said no; nothing was sent.
    case declined
    /// Every change was applied and the zone verified.
    case applied
  }

  public let share: DNSShare
  public let client: SpaceshipClient
  /// Where the listing is saved before any write.
  public let backupFolder: String
  /// Push even when the plan deletes or changes more than a third of
  /// tailwart's records.
  public let force: Bool

  public init(share: DNSShare, client: SpaceshipClient, backupFolder: String, force: Bool) {
    self.share = share
    self.client = client
    self.backupFolder = backupFolder
    self.force = force
  }

  /// octoDNS's safety threshold: a plan that deletes or changes more than
  /// this share of tailwart's records, in a zone of at least
  /// `safetyMinimum` records, needs `--force`.
  public static let safetyShare = 1.0 / 3.0
  public static let safetyMinimum = 10

  public func run(_ hooks: Hooks, now: Date = Date()) async throws(Failure) -> Result {
    let live: [SpaceshipRecord]
    do {
      live = try await client.list()
    } catch {
      throw Failure(description: "\(error); nothing was changed")
    }
    let backup = try saveBackup(live, now: now)
    hooks.log("saved the zone's \(live.count) records to \(backup)")

    let plan = DNSPlan(share: share, live: live)
    guard plan.hasChanges else {
      hooks.log(plan.summary)
      return .upToDate
    }
    for item in plan.create + plan.update {
      if let problem = item.problems(zone: share.zone).first {
        throw Failure(description: "\(problem.message); nothing was changed (run tailwart check)")
      }
    }
    let touched = plan.delete.count + plan.update.count
    if !force, live.count >= Self.safetyMinimum, plan.ownedLive > 0,
      Double(touched) > Double(plan.ownedLive) * Self.safetyShare
    {
      let names = (plan.delete + plan.update).map { "\($0.type) \($0.name)" }.joined(separator: ", ")
      throw Failure(
        description:
          "the plan deletes or changes \(touched) of tailwart's \(plan.ownedLive) records in \(client.domain) (more than a third): \(names); nothing was changed; rerun with --force if that is meant"
      )
    }
    guard hooks.confirm(plan) else { return .declined }

    var applied: [String] = []
    var pending: [String] =
      plan.delete.map { "delete \(label($0))" } + (plan.create + plan.update).map { "put \(label($0))" }
    func fail(_ error: SpaceshipError) -> Failure {
      var text = "\(error)\n"
      text += applied.isEmpty ? "nothing was applied\n" : "applied:\n" + applied.map { "  \($0)\n" }.joined()
      text += pending.isEmpty ? "" : "not applied:\n" + pending.map { "  \($0)\n" }.joined()
      text += "the zone as it was before this push is saved in \(backup)"
      return Failure(description: text)
    }
    do {
      for batch in Self.batches(plan.delete) {
        try await client.delete(batch)
        applied += batch.map { "delete \(label($0))" }
        pending.removeFirst(batch.count)
        hooks.log("deleted \(batch.count) record\(batch.count == 1 ? "" : "s")")
      }
      for batch in Self.batches(plan.create + plan.update) {
        try await client.put(batch)
        applied += batch.map { "put \(label($0))" }
        pending.removeFirst(batch.count)
        hooks.log("put \(batch.count) record\(batch.count == 1 ? "" : "s")")
      }
    } catch {
      throw fail(error)
    }

    let after: [SpaceshipRecord]
    do {
      after = try await client.list()
    } catch {
      throw Failure(
        description:
          "every change was sent, but the zone could not be listed again to verify it: \(error); backup: \(backup)")
    }
    let expected = plan.outcome(zone: share.zone)
    let actual = DNSPlan.outcomeOf(after, zone: share.zone)
    guard expected == actual else {
      let missing = expected.subtracting(actual).count
      let extra = actual.subtracting(expected).count
      let again = DNSPlan(share: share, live: after)
      throw Failure(
        description:
          "the zone does not hold what the plan says: \(missing) record\(missing == 1 ? "" : "s") missing, \(extra) unexpected\n"
          + again.table(zone: share.zone) + "the zone as it was before this push is saved in \(backup)")
    }
    hooks.log(
      "verified: \(client.domain) holds tailwart's \(share.items.count) records and \(plan.foreign.count) foreign ones")
    return .applied
  }

  func label(_ item: SpaceshipRecord) -> String {
    let (name, value) = DNSPlan.presentation(item, zone: share.zone)
    return "\(name) \(item.type) \(value)"
  }

  static func batches(_ items: [SpaceshipRecord]) -> [[SpaceshipRecord]] {
    stride(from: 0, to: items.count, by: SpaceshipLimits.maxItems).map {
      Array(items[$0..<min($0 + SpaceshipLimits.maxItems, items.count)])
    }
  }

  /// Writes the listing as `GET` returns it, one file per push, before any
  /// write; a push that cannot save it stops.
  func saveBackup(_ live: [SpaceshipRecord], now: Date) throws(Failure) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    let base = "\(client.domain)-\(formatter.string(from: now))"
    do {
      try FileManager.default.createDirectory(atPath: backupFolder, withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
      let data = try encoder.encode(SpaceshipRecordList(items: live, total: live.count))
      var path = (backupFolder as NSString).appendingPathComponent(base + ".json")
      var n = 1
      while FileManager.default.fileExists(atPath: path) {
        n += 1
        path = (backupFolder as NSString).appendingPathComponent("\(base)-\(n).json")
      }
      guard FileManager.default.createFile(atPath: path, contents: data + Data("\n".utf8)) else {
        throw Failure(description: "cannot write the backup \(path); nothing was changed")
      }
      return path
    } catch let failure as Failure {
      throw failure
    } catch {
      throw Failure(description: "cannot save the backup in \(backupFolder): \(error); nothing was changed")
    }
  }
}

extension DNSPlan {
  /// A listing as identities with TTLs, to compare with `outcome`.
  static func outcomeOf(_ items: [SpaceshipRecord], zone: DomainName) -> Set<Outcome> {
    Set(items.compactMap { item in Key(item, zone: zone).map { Outcome(key: $0, ttl: item.ttl) } })
  }
}
