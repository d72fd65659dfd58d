import Foundation
import Testing

@testable import TailwartCore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The local stand-in of Spaceship's API (`StandIn/spaceship_standin.py`),
/// started on 127.0.0.1 at a port of the system's choosing and stopped when
/// the test ends, failed or not: `use` stops it on every path, and the
/// script itself exits when its standard input closes, so a test process
/// that dies takes it along.
final class SpaceshipStandIn: @unchecked Sendable {
  static let folder = ExternalTool.packageRoot.appendingPathComponent("Tests/TailwartCoreTests/Deploy")
  static let script = folder.appendingPathComponent("StandIn/spaceship_standin.py")
  static func fixture(_ name: String) -> URL { folder.appendingPathComponent("Fixtures").appendingPathComponent(name) }

  static let key = "standin-key-7f3a91"
  static let secret = "standin-secret-c40e22"
  static let credentials = SpaceshipCredentials(key: key, secret: secret)

  let process = Process()
  let input = Pipe()
  let port: Int
  let seed: URL

  /// Starts the stand-in holding `records` for `domain`; `options` are the
  /// script's failure switches (`--fail PUT:1`).
  init(domain: String = "example.com", records: [SpaceshipRecord], options: [String] = []) throws {
    seed = FileManager.default.temporaryDirectory.appendingPathComponent("standin-\(UUID().uuidString).json")
    try JSONEncoder().encode(SpaceshipRecordList(items: records, total: records.count)).write(to: seed)
    let python = try ExternalTool("python3")
    let output = Pipe()
    process.executableURL = python.url
    process.arguments =
      [Self.script.path, "--domain", domain, "--records", seed.path, "--key", Self.key, "--secret", Self.secret]
      + options
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
      process.terminate()
      throw StandInError(description: "the stand-in did not start (printed \(String(decoding: line, as: UTF8.self)))")
    }
    self.port = port
  }

  struct StandInError: Error, CustomStringConvertible {
    var description: String
  }

  var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/api/v1")! }

  func client(
    domain: String = "example.com", credentials: SpaceshipCredentials = credentials, timeout: TimeInterval = 10
  )
    -> SpaceshipClient
  {
    SpaceshipClient(baseURL: baseURL, domain: domain, credentials: credentials, timeout: timeout)
  }

  func stop() {
    guard process.isRunning else { return }
    try? input.fileHandleForWriting.close()
    process.terminate()
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: seed)
  }

  deinit { stop() }

  /// Runs `body` with a started stand-in and stops it afterwards, whatever
  /// `body` does.
  static func use<T>(
    records: [SpaceshipRecord], options: [String] = [], _ body: (SpaceshipStandIn) async throws -> T
  ) async throws -> T {
    let standIn = try SpaceshipStandIn(records: records, options: options)
    defer { standIn.stop() }
    return try await body(standIn)
  }

  /// Every request the stand-in answered so far ("PUT /api/v1/…").
  func requests() async throws -> [String] {
    let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/_requests")!)
    return try JSONDecoder().decode([String].self, from: data)
  }

  /// The requests that write.
  func writes() async throws -> [String] {
    try await requests().filter { $0.hasPrefix("PUT") || $0.hasPrefix("DELETE") }
  }
}
