import Foundation

/// Runs the built `tailwart` binary the way an operator or a git hook would.
struct TailwartProcess {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The package root (two folders above this file's folder).
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  struct Missing: Error, CustomStringConvertible {
    let description: String
  }

  /// The built `tailwart`: `TAILWART_BINARY` if set, else beside the test
  /// bundle (same build folder and configuration), else `.build/debug`.
  /// `swift test` does not link executables, so `swift build` runs first (as
  /// scripts/test does); a missing binary fails the test, never skips it.
  static func binary() throws -> URL {
    var candidates: [URL] = []
    if let path = ProcessInfo.processInfo.environment["TAILWART_BINARY"] {
      candidates.append(URL(fileURLWithPath: path))
    }
    if let bundle = Bundle.main.executableURL {
      var folder = bundle.deletingLastPathComponent()
      for _ in 0..<4 {
        candidates.append(folder.appendingPathComponent("tailwart"))
        folder = folder.deletingLastPathComponent()
      }
    }
    candidates.append(packageRoot.appendingPathComponent(".build/debug/tailwart"))
    let found = candidates.first { url in
      var isFolder: ObjCBool = false
      return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && !isFolder.boolValue
        && FileManager.default.isExecutableFile(atPath: url.path)
    }
    guard let found else {
      throw Missing(description: "no tailwart binary (looked in \(candidates.map(\.path))); run `swift build` first")
    }
    return found
  }

  /// Runs tailwart with `arguments` in `directory` (default: the package).
  @discardableResult
  static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], stdin: Data? = nil
  ) throws -> Result {
    try execute(try binary(), arguments, in: directory, environment: environment, stdin: stdin)
  }

  /// Runs another program found on PATH (git, sh) the same way.
  @discardableResult
  static func shell(_ command: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
    try execute(URL(fileURLWithPath: "/usr/bin/env"), command, in: directory, environment: environment, stdin: nil)
  }

  private static func execute(
    _ executable: URL, _ arguments: [String], in directory: URL?, environment: [String: String], stdin: Data?
  ) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? packageRoot
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    // Output goes to files, not pipes: nothing can block however much the
    // child prints.
    let scratch = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    defer {
      try? out.close()
      try? err.close()
    }
    process.standardOutput = out
    process.standardError = err
    // Input from a file, never a pipe: a child that exits early must not
    // kill the test process with SIGPIPE.
    let inputURL = scratch.appendingPathComponent("stdin")
    try (stdin ?? Data()).write(to: inputURL)
    process.standardInput = try FileHandle(forReadingFrom: inputURL)
    try process.run()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }

  /// A fresh temporary folder, removed by the caller.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tailwart-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Every file below `directory` with its bytes and modification time: a
  /// snapshot to prove that nothing was written.
  static func snapshot(_ directory: URL) throws -> [String: (Data, Date)] {
    var out: [String: (Data, Date)] = [:]
    let keys: [URLResourceKey] = [.isRegularFileKey, .contentModificationDateKey]
    guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: keys) else { return out }
    for case let url as URL in walker {
      let values = try url.resourceValues(forKeys: Set(keys))
      guard values.isRegularFile == true else { continue }
      out[url.path] = (try Data(contentsOf: url), values.contentModificationDate ?? .distantPast)
    }
    return out
  }
}
