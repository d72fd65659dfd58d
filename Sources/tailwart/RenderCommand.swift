import ArgumentParser
import Foundation
import TailwartCore

struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Write every deployment file from the inventory, after a clean check.",
    discussion: """
      Checks first: on any error nothing is rendered or written (exit 1). Then renders every file \
      in memory, checks each one parses back, and writes them all or none. Unchanged files are not \
      touched; a generated file edited by hand is overwritten only with --force. With --check \
      nothing is written and the exit status is 1 when a file is missing or stale (a pre-commit \
      hook).
      """
  )

  @OptionGroup var options: InventoryOptions

  @Option(name: [.short, .customLong("output")], help: "The folder to write to (default: the inventory's `output`, relative to the inventory's folder).")
  var output: String?

  @Flag(help: "Overwrite generated files that were edited by hand since tailwart wrote them.")
  var force = false

  @Flag(help: "Write nothing; list missing or stale files with a diff and exit 1 if there are any.")
  var check = false

  func run() throws {
    let console = Console()
    let loaded = try options.load(console: console)
    let deployment = loaded.deployment
    let result = Checker.check(deployment, strict: options.strict)
    console.report(result.findings, sources: [options.inventory: loaded.source], siteURL: deployment.siteURL.value)
    guard let checked = result.checked else { throw ExitCode.failure }

    // The header names the inventory by its file name alone, so the bytes
    // do not depend on the folder tailwart was run from.
    let context = RenderContext(inventoryName: (options.inventory as NSString).lastPathComponent)
    let outputs: [Output]
    do {
      outputs = try RenderCatalog.renderAll(checked, context: context)
    } catch {
      console.failure(error, sources: [options.inventory: loaded.source], siteURL: deployment.siteURL.value)
      throw ExitCode.failure
    }

    let folder = output ?? Self.defaultFolder(inventory: options.inventory, output: deployment.output.value)
    let plan: WritePlan
    var recovered: OutputWriter.Recovery?
    do {
      // A write an earlier run left unfinished is finished first: the
      // plan then compares with whole files (--check writes nothing and
      // says so instead).
      if !check {
        recovered = try OutputWriter.recover(folder: folder)
      }
      plan = try OutputWriter.plan(
        outputs, folder: folder, command: .render, protecting: [Self.inventoryFolder(options.inventory)])
    } catch {
      console.failure(error, sources: [options.inventory: loaded.source], siteURL: deployment.siteURL.value)
      throw ExitCode.failure
    }

    if check {
      try report(plan, console: console)
      return
    }

    if !force, !plan.conflicts.isEmpty {
      for entry in plan.conflicts {
        let what = entry.state == .editedByHand ? "was edited by hand since tailwart wrote it" : "was not written by tailwart"
        console.status("tailwart: error: \(WritePlan.join(folder, entry.output.path)) \(what)")
        console.status("  help: \(HandEdit.advice(for: entry.output.path)); --force overwrites the edit")
        StandardStreams.out(entry.diff(folder: folder))
      }
      console.status("nothing written")
      throw ExitCode.failure
    }

    let report: OutputWriter.Report
    do {
      report = try OutputWriter.write(plan, force: force)
    } catch {
      console.failure(error, sources: [options.inventory: loaded.source], siteURL: deployment.siteURL.value)
      console.status("nothing written")
      throw ExitCode.failure
    }
    switch recovered ?? report.recovered {
    case .finished?: console.status("tailwart: note: finished a write to \(folder) that an earlier run left unfinished")
    case .undone?: console.status("tailwart: note: undid a write to \(folder) that an earlier run left unfinished")
    case nil: break
    }
    for path in report.written { console.status("wrote \(WritePlan.join(folder, path))") }
    for path in report.removed { console.status("removed \(WritePlan.join(folder, path)) (no longer generated)") }
    // Stalwart reads neither file from disk: say what to do with them.
    if report.written.contains(StalwartPlanRenderer.path) {
      console.status(
        "tailwart: note: Stalwart's settings changed; apply them with `stalwart-cli apply --file \(WritePlan.join(folder, StalwartPlanRenderer.path))`"
      )
    }
    if report.written.contains(EnvExampleRenderer.path) {
      console.status(
        "tailwart: note: \(WritePlan.join(folder, EnvExampleRenderer.path)) changed; give every variable it lists a value in .env on the host"
      )
    }

    let unchanged = plan.entries.count - report.written.count
    console.status(
      Summary.line(
        folder, [(report.written.count, "written"), (unchanged, "unchanged")] + Summary.unlessZero(report.removed.count, "removed"),
        total: Summary.count(plan.entries.count, "file"), keepZero: true))

    if let compose = outputs.first(where: { $0.path == "docker-compose.yml" }),
      let note = RouteChangeNeedsRestart.notice(
        previous: plan.previousBytes(at: compose.path), rendered: compose, file: WritePlan.join(folder, compose.path),
        service: deployment.stalwart.service.value,
        schema: StalwartSchemaVersion(image: deployment.stalwart.image.value))
    {
      console.report([note], sources: [note.file: compose.text], siteURL: deployment.siteURL.value)
    }
  }

  /// `--check`: every file that is missing or differs, with a diff; exit 1
  /// if there is any.
  private func report(_ plan: WritePlan, console: Console) throws {
    let changes = plan.changes
    if plan.interrupted {
      console.status("tailwart: note: an earlier write to \(plan.folder) was interrupted; the next render finishes it")
    }
    for entry in changes {
      let path = WritePlan.join(plan.folder, entry.output.path)
      switch entry.state {
      case .missing: console.status("missing: \(path)")
      case .editedByHand: console.status("edited by hand: \(path)")
      default: console.status("stale: \(path)")
      }
      StandardStreams.out(entry.diff(folder: plan.folder))
    }
    for removal in plan.removals {
      console.status("no longer generated: \(WritePlan.join(plan.folder, removal.path))")
    }
    if changes.isEmpty && plan.removals.isEmpty { return }
    let count = changes.count + plan.removals.count
    console.status("\(count) generated file\(count == 1 ? " is" : "s are") not up to date; run: tailwart render -i \(options.inventory)\(output.map { " -o \($0)" } ?? "")")
    throw ExitCode.failure
  }

  /// The folder holding the inventory: never an output folder.
  static func inventoryFolder(_ inventory: String) -> String {
    let folder = (inventory as NSString).deletingLastPathComponent
    return folder.isEmpty ? "." : folder
  }

  static func defaultFolder(inventory: String, output: String) -> String {
    let base = (inventory as NSString).deletingLastPathComponent
    return base.isEmpty ? output : (base as NSString).appendingPathComponent(output)
  }
}
