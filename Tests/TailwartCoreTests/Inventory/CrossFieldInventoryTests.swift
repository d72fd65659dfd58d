import Testing

@testable import TailwartCore

/// Mistakes that span two fields, found the way a new user makes them.
struct CrossFieldInventoryTests {
  static func findings(_ text: String) -> [Finding] {
    do {
      let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
      return Checker.check(loaded.deployment).findings
    } catch {
      return error.findings
    }
  }

  static func edit(_ find: String, _ replace: String) throws -> String {
    let parts = ExampleInventory.text.components(separatedBy: find)
    try #require(parts.count == 2)
    return parts.joined(separator: replace)
  }

  /// `tag: mail` under a node: one finding, at the tag, with the fix; the
  /// relay that names the node is not reported as "not listed".
  @Test func aTagWithoutItsPrefixIsReportedOnce() throws {
    let findings = Self.findings(try Self.edit("    tag: tag:mail", "    tag: mail"))
    #expect(findings.count == 1, "\(findings.map(\.message))")
    #expect(findings.first?.span?.start == SourceLocation(line: 12, column: 10))
    #expect(findings.first?.help == "write `tag: tag:mail`")
    #expect(!findings.contains { $0.message.contains("not listed under nodes") })
  }

  @Test func theEdgeNodesTagWithoutItsPrefixIsReportedOnce() throws {
    let findings = Self.findings(try Self.edit("    tag: tag:reverse-proxy", "    tag: reverse-proxy"))
    #expect(
      findings.map(\.message) == [
        "nodes.edge.tag must be a Tailscale tag, which starts with tag:, found \"reverse-proxy\""
      ])
  }

  /// The issue's own example: a typo in the mail host name.
  @Test func aMistypedMailHostIsRefusedAtItsLine() throws {
    let findings = Self.findings(try Self.edit("  hostname: mail.example.com", "  hostname: mail.exmaple.com"))
    let mine = findings.filter { $0.ruleID == "mail-targets-have-addresses" }
    #expect(mine.count == 1)
    #expect(mine.first?.severity == .error)
    #expect(mine.first?.span?.start == SourceLocation(line: 44, column: 13))
    #expect(mine.first?.help == "write mail.example.com")
  }

  /// Removing `relay:` leaves the mailbox node and its grant: both warned.
  @Test func removingTheRelayLeavesWarningsForWhatItUsed() throws {
    let findings = Self.findings(try Self.edit("relay:\n  host: mailbox\n  port: 587\n", "")).filter {
      $0.ruleID == "unused-tailnet-entries"
    }
    #expect(findings.map(\.severity) == [.warning, .warning])
    #expect(findings.map { $0.span?.start.line } == [11, 23])
  }
}
