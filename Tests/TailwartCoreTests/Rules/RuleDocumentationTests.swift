import Testing

@testable import TailwartCore

/// Every rule's page is complete: its example triggers it, the diagnostic
/// is the one check prints, and the excerpts are lines of the example.
struct RuleDocumentationTests {
  @Test(arguments: RuleCatalog.descriptions.map(\.id))
  func pageIsComplete(_ id: String) throws {
    let rule = try #require(RuleCatalog.rule(id: id)).description
    let doc = RuleDocumentation(rule)
    #expect(doc.examples.count == rule.triggering.count)
    let first = try #require(doc.examples.first)
    #expect(!first.findings.isEmpty && first.findings.allSatisfy { $0.ruleID == id })
    #expect(first.diagnostics.contains("[\(id)]"))
    #expect(first.diagnostics.contains("see: https://lessons.tail7b1641.ts.net/rules/\(id).html"))
    for excerpt in first.excerpts {
      #expect(ExampleInventory.text.contains(excerpt.fixed), "\(excerpt.fixed)")
      #expect(!excerpt.triggering.contains(RuleExample.marker))
    }
    let text = doc.text()
    #expect(text.hasPrefix("\(id): \(rule.summary)\n"))
    #expect(text.contains(RuleDocumentation.lessonsLabel(rule.lessons)))
    #expect(text.contains("Example that triggers it: \(first.title)"))
    #expect(text.contains("Fixed:\n"))
    #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
  }

  @Test func excerptsAreWholeLines() throws {
    let example = RuleExample(
      "partial", replacing: "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]", with: "auto_ban_allow: [↓203.0.113.10]")
    let doc = try #require(RuleDocumentation.example(example, of: AutoBanAllowsEdge.description))
    #expect(
      doc.excerpts == [
        .init(fixed: "  auto_ban_allow: [100.64.0.0/10, 203.0.113.10]", triggering: "  auto_ban_allow: [203.0.113.10]")
      ])
  }

  @Test func labelsAndList() {
    #expect(RuleDocumentation.lessonsLabel([]) == "structural")
    #expect(RuleDocumentation.lessonsLabel([6]) == "lesson 6")
    #expect(RuleDocumentation.lessonsLabel([8, 9]) == "lessons 8, 9")
    let lines = RuleDocumentation.list().split(separator: "\n")
    #expect(lines.count == RuleCatalog.all.count)
    #expect(lines.first?.hasPrefix("healthcheck-waits-for-database ") == true)
  }

  @Test func wrapsAtWidth() {
    let text = RuleDocumentation.wrap(String(repeating: "word ", count: 40), width: 30, indent: "  ")
    let lines = text.split(separator: "\n")
    #expect(lines.count > 1 && lines.allSatisfy { $0.count <= 30 && $0.hasPrefix("  ") })
  }

  @Test func suggestsNearIDs() {
    #expect(RuleCatalog.suggestions(for: "magicdns-not-ip") == ["magicdns-not-ips"])
    #expect(RuleCatalog.suggestions(for: "ula").contains("ula-subnet-valid"))
    #expect(RuleCatalog.suggestions(for: "zzzzzzzzzzzz").isEmpty)
  }
}
