import Foundation
import Testing

/// stdout and stderr that cannot be written (a full device, a closed
/// descriptor, a reader that went away) never make tailwart trap: the exit
/// status is the command's own, or 1 when its stdout output was lost.
@Suite(.serialized)
struct StandardStreamTests {
  /// Runs `tailwart ARGS` under sh with `redirect` applied; the status sh
  /// saw (128 + n for a signal).
  static func run(_ arguments: String, redirect: String, in folder: URL) throws -> Int32 {
    let binary = try TailwartProcess.binary().path
    try TailwartProcess.shell(["sh", "-c", "\"$0\" \(arguments) \(redirect); echo $? >status", binary], in: folder)
    let status = try String(contentsOf: folder.appendingPathComponent("status"), encoding: .utf8)
    return try #require(Int32(status.trimmingCharacters(in: .whitespacesAndNewlines)))
  }

  static func folder() throws -> URL {
    let folder = try TailwartProcess.temporaryDirectory()
    try FileManager.default.copyItem(
      at: TailwartProcess.packageRoot.appendingPathComponent("inventory.yaml"),
      to: folder.appendingPathComponent("inventory.yaml"))
    try Data("domain: [\n".utf8).write(to: folder.appendingPathComponent("bad.yaml"))
    return folder
  }

  @Test(arguments: ["2>/dev/full", "2>&-"])
  func diagnosticsToAnUnwritableStderr(_ redirect: String) throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try Self.run("check -i bad.yaml", redirect: redirect, in: folder) == 1)
    #expect(try Self.run("check -i inventory.yaml", redirect: redirect, in: folder) == 0)
    #expect(try Self.run("no-such-command", redirect: redirect, in: folder) == 2)
  }

  /// A successful render stays a success when its status lines cannot be
  /// written, and every file is there.
  @Test(arguments: ["2>/dev/full", "2>&-"])
  func renderSucceedsWithAnUnwritableStderr(_ redirect: String) throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try Self.run("render -i inventory.yaml", redirect: redirect, in: folder) == 0)
    let written = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("deploy").path)
    #expect(written.contains("docker-compose.yml"))
    // A closed stderr is not handed to a file tailwart opens.
    let compose = try String(contentsOf: folder.appendingPathComponent("deploy/docker-compose.yml"), encoding: .utf8)
    #expect(!compose.contains("wrote "))
  }

  /// JSON that cannot be written is an error (exit 1), never a trap.
  @Test(arguments: [">/dev/full", ">&-"])
  func jsonToAnUnwritableStdout(_ redirect: String) throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try Self.run("check -i inventory.yaml --format json", redirect: redirect, in: folder) == 1)
    #expect(try Self.run("check -i bad.yaml --format json", redirect: redirect, in: folder) == 1)
    #expect(try Self.run("explain --list", redirect: redirect, in: folder) == 1)
  }

  /// A reader that stops early gets no SIGPIPE death.
  @Test func readerThatGoesAway() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let binary = try TailwartProcess.binary().path
    try TailwartProcess.shell(
      ["sh", "-c", "{ sleep 0.3; \"$0\" explain --list; echo $? >status; } | true; sleep 0.1", binary], in: folder)
    let status = try String(contentsOf: folder.appendingPathComponent("status"), encoding: .utf8)
    #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
  }
}
