import Foundation
import Testing

@testable import TailwartCore

struct NewDeploymentTests {
  @Test func prefixesAreWrittenAsIPv6Groups() {
    #expect(NewDeployment.prefix([0x3C, 0x91, 0xE2, 0x5A, 0x07]) == "fd3c:91e2:5a07")
    #expect(NewDeployment.prefix([0x05, 0x00, 0x0A, 0x00, 0x00]) == "fd05:a:0")
  }

  @Test func drawnGlobalIDsLookRandomAndAreNotTheReference() {
    var generator = SeededRandom(seed: 17)
    for _ in 0..<2000 {
      let id = NewDeployment.randomGlobalID(using: &generator)
      #expect(id.count == 5)
      let subnet = CIDR(NewDeployment.prefix(id) + ":1::/64")!
      guard case .v6(let address) = subnet.address else { Issue.record("not IPv6"); return }
      #expect(ULAGlobalID(address).notRandomReason == nil)
      #expect(!ReferenceValuesReplaced.referenceULA.contains(subnet.address))
    }
  }

  @Test func theInventoryKeepsTheReferenceShape() throws {
    let text = NewDeployment.inventory(
      NewDeployment.Values(domain: DomainName("mail-ops.org")), globalID: [1, 2, 3, 4, 5],
      date: Date(timeIntervalSince1970: 1_780_000_000))
    #expect(text.contains("  subnet: fd01:203:405:1::/64"))
    #expect(text.contains("mta_sts: {id: \"20260528\""))
    // Every key of the reference is still there: it decodes and passes check.
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    #expect(!Checker.check(loaded.deployment).findings.hasErrors)
  }
}
