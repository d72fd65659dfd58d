import Foundation
import Testing

@testable import TailwartCore

/// `tailwart explain`, run as a binary: the page of every rule, the list,
/// and the usage errors.
struct ExplainCommandTests {
  @Test func listNamesEveryRuleInCatalogOrder() throws {
    let run = try TailwartProcess.run(["explain", "--list"])
    #expect(run.status == 0, "\(run.stderr)")
    let ids = run.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
    #expect(ids == RuleCatalog.descriptions.map(\.id))
    #expect(run.stdout.contains("lesson 6"))
    #expect(run.stdout.contains("structural"))
  }

  @Test func explainsMagicDNSNotIPs() throws {
    let run = try TailwartProcess.run(["explain", "magicdns-not-ips"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.isEmpty)
    let page = run.stdout
    #expect(page.hasPrefix("magicdns-not-ips: " + MagicDNSNotIPs.description.summary + "\n"))
    #expect(page.contains("error, lesson 6"))
    #expect(page.contains("\nWhy\n") && page.contains("\nFix\n"))
    // The triggering lines, the diagnostic tailwart prints for them, the fixed lines.
    #expect(page.contains("Example that triggers it: the relay written as the mailbox node's tailnet address"))
    #expect(page.contains("    host: 100.79.87.80\n"))
    #expect(page.contains("error: [magicdns-not-ips] relay host 100.79.87.80 is a tailnet address"))
    #expect(page.contains("help: use the MagicDNS name mailbox.tail7b1641.ts.net"))
    #expect(page.contains("see: https://lessons.tail7b1641.ts.net/rules/magicdns-not-ips.html (lesson 6)"))
    let fixed = try #require(page.range(of: "Fixed:\n"))
    #expect(page[fixed.upperBound...].hasPrefix("  relay:\n    host: mailbox\n"))
    // The why and the fix are wrapped for an 80-column terminal.
    let why = try #require(page.range(of: "\nWhy\n"))
    let prose = page[why.upperBound...].components(separatedBy: "\n\n")[0].split(separator: "\n")
    #expect(prose.count > 2)
    #expect(prose.allSatisfy { $0.count <= 80 && $0.hasPrefix("  ") }, "\(prose)")
  }

  @Test(arguments: RuleCatalog.descriptions.map(\.id))
  func explainsEveryRule(_ id: String) throws {
    let run = try TailwartProcess.run(["explain", id])
    #expect(run.status == 0, "\(run.stderr)")
    let rule = try #require(RuleCatalog.rule(id: id)).description
    #expect(run.stdout == RuleDocumentation(rule).text())
    #expect(["error", "warning", "note"].contains { run.stdout.contains("\($0): [\(id)]") })
  }

  @Test func unknownRuleIsAUsageErrorWithASuggestion() throws {
    let run = try TailwartProcess.run(["explain", "magicdns-not-ip"])
    #expect(run.status == 2)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("unknown rule \"magicdns-not-ip\""))
    #expect(run.stderr.contains("did you mean \"magicdns-not-ips\"?"))
    #expect(run.stderr.split(separator: "\n").count == 1)
  }

  @Test func partialIdSuggestsTheRulesContainingIt() throws {
    let run = try TailwartProcess.run(["explain", "relay"])
    #expect(run.status == 2)
    #expect(run.stderr.contains("\"relay-needs-reachable-family\"") && run.stderr.contains("\"relay-over-tailnet\""))
  }

  @Test func explainNeedsAnIdOrList() throws {
    #expect(try TailwartProcess.run(["explain"]).status == 2)
    #expect(try TailwartProcess.run(["explain", "--list", "magicdns-not-ips"]).status == 2)
  }
}
