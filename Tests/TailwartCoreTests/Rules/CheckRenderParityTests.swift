import Foundation
import Testing

@testable import TailwartCore

/// What `check` accepts, `render` renders: the model of every shipped and
/// golden inventory, mutated structurally (ports forwarded and granted,
/// grants dropped or retargeted, hundreds of extra records, TTLs, listeners,
/// the relay), seeded so a failure reproduces. Whenever check passes, every
/// renderer must accept the result.
struct CheckRenderParityTests {
  static let portPool = [25, 110, 143, 443, 465, 587, 993, 2525, 5432, 8080]

  static func bases() throws -> [Deployment] {
    var texts = [ExampleInventory.text]
    for variant in GoldenFiles.variants {
      texts.append(try String(contentsOf: variant.inventory, encoding: .utf8))
    }
    return try texts.map { try Inventory.load(bytes: Array($0.utf8), file: "inventory.yaml").deployment }
  }

  static func mutate(_ d: inout Deployment, _ random: inout SeededRandom, serial: inout Int) {
    func span() -> SourceSpan {
      serial += 1
      return SourceSpan(line: 10_000 + serial, column: 1)
    }
    func ports() -> [Int] { portPool.filter { _ in Bool.random(using: &random) } }
    switch Int.random(in: 0..<12, using: &random) {
    case 0:
      d.edge.forward = ports().map { Located(Port($0)!, at: span()) }
    case 1 where !d.grants.isEmpty:
      let i = Int.random(in: d.grants.indices, using: &random)
      d.grants[i].ip = ports().map { Located(GrantPorts("tcp:\($0)")!, at: span()) }
    case 2 where !d.grants.isEmpty:
      d.grants.remove(at: Int.random(in: d.grants.indices, using: &random))
    case 3 where !d.grants.isEmpty:
      let tags = d.nodes.map(\.tag.value.description) + [d.sidecar.tag.value.description, "*"]
      let i = Int.random(in: d.grants.indices, using: &random)
      if Bool.random(using: &random) {
        d.grants[i].src = [Located(tags.randomElement(using: &random)!, at: span())]
      } else {
        d.grants[i].dst = [Located(tags.randomElement(using: &random)!, at: span())]
      }
    case 4:
      let count = [1, 5, 60, 470, 480, 490, 520].randomElement(using: &random)!
      for _ in 0..<count {
        serial += 1
        let name = RecordName("x\(serial)", zone: d.domain.value)!
        let kind = [ExtraRecord.Kind.A, .AAAA, .TXT, .CNAME].randomElement(using: &random)!
        let value: String
        switch kind {
        case .A: value = "203.0.113.\(serial % 250 + 1)"
        case .AAAA: value = "2001:db8::\(String(serial % 65_000, radix: 16))"
        case .TXT: value = "note \(serial)"
        case .CNAME: value = "mail.\(d.domain.value)"
        }
        d.dns.extra.append(
          ExtraRecord(
            name: Located(name, at: span()), type: Located(kind, at: span()), value: Located(value, at: span()),
            ttl: Bool.random(using: &random) ? nil : Located([30, 60, 3600, 7200].randomElement(using: &random)!, at: span())))
      }
    case 5:
      d.dns.ttl = Located([30, 60, 300, 3600, 86_400].randomElement(using: &random)!, at: span())
    case 6 where !d.stalwart.listeners.isEmpty:
      d.stalwart.listeners.remove(at: Int.random(in: d.stalwart.listeners.indices, using: &random))
    case 7:
      d.relay = nil
    case 8:
      d.database.port = Located(Port(portPool.randomElement(using: &random)!)!, at: span())
    case 9:
      d.edge.passthrough = []
    case 10 where d.nodes.count >= 2:
      let (i, j) = (Int.random(in: d.nodes.indices, using: &random), Int.random(in: d.nodes.indices, using: &random))
      let tag = d.nodes[i].tag
      d.nodes[i].tag = d.nodes[j].tag
      d.nodes[j].tag = tag
    default:
      d.edge.publicIPv6 = nil
      d.network.ipv6 = Located(Bool.random(using: &random), at: span())
    }
  }

  @Test func renderNeverRefusesWhatCheckAccepted() throws {
    let bases = try Self.bases()
    var random = SeededRandom(seed: 20_261_205)
    var serial = 0
    var accepted = 0
    let cases = 500
    for n in 0..<cases {
      var d = bases[n % bases.count]
      for _ in 0..<Int.random(in: 1...3, using: &random) { Self.mutate(&d, &random, serial: &serial) }
      guard let checked = Checker.check(d).checked else { continue }
      accepted += 1
      do {
        _ = try RenderCatalog.renderAll(checked, context: RenderContext(inventoryName: "inventory.yaml"))
      } catch let error as FindingsError {
        Issue.record("case \(n): check passed, render refused: \(error.findings.map(\.message))")
      } catch {
        Issue.record("case \(n): check passed, render failed: \(error)")
      }
    }
    // The mutations must leave enough inventories passing for the test to
    // mean something.
    #expect(accepted >= cases / 10, "only \(accepted) of \(cases) mutated deployments passed check")
  }

  /// The two refusals found first, each now a positioned check finding.
  @Test func knownRefusalsAreCheckFindings() throws {
    var subset = try Self.bases()[0]
    subset.edge.forward.removeAll { $0.value.number == 587 }
    let forward = Checker.check(subset).findings.filter { $0.ruleID == "render-accepts" }
    #expect(forward.count == 1 && forward[0].span != nil, "\(forward.map(\.message))")

    var many = try Self.bases()[0]
    for i in 0..<520 {
      many.dns.extra.append(
        ExtraRecord(
          name: Located(RecordName("h\(i)", zone: many.domain.value)!, at: SourceSpan(line: 500 + i, column: 7)),
          type: Located(.TXT, at: SourceSpan(line: 500 + i, column: 20)),
          value: Located("record \(i)", at: SourceSpan(line: 500 + i, column: 30)), ttl: nil))
    }
    // Refused by check (spaceship-accepts-records, or render-accepts), with
    // a position.
    let count = Checker.check(many)
    #expect(count.checked == nil)
    #expect(count.findings.filter { $0.severity == .error }.allSatisfy { $0.span != nil })
  }
}
