import Foundation
import Testing

/// Runs the validators the site is checked with. A missing tool is a test
/// failure, never a skip.
struct ExternalTool {
  struct Result {
    var status: Int32
    var output: String
  }

  let url: URL

  /// Finds `name` on PATH or in the venv `scripts/setup --test` makes.
  init(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    var folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    folders.append(SiteFixture.packageRoot.appendingPathComponent(".build-tools/venv/bin").path)
    let found = folders.map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    url = try #require(
      found, "\(name) is not installed (scripts/setup --test installs it)", sourceLocation: sourceLocation)
  }

  /// Runs the tool; stdout and stderr go to one file, so nothing blocks.
  func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tailwart-tool-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let log = scratch.appendingPathComponent("output")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    defer { try? handle.close() }
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, output: String(decoding: try Data(contentsOf: log), as: UTF8.self))
  }
}
