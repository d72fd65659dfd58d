import ArgumentParser
import TailwartCore

struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Explain a rule: what it refuses, why, an example that triggers it, and the fix.",
    discussion: "Exit 0 when the rule exists, 2 for an unknown id or a usage error."
  )

  @Argument(
    help: "The rule's id, as printed in brackets by check (e.g. magicdns-not-ips).",
    completion: .list(RuleCatalog.descriptions.map(\.id)))
  var id: String?

  @Flag(help: "List every rule with its lessons and summary.")
  var list = false

  func validate() throws {
    if list && id != nil { throw ValidationError("give either a rule id or --list, not both") }
    if !list && id == nil { throw ValidationError("missing rule id; all rules: tailwart explain --list") }
  }

  func run() throws {
    if list {
      StandardStreams.out(RuleDocumentation.list())
      return
    }
    let id = self.id ?? ""
    guard let rule = RuleCatalog.rule(id: id) else {
      let guesses = RuleCatalog.suggestions(for: id).map { "\"\($0)\"" }
      let hint = guesses.isEmpty ? "" : "; did you mean \(guesses.joined(separator: " or "))?"
      throw UsageError("unknown rule \"\(id)\"\(hint) all rules: tailwart explain --list")
    }
    StandardStreams.out(RuleDocumentation(rule.description).text())
  }
}
