import Foundation
import Testing

@testable import TailwartCore

/// `dns push` with the real HTTP client against the local stand-in of
/// Spaceship's API.
struct DNSPushTests {
  typealias F = DNSACLFixtures

  static func share() throws -> DNSShare { DNSShare(try DNSRecordSet(try F.checked(try F.shippedInventory()))) }

  static func drift() throws -> [SpaceshipRecord] {
    try DNSSnapshot.read(path: SpaceshipStandIn.fixture("snapshot-drift.json").path)
  }

  static func backupFolder() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("dns-backups-\(UUID().uuidString)").path
  }

  static let yes = DNSPush.Hooks(confirm: { _ in true }, log: { _ in })

  @Test func convergesKeepsForeignRecordsAndBacksUpFirst() async throws {
    let share = try Self.share()
    let drift = try Self.drift()
    let folder = Self.backupFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try await SpaceshipStandIn.use(records: drift) { standIn in
      let push = DNSPush(share: share, client: standIn.client(), backupFolder: folder, force: false)
      #expect(try await push.run(Self.yes) == .applied)

      // The backup is the zone as it was, saved before the first write.
      let backups = try FileManager.default.contentsOfDirectory(atPath: folder)
      #expect(backups.count == 1 && backups[0].hasPrefix("example.com-") && backups[0].hasSuffix(".json"))
      let saved = try DNSSnapshot.read(path: folder + "/" + backups[0])
      #expect(Set(saved) == Set(drift))
      #expect(try await standIn.writes().map { $0.split(separator: " ")[0] } == ["DELETE", "PUT"])

      let after = try await standIn.client().list()
      let plan = DNSPlan(share: share, live: after)
      #expect(!plan.hasChanges)
      #expect(plan.foreign.map(\.name).sorted() == ["@", "_acme-challenge"])
      #expect(!after.contains { $0.value == "v=spf1 a mx ip4:198.51.100.7 -all" })

      // A second push finds nothing to do and sends no write.
      let before = try await standIn.writes().count
      let second = DNSPush(share: share, client: standIn.client(), backupFolder: folder, force: false)
      #expect(try await second.run(Self.yes) == .upToDate)
      #expect(try await standIn.writes().count == before)
    }
  }

  @Test func readsEveryPage() async throws {
    let many = (0..<1203).map { DNSPlanTests.txt("verify\($0)", "token-\($0)") }
    try await SpaceshipStandIn.use(records: many) { standIn in
      let listed = try await standIn.client().list()
      #expect(listed.count == 1203 && Set(listed) == Set(many))
      #expect(
        try await standIn.requests()
          == [0, 500, 1000].map { "GET /api/v1/dns/records/example.com?take=500&skip=\($0)" })
    }
  }

  @Test func aWrongSecretIsNamedButNeverPrinted() async throws {
    let folder = Self.backupFolder()
    try await SpaceshipStandIn.use(records: try Self.drift()) { standIn in
      let wrong = SpaceshipCredentials(key: SpaceshipStandIn.key, secret: "wrong-secret-9d81c4")
      let push = DNSPush(
        share: try Self.share(), client: standIn.client(credentials: wrong), backupFolder: folder, force: false)
      do {
        _ = try await push.run(Self.yes)
        Issue.record("pushed with a wrong secret")
      } catch let error as DNSPush.Failure {
        #expect(error.description.contains("refused the API key or secret (HTTP 401)"))
        #expect(error.description.contains("nothing was changed"))
        #expect(!error.description.contains(SpaceshipStandIn.key) && !error.description.contains("wrong-secret-9d81c4"))
      }
      #expect(!FileManager.default.fileExists(atPath: folder))
      #expect(try await standIn.writes().isEmpty)
    }
  }

  @Test func aRefusedItemPrintsTheProvidersMessage() async throws {
    try await SpaceshipStandIn.use(records: []) { standIn in
      var item = SpaceshipRecord(type: "SRV", name: "@", ttl: 3600)
      (item.service, item.protocol, item.priority, item.weight, item.port, item.target) = (
        "_imap", "_tcp", 0, 0, 0, "."
      )
      do {
        try await standIn.client().put([item])
        Issue.record("the stand-in took a not-offered SRV")
      } catch let error as SpaceshipError {
        #expect(error.status == 422)
        #expect(error.description.contains("items[0].port: must be between 1 and 65535"))
        #expect(error.description.contains("items[0].target: must be a host name"))
        #expect(error.description.contains(#"(the item {"name":"@","port":0,"#))
      }
      // tailwart refuses the same item itself, before sending it.
      #expect(Set(item.problems().map(\.field)) == ["port", "target"])
    }
  }

  @Test func aFailureMidPushSaysWhatWasAndWasNotApplied() async throws {
    let folder = Self.backupFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try await SpaceshipStandIn.use(records: try Self.drift(), options: ["--fail", "PUT:1"]) { standIn in
      let push = DNSPush(share: try Self.share(), client: standIn.client(), backupFolder: folder, force: false)
      do {
        _ = try await push.run(Self.yes)
        Issue.record("the push did not report the failure")
      } catch let error as DNSPush.Failure {
        let text = error.description
        #expect(text.contains("PUT answered HTTP 500"))
        #expect(text.contains("applied:\n  delete @ TXT \"v=spf1 a mx ip4:198.51.100.7 -all\"\n"))
        #expect(
          text.contains(
            "not applied:\n  put @ MX 10 mail.example.com.\n  put @ TXT \"v=spf1 mx ip4:198.51.100.25 -all\"\n"))
        let backup = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first)
        #expect(text.hasSuffix("saved in \(folder)/\(backup)"))
      }
      // The next push finishes the job from where the zone is.
      let again = DNSPush(share: try Self.share(), client: standIn.client(), backupFolder: folder, force: false)
      #expect(try await again.run(Self.yes) == .applied)
    }
  }

  @Test func aTimeoutStopsBeforeAnyWrite() async throws {
    let folder = Self.backupFolder()
    try await SpaceshipStandIn.use(records: [], options: ["--hang", "GET:1", "--hang-seconds", "120"]) { standIn in
      let push = DNSPush(
        share: try Self.share(), client: standIn.client(timeout: 1), backupFolder: folder, force: false)
      let started = Date()
      do {
        _ = try await push.run(Self.yes)
        Issue.record("the push did not time out")
      } catch let error as DNSPush.Failure {
        #expect(error.description.hasSuffix("nothing was changed"))
      }
      // Bounded by the client, not the two minutes the stand-in would keep it
      // waiting (FoundationNetworking fires late on a loaded machine).
      #expect(Date().timeIntervalSince(started) < 100)
      #expect(!FileManager.default.fileExists(atPath: folder))
    }
  }

  @Test func changingMoreThanAThirdNeedsForce() async throws {
    let share = try Self.share()
    let stale = DNSPlanTests.live(share).map { item -> SpaceshipRecord in
      var item = item
      item.ttl = 300
      return item
    }
    let folder = Self.backupFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try await SpaceshipStandIn.use(records: stale) { standIn in
      let push = DNSPush(share: share, client: standIn.client(), backupFolder: folder, force: false)
      do {
        _ = try await push.run(Self.yes)
        Issue.record("pushed past the safety threshold")
      } catch let error as DNSPush.Failure {
        #expect(error.description.contains("deletes or changes \(stale.count) of tailwart's \(stale.count) records"))
        #expect(error.description.contains("--force"))
      }
      #expect(try await standIn.writes().isEmpty)
      let forced = DNSPush(share: share, client: standIn.client(), backupFolder: folder, force: true)
      #expect(try await forced.run(Self.yes) == .applied)
      #expect(try await standIn.client().list().allSatisfy { $0.ttl == 3600 })
    }
  }

  @Test func declinedMeansNothingSent() async throws {
    try await SpaceshipStandIn.use(records: try Self.drift()) { standIn in
      let folder = Self.backupFolder()
      defer { try? FileManager.default.removeItem(atPath: folder) }
      let push = DNSPush(share: try Self.share(), client: standIn.client(), backupFolder: folder, force: false)
      #expect(try await push.run(DNSPush.Hooks(confirm: { _ in false }, log: { _ in })) == .declined)
      #expect(try await standIn.writes().isEmpty)
    }
  }

  /// The behaviour the push is built around: a PUT never replaces data.
  @Test func aPutAddsBesideAndNeverReplaces() async throws {
    try await SpaceshipStandIn.use(records: [DNSPlanTests.txt("@", "v=spf1 a -all")]) { standIn in
      let client = standIn.client()
      try await client.put([DNSPlanTests.txt("@", "v=spf1 mx -all", group: nil)])
      try await client.put([DNSPlanTests.txt("@", "v=spf1 a -all", ttl: 600, group: nil)])
      let live = try await client.list()
      #expect(live.compactMap(\.value).sorted() == ["v=spf1 a -all", "v=spf1 mx -all"])
      #expect(live.first { $0.value == "v=spf1 a -all" }?.ttl == 600)
      try await client.delete([DNSPlanTests.txt("@", "v=spf1 a -all")])
      #expect(try await client.list().map(\.value) == ["v=spf1 mx -all"])
    }
  }
}
