import Foundation

/// The built `tailwart` executable, run the way an operator runs it. Found
/// beside the test bundle (same build folder and configuration), else in
/// the package's `.build/debug`; `TAILWART_BINARY` overrides both. `swift
/// test` does not link executables, so `swift build` runs first (as
/// scripts/test does); a missing binary fails the test, never skips it.
enum Binary {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func url() throws -> URL {
    let fileManager = FileManager.default
    var candidates: [URL] = []
    if let path = ProcessInfo.processInfo.environment["TAILWART_BINARY"] {
      candidates.append(URL(fileURLWithPath: path))
    }
    if let bundle = Bundle.main.executableURL {
      // …/debug/tailwartPackageTests.xctest[/Contents/MacOS/…]: walk up to the build folder.
      var folder = bundle.deletingLastPathComponent()
      for _ in 0..<4 {
        candidates.append(folder.appendingPathComponent("tailwart"))
        folder = folder.deletingLastPathComponent()
      }
    }
    candidates.append(packageRoot.appendingPathComponent(".build/debug/tailwart"))
    guard let found = candidates.first(where: { fileManager.isExecutableFile(atPath: $0.path) && !isFolder($0) }) else {
      throw Failure(
        description: "no tailwart binary (looked in \(candidates.map(\.path))); run `swift build` before `swift test`")
    }
    return found
  }

  /// Runs the binary with `arguments` in `directory`; output is captured
  /// through files so a large output cannot fill a pipe and stall.
  static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tailwart-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)

    let process = Process()
    process.executableURL = try url()
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? packageRoot
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return Result(
      status: process.terminationStatus,
      stdout: try String(contentsOf: outURL, encoding: .utf8),
      stderr: try String(contentsOf: errURL, encoding: .utf8))
  }

  private static func isFolder(_ url: URL) -> Bool {
    var folder: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &folder) && folder.boolValue
  }
}
