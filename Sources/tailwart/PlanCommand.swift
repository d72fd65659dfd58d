import ArgumentParser
import Foundation
import TailwartCore

struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show what a change to the inventory does to the deployment, and what to run, component by component.",
    discussion: """
      Renders in memory and compares with the files in the output folder (the last render, as \
      deployed): the generated files that change, Stalwart's settings, whether the Stalwart \
      containers must be restarted or recreated and why, a Caddy reload on the edge, the tailnet \
      policy to apply, and with --snapshot the DNS records a push would create and delete. \
      Writes nothing.
      """
  )

  @OptionGroup var options: InventoryOptions

  @Option(
    name: [.short, .customLong("output")],
    help: "The folder holding the deployed files (default: the inventory's `output`).")
  var output: String?

  @Option(help: "A listing of the live zone (Spaceship's GET /dns/records JSON) to plan the DNS against.")
  var snapshot: String?

  @Option(help: "text or json (each component with its changes and actions).")
  var format: PlanFormat = .text

  @Flag(help: "Exit 1 when any component would change.")
  var expectNoChanges = false

  func run() throws {
    var console = Console()
    console.format = .text
    let loaded = try options.load(console: console)
    let deployment = loaded.deployment
    let result = Checker.check(deployment, strict: options.strict)
    console.report(result.findings, sources: [options.inventory: loaded.source], siteURL: deployment.siteURL.value)
    guard let checked = result.checked else { throw ExitCode.failure }

    let context = RenderContext(inventoryName: (options.inventory as NSString).lastPathComponent)
    let folder = output ?? RenderCommand.defaultFolder(inventory: options.inventory, output: deployment.output.value)
    let writePlan: WritePlan
    var dns: DNSPlan?
    do {
      writePlan = try OutputWriter.plan(try RenderCatalog.renderAll(checked, context: context), folder: folder)
      if let snapshot {
        guard FileManager.default.fileExists(atPath: snapshot) else {
          throw UsageError("snapshot file \(snapshot) not found")
        }
        dns = DNSPlan(share: DNSShare(try DNSRecordSet(checked)), live: try DNSSnapshot.read(path: snapshot))
      }
    } catch let error as UsageError {
      throw error
    } catch let error as FindingsError {
      console.report(error.findings, sources: [options.inventory: loaded.source], siteURL: nil)
      throw ExitCode.failure
    } catch {
      console.failure(error)
      throw ExitCode.failure
    }

    let plan = DeploymentPlan(
      writePlan: writePlan, deployment: deployment, inventoryArgument: options.inventory, dns: dns)
    switch format {
    case .text:
      // The last line in the style of every command's summary.
      let n = plan.components.count
      let summary =
        plan.hasChanges
        ? Summary.line(options.inventory, [(n, n == 1 ? "component to change" : "components to change")])
        : options.inventory + ": no changes (the deployment matches the inventory)"
      StandardStreams.out(plan.text + summary + "\n")
    case .json: StandardStreams.out(try plan.json() + "\n")
    }
    if expectNoChanges && plan.hasChanges { throw ExitCode.failure }
  }
}
