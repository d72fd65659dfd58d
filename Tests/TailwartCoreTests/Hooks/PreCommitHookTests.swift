import Foundation
import Testing

@testable import TailwartCore

struct PreCommitHookTests {
  @Test func theHookIsValidShellAndMarkedAsTailwarts() throws {
    let script = PreCommitHook.script(inventory: "ops/my inventory.yaml")
    #expect(PreCommitHook.isWrittenByTailwart(script))
    #expect(!PreCommitHook.isWrittenByTailwart("#!/bin/sh\nexit 0\n"))
    #expect(script.contains("exec \"$tailwart\" pre-commit -i 'ops/my inventory.yaml'\n"))
    let syntax = try ExternalTool.run(["sh", "-n"], input: Array(script.utf8))
    #expect(syntax.status == 0, "\(syntax.output)")
  }

  /// Without tailwart on PATH the hook says how to get it, and refuses.
  @Test func aMissingBinaryIsNamed() throws {
    let script = PreCommitHook.script(inventory: "inventory.yaml")
    let run = try ExternalTool.run(
      ["sh", "-s"], environment: ["TAILWART": "/nonexistent/tailwart"], input: Array(script.utf8))
    #expect(run.status == 1)
    #expect(run.output.contains("/nonexistent/tailwart not found; install it (scripts/install"), "\(run.output)")
  }

  /// The repository's .pre-commit-hooks.yaml is what the pre-commit
  /// framework accepts.
  @Test func thePreCommitManifestValidates() throws {
    let manifest = GoldenFiles.packageRoot.appendingPathComponent(".pre-commit-hooks.yaml").path
    let result = try ExternalTool.run(["pre-commit", "validate-manifest", manifest])
    #expect(result.status == 0, "\(result.output)")
  }
}
