import Foundation
import Testing

@testable import TailwartCore

struct PreCommitHookTests {
  @Test func theHookIsValidShellAndMarkedAsTailwarts() throws {
    let script = PreCommitHook.script(inventory: "ops/my inventory.yaml")
    #expect(PreCommitHook.isWrittenByTailwart(script))
    #expect(!PreCommitHook.isWrittenByTailwart("#!/bin/sh\nexit 0\n"))
    #expect(script.contains("check -i 'ops/my inventory.yaml'"))
    let syntax = try ExternalTool.run(["sh", "-n"], input: Array(script.utf8))
    #expect(syntax.status == 0, "\(syntax.output)")
  }

  /// The repository's .pre-commit-hooks.yaml is what the pre-commit
  /// framework accepts.
  @Test func thePreCommitManifestValidates() throws {
    let manifest = GoldenFiles.packageRoot.appendingPathComponent(".pre-commit-hooks.yaml").path
    let result = try ExternalTool.run(["pre-commit", "validate-manifest", manifest])
    #expect(result.status == 0, "\(result.output)")
  }
}
