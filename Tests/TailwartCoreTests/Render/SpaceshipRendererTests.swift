import Foundation
import Testing

@testable import TailwartCore

/// `dns/spaceship.json`: the `PUT /dns/records/{domain}` body. Decoded back
/// with the same types that read Spaceship's own fixtures, it must say
/// exactly what the record set says.
struct SpaceshipRendererTests {
  typealias F = DNSACLFixtures

  static func payload(_ text: String) throws -> Output {
    let outputs = try SpaceshipRenderer.render(try F.checked(text), context: F.context)
    try #require(outputs.count == 1 && outputs[0].path == "dns/spaceship.json")
    return outputs[0]
  }

  static func decode(_ output: Output) throws -> SpaceshipUpsert {
    try JSONDecoder().decode(SpaceshipUpsert.self, from: Data(output.bytes))
  }

  static let inventories: [String] = [
    ExampleInventory.text, (try? F.shippedInventory()) ?? "", (try? F.ipv6Edge()) ?? "", (try? F.noRelay()) ?? "",
    (try? F.rsaDKIM()) ?? "",
  ]

  @Test(arguments: 0..<inventories.count)
  func decodesBackToTheRecordSet(_ index: Int) throws {
    let text = Self.inventories[index]
    let output = try Self.payload(text)
    try SpaceshipRenderer.selfCheck(output)
    let set = try DNSRecordSet(try F.checked(text))
    let body = try Self.decode(output)
    #expect(body.force == true)
    #expect(body.items.count == set.records.count)
    for (item, record) in zip(body.items, set.records) {
      #expect(item.shapeProblem == nil, "\(item)")
      let read = try #require(item.record(in: set.zone), "\(item)")
      #expect(read.name == record.name)
      #expect(read.ttl == record.ttl.value)
      #expect(read.data == record.data)
    }
  }

  /// The item shapes FACTS.md gives for the API, key for key (plus `ttl`).
  @Test func itemShapesAreSpaceships() throws {
    let output = try Self.payload(ExampleInventory.text)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(output.bytes)) as? [String: Any])
    #expect(Set(object.keys) == ["force", "items"])
    let items = try #require(object["items"] as? [[String: Any]])
    let shapes: [String: Set<String>] = [
      "A": ["type", "name", "address", "ttl"],
      "AAAA": ["type", "name", "address", "ttl"],
      "CNAME": ["type", "name", "cname", "ttl"],
      "MX": ["type", "name", "exchange", "preference", "ttl"],
      "TXT": ["type", "name", "value", "ttl"],
      "SRV": ["type", "name", "service", "protocol", "priority", "weight", "port", "target", "ttl"],
      "CAA": ["type", "name", "flag", "tag", "value", "ttl"],
    ]
    for item in items {
      let type = try #require(item["type"] as? String)
      #expect(Set(item.keys) == shapes[type], "\(item)")
    }
    #expect(Set(items.compactMap { $0["type"] as? String }) == Set(shapes.keys))
  }

  @Test func namesAreRelativeAndTargetsHaveNoDot() throws {
    let body = try Self.decode(try Self.payload(ExampleInventory.text))
    #expect(body.items.allSatisfy { !$0.name.hasSuffix(".") && !$0.name.hasSuffix("example.com") })
    let mx = try #require(body.items.first { $0.type == "MX" })
    #expect(mx.name == "@" && mx.exchange == "mail.example.com" && mx.preference == 10)
    let cname = try #require(body.items.first { $0.type == "CNAME" && $0.name == "mta-sts" })
    #expect(cname.cname == "mail.example.com")
    let submissions = try #require(body.items.first { $0.service == "_submissions" })
    #expect(submissions.name == "@" && submissions.protocol == "_tcp" && submissions.port == 465)
    #expect(submissions.target == "mail.example.com" && submissions.priority == 0 && submissions.weight == 1)
    // A service not offered is left out: Spaceship takes no port 0 or "." target.
    #expect(!body.items.contains { $0.service == "_imap" || $0.port == 0 || $0.target == "." })
    let caa = try #require(body.items.first { $0.type == "CAA" && $0.tag == "issue" })
    #expect(
      caa.flag == 0
        && caa.value == "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234567890")
  }

  /// One item per record, the long RSA key whole (the provider splits it).
  @Test func oneItemPerRecordAndTXTWhole() throws {
    let body = try Self.decode(try Self.payload(try F.rsaDKIM()))
    let dkim = body.items.filter { $0.name == "202606r._domainkey" }
    #expect(dkim.map(\.value) == ["v=DKIM1; k=rsa; h=sha256; p=\(F.rsaKey)"])
    #expect(body.items.filter { $0.type == "A" && $0.name == "@" }.count == 1)
    #expect(body.items.filter { $0.type == "CAA" }.count == 3)
  }

  @Test func quotesAndBackslashesSurviveTheRoundTrip() throws {
    let body = try Self.decode(
      try Self.payload(try F.withExtra([#"{name: notes, type: TXT, value: "say \"hi\" \\ bye; café"}"#])))
    #expect(body.items.first { $0.name == "notes" }?.value == #"say "hi" \ bye; café"#)
  }

  @Test func keysAreSortedAndBytesStable() throws {
    let output = try Self.payload(try F.shippedInventory())
    #expect(try Self.payload(try F.shippedInventory()) == output)
    #expect(output.text.hasSuffix("}\n"))
    // Within every item the keys come in sorted order.
    var keys: [String] = []
    for line in output.text.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("{") || trimmed.hasPrefix("}") {
        #expect(keys == keys.sorted(), "\(keys)")
        keys = []
      } else if trimmed.hasPrefix("\""), let end = trimmed.dropFirst().firstIndex(of: "\"") {
        keys.append(String(trimmed[trimmed.index(after: trimmed.startIndex)..<end]))
      }
    }
  }

  @Test func ttlOutsideSpaceshipsRangeIsRefusedByCheck() throws {
    for ttl in ["30", "86400"] {
      let text = try F.edit(ExampleInventory.text, "  ttl: 3600", "  ttl: \(ttl)")
      let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
      let result = Checker.check(loaded.deployment)
      #expect(result.checked == nil)
      #expect(result.findings.map(\.ruleID) == ["dns-records-valid"])
      let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "  ttl: \(ttl)" }! + 1
      #expect(result.findings.first?.span?.start.line == line)
    }
  }

  @Test func moreThan500ItemsIsRefused() throws {
    func inventory(_ count: Int) throws -> String {
      try F.withExtra((0..<count).map { "{name: h\($0), type: A, value: 198.51.\($0 / 250).\($0 % 250 + 1)}" })
    }
    let base = try DNSRecordSet(try F.checked(ExampleInventory.text)).records.count
    let fits = try Self.payload(try inventory(SpaceshipUpsert.maxItems - base))
    #expect(try Self.decode(fits).items.count == 500)
    // One more is refused by check, before anything renders.
    let loaded = try Inventory.load(
      bytes: Array(try inventory(SpaceshipUpsert.maxItems - base + 1).utf8), file: "inventory.yaml")
    let result = Checker.check(loaded.deployment)
    #expect(result.checked == nil)
    #expect(result.findings.map(\.ruleID) == ["render-accepts"])
  }

  // MARK: Spaceship's own fixtures read with the same types

  @Test func readsTheAddRecordRequest() throws {
    let data = try Data(contentsOf: F.testData("spaceship/add_record-request.json"))
    let body = try JSONDecoder().decode(SpaceshipUpsert.self, from: data)
    #expect(body.force == nil)
    var expected = SpaceshipRecord(type: "TXT", name: "_acme-challenge", ttl: 120)
    expected.value = "ADw2sEd82DUgXcQ9hNBZThJs7zVJkR5v9JeSbAb9mZY"
    #expect(body.items == [expected])
    #expect(body.items[0].presentFields == SpaceshipRecord.fields["TXT"])
  }

  @Test func readsTheDeleteRequest() throws {
    let data = try Data(contentsOf: F.testData("spaceship/delete_record-request.json"))
    let items = try JSONDecoder().decode([SpaceshipRecord].self, from: data)
    #expect(items.count == 1 && items[0].type == "TXT" && items[0].ttl == nil)
    #expect(items[0].shapeProblem != nil, "a delete item has no ttl: not a PUT item")
  }

  @Test func readsARecordListing() throws {
    let data = try Data(contentsOf: F.testData("spaceship/get_records.json"))
    let list = try JSONDecoder().decode(SpaceshipRecordList.self, from: data)
    #expect(list.total == 100)
    #expect(list.items.map(\.group) == [SpaceshipRecord.Group(type: "custom")])
    #expect(list.items[0].type == "A" && list.items[0].name == "@" && list.items[0].ttl == 3600)
  }

  // MARK: the self-check

  @Test(arguments: [
    #"{"force": false, "items": [{"type": "A", "name": "@", "address": "192.0.2.1", "ttl": 3600}]}"#,
    #"{"items": [{"type": "A", "name": "@", "address": "192.0.2.1", "ttl": 3600}]}"#,
    #"{"force": true, "items": []}"#,
    #"{"force": true, "items": [{"type": "A", "name": "@", "ttl": 3600}]}"#,
    #"{"force": true, "items": [{"type": "A", "name": "@", "address": "192.0.2.1"}]}"#,
    #"{"force": true, "items": [{"type": "CNAME", "name": "x", "cname": "mail.example.com.", "ttl": 3600}]}"#,
    #"{"force": true, "items": [{"type": "TXT", "name": "_acme-challenge", "value": "x", "ttl": 3600}]}"#,
    #"{"force": true, "items": [{"type": "TLSA", "name": "@", "ttl": 3600}]}"#,
  ])
  func selfCheckRefuses(_ text: String) throws {
    // Written the way the renderer writes, so only the item itself is wrong.
    let body = try JSONDecoder().decode(SpaceshipUpsert.self, from: Data(text.utf8))
    let output = Output(path: SpaceshipRenderer.path, bytes: try SpaceshipRenderer.encode(body) + [0x0A])
    do {
      try SpaceshipRenderer.selfCheck(output)
      Issue.record("accepted \(text)")
    } catch let error as SelfCheckError {
      #expect(!error.problem.contains("encode back"), "\(error)")
    }
  }

  @Test func selfCheckRefusesOtherBytesForTheSameBody() throws {
    let output = try Self.payload(ExampleInventory.text)
    try SpaceshipRenderer.selfCheck(output)
    let compact = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(output.bytes)))
    #expect(throws: SelfCheckError.self) {
      try SpaceshipRenderer.selfCheck(Output(path: SpaceshipRenderer.path, bytes: Array(compact)))
    }
  }
}
