import Testing

@testable import TailwartCore

/// Every rule's examples are its tests: each triggering example makes the
/// rule report exactly at its markers, each non-triggering one (and the
/// unedited example inventory) makes it report nothing. A notice reports
/// nothing from any inventory; its examples are tested where it is raised
/// (render, for route-change-needs-restart).
struct RuleExamplesTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let rule: RuleDescription
    let example: RuleExample
    let triggers: Bool
    var testDescription: String { "\(rule.id): \(example.title)" }
  }

  static let cases: [Case] = RuleCatalog.descriptions.flatMap { rule in
    rule.triggering.map { Case(rule: rule, example: $0, triggers: true) }
      + rule.nonTriggering.map { Case(rule: rule, example: $0, triggers: false) }
  }

  @Test func exampleInventoryPassesEveryRule() throws {
    let loaded = try Inventory.load(bytes: Array(ExampleInventory.text.utf8), file: ExampleInventory.file)
    let result = Checker.check(loaded.deployment)
    #expect(result.findings.isEmpty, "\(result.findings)")
  }

  @Test func everyRuleHasExamples() {
    for rule in RuleCatalog.descriptions {
      #expect(!rule.triggering.isEmpty, "\(rule.id) has no triggering example")
      #expect(!rule.summary.isEmpty && !rule.rationale.isEmpty && !rule.fix.isEmpty, "\(rule.id) lacks documentation")
    }
  }

  @Test func ruleIDsAreUniqueAndKebabCase() {
    let ids = RuleCatalog.descriptions.map(\.id)
    #expect(Set(ids).count == ids.count)
    for id in ids {
      #expect(id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(id)")
    }
  }

  @Test(arguments: cases)
  func example(_ c: Case) throws {
    let text = try #require(c.example.text, "an edit's text is not found exactly once in the example inventory")
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: ExampleInventory.file)
    let findings = Checker.check(loaded.deployment).findings
    let mine = findings.filter { $0.ruleID == c.rule.id }
    if c.rule.kind == .notice {
      #expect(mine.isEmpty, "a notice never reports from the inventory alone: \(mine.map(\.message))")
      #expect(!findings.hasErrors, "a notice's example must pass check: \(findings.map(\.message))")
    } else if c.triggers {
      let expected = c.example.expectedLocations
      #expect(!expected.isEmpty, "a triggering example needs a ↓ marker")
      #expect(mine.compactMap { $0.span?.start } == expected, "\(mine.map(\.message))")
      #expect(mine.allSatisfy { $0.help != nil }, "every finding needs a help line")
    } else {
      #expect(mine.isEmpty, "\(mine.map(\.message))")
    }
  }
}
