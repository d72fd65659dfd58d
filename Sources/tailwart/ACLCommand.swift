import ArgumentParser
import Foundation
import TailwartCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `tailwart acl`: the tailnet policy beyond the snippet.
struct ACLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "acl",
    abstract: "Work with the tailnet policy file.",
    subcommands: [Merge.self])

  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "merge",
      abstract: "Merge tailwart's tag owners, grants and tests into a whole tailnet policy file.",
      discussion: """
        Checks the inventory, then places the snippet's entries inside the policy's tagOwners, \
        grants and tests sections between `// tailwart:begin` and `// tailwart:end` comments, \
        replacing what an earlier merge placed there. Every other byte, comments included, is \
        kept. The merged policy's tests are run locally first: a policy whose own grants or ACLs \
        would make a test fail (Tailscale's default allow-all grant among them) is refused at the \
        line of that rule, and nothing is written. Prints the merged policy, or with --write \
        replaces the file (all or nothing).
        """)

    @OptionGroup var options: InventoryOptions

    @Argument(help: "The tailnet policy file (HuJSON).")
    var policy: String

    @Flag(help: "Replace the policy file in place instead of printing the result.")
    var write = false

    func run() throws {
      let console = Console()
      let loaded = try options.load(console: console)
      let result = Checker.check(loaded.deployment, strict: options.strict)
      console.report(
        result.findings, sources: [options.inventory: loaded.source], siteURL: loaded.deployment.siteURL.value)
      guard let checked = result.checked else { throw ExitCode.failure }

      guard let data = FileManager.default.contents(atPath: policy) else {
        throw UsageError("policy file \(policy) not found")
      }
      let original = [UInt8](data)
      let context = RenderContext(inventoryName: (options.inventory as NSString).lastPathComponent)
      let merged: PolicyMerge.Result
      do {
        let snippet = try ACLRenderer.render(checked, context: context)[0]
        merged = try PolicyMerge.merge(
          policy: original, file: policy, snippet: snippet.bytes, deployment: checked.deployment)
      } catch let error as FindingsError {
        console.report(error.findings, sources: [policy: String(decoding: original, as: UTF8.self)], siteURL: nil)
        console.status("nothing written")
        throw ExitCode.failure
      }
      console.report(merged.warnings, sources: [policy: String(decoding: original, as: UTF8.self)], siteURL: nil)

      guard write else {
        FileHandle.standardOutput.write(Data(merged.bytes))
        return
      }
      if merged.bytes == original {
        console.status("\(policy) is up to date")
        return
      }
      // A temporary file beside it, then rename: the policy is either the
      // old bytes or the new ones, never half of each.
      let temporary = policy + ".tailwart-\(getpid())"
      guard FileManager.default.createFile(atPath: temporary, contents: Data(merged.bytes)) else {
        console.status("tailwart: error: cannot write beside \(policy); nothing written")
        throw ExitCode.failure
      }
      if let mode = (try? FileManager.default.attributesOfItem(atPath: policy))?[.posixPermissions] {
        try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temporary)
      }
      guard rename(temporary, policy) == 0 else {
        try? FileManager.default.removeItem(atPath: temporary)
        console.status("tailwart: error: cannot replace \(policy); nothing written")
        throw ExitCode.failure
      }
      console.status("merged into \(policy)")
    }
  }
}
