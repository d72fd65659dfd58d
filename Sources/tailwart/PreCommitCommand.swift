import ArgumentParser
import Foundation
import TailwartCore

struct PreCommitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pre-commit",
    abstract: "Check what is being committed: the staged inventory against the staged generated files.",
    discussion: """
      What the git hook from `install-hook` and the pre-commit framework's hook run. Reads git's \
      index, never the working tree: the staged inventory must pass every rule, and every file it \
      renders must be staged with exactly the rendered bytes. A mismatch names the files to \
      `git add` (or says to run `tailwart render` first). Passes when the inventory is not staged \
      or git ignores the output folder. Exit 0 to let the commit go ahead, 1 to refuse it, 2 on \
      usage errors (not in a git working tree).
      """
  )

  @OptionGroup var options: InventoryOptions

  func run() throws {
    let console = Console()
    let inventory = options.inventory
    let report: StagedCheck.Report
    do {
      report = try StagedCheck.run(inventory: inventory, strict: options.strict)
    } catch {
      throw UsageError(error.description)
    }
    guard report.inventoryStaged else {
      console.status("\(inventory): not staged (nothing to check)")
      return
    }
    if report.inventoryHasUnstagedChanges {
      console.status("\(inventory): checking the staged version (the working tree's copy has unstaged changes)")
    }
    console.report(report.findings, sources: [inventory: report.source], siteURL: report.siteURL)
    if report.findings.hasErrors {
      console.status("commit refused: the staged \(inventory) does not pass tailwart check")
      throw ExitCode.failure
    }
    if report.outputIgnored {
      console.status("\(inventory) (staged): passes (\(report.outputFolder) is ignored by git, not compared)")
      return
    }
    if report.mismatches.isEmpty {
      console.status("\(inventory) (staged): passes (\(Summary.count(report.compared, "generated file")) staged and up to date)")
      return
    }
    for mismatch in report.mismatches {
      let what: String
      switch mismatch.problem {
      case .notStaged: what = "is not staged"
      case .stale: what = "is staged but out of date"
      case .editedByHand: what = "is staged with a hand edit"
      case .notWrittenByTailwart: what = "is staged but was not written by tailwart"
      }
      console.status("tailwart: error: \(mismatch.path) \(what)")
      if mismatch.problem == .editedByHand || mismatch.problem == .notWrittenByTailwart {
        console.status("  note: render replaces it; \(HandEdit.advice(for: mismatch.outputPath))")
      }
    }
    let files = report.mismatches.map { ShellWord.quote($0.path) }.joined(separator: " ")
    if report.onlyNeedsAdding {
      console.status("  help: the working tree holds the rendered files; stage them: git add \(files)")
    } else {
      console.status("  help: run `tailwart render -i \(ShellWord.quote(inventory))`, then: git add \(files)")
    }
    let count = report.mismatches.count
    console.status(
      "commit refused: \(count) generated file\(count == 1 ? "" : "s") not staged as the staged \(inventory) renders them")
    throw ExitCode.failure
  }
}
