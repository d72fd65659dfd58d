import ArgumentParser
import Foundation
import TailwartCore

struct InstallHookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "install-hook",
    abstract: "Install a git pre-commit hook that checks what is being committed.",
    discussion: """
      Writes the repository's pre-commit hook, which runs `tailwart pre-commit`: the staged \
      inventory must pass every rule and match the staged generated files; unstaged edits never \
      decide. An existing hook that tailwart did not write is never replaced (exit 1); add the \
      command to it instead. With the pre-commit framework, use the hook in tailwart's \
      .pre-commit-hooks.yaml instead.
      """
  )

  @Option(name: [.short, .customLong("inventory")], help: "The inventory file the hook checks.")
  var inventory: String = "inventory.yaml"

  func run() throws {
    let console = Console()
    guard FileManager.default.fileExists(atPath: inventory) else {
      throw UsageError("inventory file \(inventory) not found (use -i FILE)")
    }
    let top = try git(["rev-parse", "--show-toplevel"])
    let hook = try git(["rev-parse", "--git-path", "hooks/pre-commit"])

    let cwd = FileManager.default.currentDirectoryPath
    let absolute = URL(fileURLWithPath: inventory, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true))
      .standardizedFileURL.resolvingSymlinksInPath().path
    let root = URL(fileURLWithPath: top, isDirectory: true).standardizedFileURL.resolvingSymlinksInPath().path
    guard absolute.hasPrefix(root + "/") else {
      throw UsageError("inventory \(inventory) is outside the repository at \(top)")
    }
    let relative = String(absolute.dropFirst(root.count + 1))

    if let data = FileManager.default.contents(atPath: hook) {
      let existing = String(decoding: data, as: UTF8.self)
      if !PreCommitHook.isWrittenByTailwart(existing) {
        console.status("tailwart: error: \(hook) exists and was not written by tailwart; leaving it as it is")
        console.status("  help: add this line to it: tailwart pre-commit -i \(ShellWord.quote(relative))")
        throw ExitCode.failure
      }
    }
    let text = PreCommitHook.script(inventory: relative)
    let folder = (hook as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let temporary = folder + "/.pre-commit.tailwart-\(getpid())"
      try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
      if rename(temporary, hook) != 0 {
        let problem = String(cString: strerror(errno))
        unlink(temporary)
        throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: problem])
      }
    } catch {
      console.status("tailwart: error: cannot write \(hook): \(error.localizedDescription)")
      throw ExitCode.failure
    }
    console.status("installed \(hook): runs `tailwart pre-commit -i \(ShellWord.quote(relative))` on what each commit stages")
  }

  /// Runs git in the current folder; its first line of output.
  private func git(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw UsageError("cannot run git: \(error.localizedDescription)")
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw UsageError("not inside a git repository (git \(arguments.joined(separator: " ")) failed)")
    }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
  }
}
