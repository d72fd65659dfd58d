import Foundation
import Testing

/// Runs a real validator (docker-compose, check-jsonschema, patch…) found on
/// PATH. A tool that is not installed is a test failure, never a skip.
enum ExternalTool {
  struct Result {
    var status: Int32
    var output: String
  }

  static func run(
    _ arguments: [String], in folder: URL? = nil, environment extra: [String: String] = [:], input: [UInt8]? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    // Input comes from a file, not a pipe: a tool that exits early (or is
    // missing) must not kill the test process with SIGPIPE.
    var inputFile: URL?
    if let input {
      let url = FileManager.default.temporaryDirectory.appendingPathComponent("tailwart-stdin-\(UUID().uuidString)")
      try Data(input).write(to: url)
      inputFile = url
      process.standardInput = try FileHandle(forReadingFrom: url)
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    defer { if let inputFile { try? FileManager.default.removeItem(at: inputFile) } }
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    // env exits 127 when it cannot find the program.
    if process.terminationStatus == 127 {
      Issue.record("\(arguments[0]) is not installed (it validates generated files; install it, see the setup script)")
    }
    return Result(status: process.terminationStatus, output: text)
  }
}
