import Foundation
import Testing

@testable import TailwartCore

/// `dns plan`: tailwart's share compared with a zone listing, and who owns
/// what.
struct DNSPlanTests {
  typealias F = DNSACLFixtures

  static func share(_ text: String) throws -> DNSShare { DNSShare(try DNSRecordSet(try F.checked(text))) }

  static func txt(_ name: String, _ value: String, ttl: Int = 3600, group: String? = "custom") -> SpaceshipRecord {
    var item = SpaceshipRecord(type: "TXT", name: name, ttl: ttl)
    item.value = value
    item.group = group.map { SpaceshipRecord.Group(type: $0) }
    return item
  }

  /// The listing a zone holding exactly `share` would give.
  static func live(_ share: DNSShare) -> [SpaceshipRecord] {
    share.items.map { item in
      var item = item
      item.group = .init(type: "custom")
      return item
    }
  }

  @Test func theDriftScenarioDeletesOnlyTheStaleSPF() throws {
    let share = try Self.share(try F.shippedInventory())
    let live = try DNSSnapshot.read(path: SpaceshipStandIn.fixture("snapshot-drift.json").path)
    let plan = DNSPlan(share: share, live: live)
    #expect(plan.delete.map(\.value) == ["v=spf1 a mx ip4:198.51.100.7 -all"])
    #expect(plan.create.contains { $0.type == "MX" && $0.exchange == "mail.example.com" })
    #expect(
      plan.create.contains { $0.type == "TXT" && $0.name == "@" && $0.value == "v=spf1 mx ip4:198.51.100.25 -all" })
    #expect(plan.foreign.map(\.name).sorted() == ["@", "_acme-challenge"])
    #expect(plan.foreign.contains { $0.value?.hasPrefix("google-site-verification=") == true })
    #expect(plan.update.isEmpty && plan.hasChanges)
    // Everything else in the listing is tailwart's and already right.
    #expect(plan.unchanged.count == live.count - 3)
    let table = plan.table(zone: share.zone)
    #expect(table.contains("- delete"))
    #expect(table.hasSuffix("2 to create, 1 to delete, \(live.count - 3) unchanged, 2 foreign\n"))
  }

  @Test func aZoneHoldingTheShareHasNothingToDo() throws {
    let share = try Self.share(ExampleInventory.text)
    let plan = DNSPlan(share: share, live: Self.live(share) + [Self.txt("@", "MS=ms1234567")])
    #expect(!plan.hasChanges)
    #expect(plan.unchanged.count == share.items.count && plan.foreign.count == 1)
    #expect(plan.summary == "0 to create, 0 to delete, \(share.items.count) unchanged, 1 foreign")
  }

  @Test func ownershipByNameTypeAndTXTKind() throws {
    let share = try Self.share(ExampleInventory.text)
    // tailwart's: kinds it writes at names it writes.
    #expect(share.owns(Self.txt("@", "v=spf1 a -all")))
    #expect(share.owns(Self.txt("_dmarc", "v=DMARC1; p=none")))
    #expect(share.owns(Self.txt("_mta-sts", "v=STSv1; id=1")))
    #expect(share.owns(Self.txt("_smtp._tls", "v=TLSRPTv1; rua=mailto:a@example.com")))
    #expect(share.owns(Self.txt("202606e._domainkey", "v=DKIM1; k=ed25519; p=old")))
    #expect(share.owns(Self.txt("mail", "v=spf1 ip4:203.0.113.10 -all")))
    var oldMX = SpaceshipRecord(type: "MX", name: "@", ttl: 3600)
    oldMX.exchange = "mx.old-host.example.net"
    oldMX.preference = 5
    #expect(share.owns(oldMX))
    // Foreign: other TXT at the apex, Stalwart's names, the provider's
    // records, names and kinds tailwart never writes.
    #expect(!share.owns(Self.txt("@", "google-site-verification=abc")))
    #expect(!share.owns(Self.txt("@", "v=verifydomain MS=1")))
    #expect(!share.owns(Self.txt("_acme-challenge", "token")))
    #expect(!share.owns(Self.txt("_validation-persist", "letsencrypt.org; accounturi=x")))
    #expect(!share.owns(Self.txt("_dmarc", "something else")))
    #expect(!share.owns(Self.txt("_ua-auto-config", "v=UAAC1; a=sha256; d=abc")))
    #expect(!share.owns(Self.txt("other._domainkey", "v=DKIM1; p=x")))
    #expect(!share.owns(Self.txt("@", "v=spf1 mx -all", group: "product")))
    var www = SpaceshipRecord(type: "A", name: "www", ttl: 3600)
    www.address = "198.51.100.1"
    #expect(!share.owns(www))
  }

  /// The shipped inventory leaves DKIM, TLSA and ua-auto-config to
  /// Stalwart (`stalwart.publish_records`): those live records are never
  /// tailwart's, even at names and types tailwart also writes.
  @Test func kindsStalwartPublishesAreForeign() throws {
    let share = try Self.share(try F.shippedInventory())
    #expect(!share.owns(Self.txt("202606e._domainkey", "v=DKIM1; k=ed25519; h=sha256; p=abc")))
    var cname = SpaceshipRecord(type: "CNAME", name: "ua-auto-config", ttl: 3600)
    cname.cname = "mail.example.com"
    #expect(!share.owns(cname))
    #expect(share.owns(Self.txt("@", "v=spf1 a -all")))
    #expect(!share.items.contains { $0.name.hasSuffix("._domainkey") || $0.name == "ua-auto-config" })
  }

  @Test func dkimIsTailwartsOnlyWhenTheInventoryPublishesIt() throws {
    let noDKIM = try F.edit(
      ExampleInventory.text,
      "  dkim:\n    - selector: 202606e\n      algorithm: ed25519\n      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n",
      "")
    #expect(!(try Self.share(noDKIM)).owns(Self.txt("202606e._domainkey", "v=DKIM1; k=ed25519; p=old")))
  }

  @Test func aChangedValueIsACreateAndADelete() throws {
    let share = try Self.share(ExampleInventory.text)
    var live = Self.live(share)
    let index = try #require(live.firstIndex { $0.name == "_mta-sts" })
    live[index].value = "v=STSv1; id=20250101"
    let plan = DNSPlan(share: share, live: live)
    #expect(plan.delete.map(\.value) == ["v=STSv1; id=20250101"])
    #expect(plan.create.map(\.value) == ["v=STSv1; id=20260611"])
  }

  @Test func aTTLChangeIsAnUpdateNotADelete() throws {
    let share = try Self.share(ExampleInventory.text)
    var live = Self.live(share)
    live[0].ttl = 300
    let plan = DNSPlan(share: share, live: live)
    #expect(plan.delete.isEmpty && plan.create.isEmpty)
    #expect(plan.update.count == 1 && plan.update[0].ttl == 3600)
    #expect(plan.summary.hasSuffix(", 1 TTL change"))
  }

  @Test func namesAndAddressesCompareNormalised() throws {
    let share = try Self.share(ExampleInventory.text)
    let live = Self.live(share).map { item -> SpaceshipRecord in
      var item = item
      if item.type == "CNAME" { item.cname = item.cname!.uppercased() + "." }
      if item.type == "AAAA" { item.address = "2001:0db8:0000::20" }
      return item
    }
    #expect(!DNSPlan(share: share, live: live).hasChanges)
  }

  @Test func theJSONPlanHoldsSpaceshipItems() throws {
    let share = try Self.share(try F.shippedInventory())
    let live = try DNSSnapshot.read(path: SpaceshipStandIn.fixture("snapshot-drift.json").path)
    let json = try DNSPlan(share: share, live: live).json()
    struct Body: Decodable {
      var create, delete, unchanged, foreign: [SpaceshipRecord]
    }
    let body = try JSONDecoder().decode(Body.self, from: Data(json.utf8))
    #expect(body.delete.count == 1 && body.foreign.count == 2 && body.create.count == 2)
    #expect(body.create.allSatisfy { $0.problems(zone: share.zone).isEmpty })
  }

  @Test func aPartialListingIsRefused() throws {
    let data = try Data(contentsOf: DNSACLFixtures.testData("spaceship/get_records.json"))
    #expect(throws: DNSSnapshot.Problem.self) { try DNSSnapshot.decode(data, file: "get_records.json") }
    do {
      _ = try DNSSnapshot.decode(Data("{\"items\": [}".utf8), file: "bad.json")
      Issue.record("accepted bad JSON")
    } catch {
      #expect(error.description.hasPrefix("bad.json: not JSON"))
    }
  }
}
