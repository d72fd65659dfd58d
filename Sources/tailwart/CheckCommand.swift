import ArgumentParser
import Foundation
import TailwartCore

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check the inventory against every rule; write nothing.",
    discussion: "Exit 0 when clean (warnings allowed), 1 on any error, 2 on usage errors. Suited to a git pre-commit hook."
  )

  @OptionGroup var options: InventoryOptions

  @Option(
    help: ArgumentHelp(
      "Output format: text diagnostics on stderr; json, sarif (SARIF 2.1.0) or github (workflow-command annotations) on stdout.",
      valueName: "text|json|sarif|github"))
  var format: OutputFormat = .text

  func run() throws {
    let console = Console(format: format)
    let loaded = try options.load(console: console)
    let result = Checker.check(loaded.deployment, strict: options.strict)
    console.report(
      result.findings, sources: [options.inventory: loaded.source], siteURL: loaded.deployment.siteURL.value)
    if result.checked == nil { throw ExitCode.failure }
    if result.findings.isEmpty && format == .text {
      console.status("\(options.inventory): no findings (\(RuleCatalog.all.count) rules)")
    }
  }
}
