import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `tailwart dns plan`, `tailwart dns push` and `tailwart plan` as an
/// operator runs them: the built binary in a folder holding an inventory,
/// the push against the local stand-in of Spaceship's API.
struct DeployCommandTests {
  static let root = TailwartProcess.packageRoot
  static let deployTests = root.appendingPathComponent("Tests/TailwartCoreTests/Deploy")
  static let drift = deployTests.appendingPathComponent("Fixtures/snapshot-drift.json").path

  /// A scratch folder with a copy of the repository's inventory.
  static func folder() throws -> URL {
    let url = try TailwartProcess.temporaryDirectory()
    try FileManager.default.copyItem(
      at: root.appendingPathComponent("inventory.yaml"), to: url.appendingPathComponent("inventory.yaml"))
    return url
  }

  @Test func dnsPlanOnTheDriftScenario() throws {
    let text = try TailwartProcess.run(["dns", "plan", "--snapshot", Self.drift])
    #expect(text.status == 0, "\(text.stderr)")
    let lines = text.stdout.split(separator: "\n").map(String.init)
    #expect(lines.filter { $0.hasPrefix("- delete") }.count == 1)
    #expect(lines.contains { $0.hasPrefix("- delete") && $0.contains("\"v=spf1 a mx ip4:198.51.100.7 -all\"") })
    #expect(lines.contains { $0.hasPrefix("+ create") && $0.contains(" MX ") })
    #expect(lines.filter { $0.hasPrefix("= foreign") }.count == 2)
    #expect(lines.last?.hasPrefix("2 to create, 1 to delete, ") == true && lines.last?.hasSuffix(" 2 foreign") == true)

    let json = try TailwartProcess.run(["dns", "plan", "--snapshot", Self.drift, "--format", "json"])
    let body = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: [[String: Any]]])
    #expect(body["delete"]?.count == 1 && body["foreign"]?.count == 2 && body["create"]?.count == 2)

    let gate = try TailwartProcess.run(["dns", "plan", "--snapshot", Self.drift, "--expect-no-changes"])
    #expect(gate.status == 1)
  }

  @Test func dnsPlanRefusesABadSnapshotClearly() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("{\"items\": [], \"total\": 3}".utf8).write(to: folder.appendingPathComponent("zone.json"))
    let result = try TailwartProcess.run(["dns", "plan", "--snapshot", "zone.json"], in: folder)
    #expect(result.status == 1)
    #expect(result.stderr.contains("zone.json: holds 0 of the zone's 3 records"))
    let missing = try TailwartProcess.run(["dns", "plan", "--snapshot", "nope.json"], in: folder)
    #expect(missing.status == 2)
  }

  @Test func dnsPushConvergesAndASecondRunSendsNothing() async throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let standIn = try StandInProcess(records: Self.drift)
    defer { standIn.stop() }
    let environment = ["SPACESHIP_API_KEY": StandInProcess.key, "SPACESHIP_API_SECRET": StandInProcess.secret]
    let arguments = ["dns", "push", "--api-url", standIn.baseURL]

    let first = try TailwartProcess.run(arguments, in: folder, environment: environment)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("- delete"), "the plan is shown before it is applied")
    #expect(first.stderr.contains("example.com now holds tailwart's records"))
    let backups = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent(".tailwart/dns-backups").path)
    #expect(backups.count == 1)
    #expect(!first.stdout.contains(StandInProcess.secret) && !first.stderr.contains(StandInProcess.secret))

    let second = try TailwartProcess.run(arguments, in: folder, environment: environment)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("up to date; nothing sent"))
    #expect(try await standIn.writes() == ["DELETE", "PUT"])

    let wrong = try TailwartProcess.run(
      arguments, in: folder, environment: ["SPACESHIP_API_KEY": "k-0123456789", "SPACESHIP_API_SECRET": "s-0123456789"])
    #expect(wrong.status == 1)
    #expect(wrong.stderr.contains("refused the API key or secret"))
    #expect(!wrong.stderr.contains("k-0123456789") && !wrong.stderr.contains("s-0123456789"))

    let unset = try TailwartProcess.run(
      arguments, in: folder, environment: ["SPACESHIP_API_KEY": "", "SPACESHIP_API_SECRET": ""])
    #expect(unset.status == 1 && unset.stderr.contains("SPACESHIP_API_KEY and SPACESHIP_API_SECRET are not set"))
  }

  @Test func planAfterEditingTheRelay() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try TailwartProcess.run(["render"], in: folder).status == 0)
    let clean = try TailwartProcess.run(["plan", "--expect-no-changes"], in: folder)
    #expect(clean.status == 0 && clean.stdout == "inventory.yaml: no changes (the deployment matches the inventory)\n")

    let url = folder.appendingPathComponent("inventory.yaml")
    var text = try String(contentsOf: url, encoding: .utf8)
    text = text.replacingOccurrences(of: "\n  mailbox: ", with: "\n  relay2:  ")
    text = text.replacingOccurrences(of: "\n  host: mailbox ", with: "\n  host: relay2  ")
    try Data(text.utf8).write(to: url)
    let plan = try TailwartProcess.run(["plan", "--expect-no-changes"], in: folder)
    #expect(plan.status == 1, "\(plan.stderr)")
    #expect(plan.stdout.contains("stale: deploy/docker-compose.yml"))
    #expect(plan.stdout.contains("run: tailwart render -i inventory.yaml"))
    #expect(
      plan.stdout.contains("relay route: relay mailbox.tail7b1641.ts.net:587 → relay relay2.tail7b1641.ts.net:587"))
    #expect(plan.stdout.contains("run: docker compose restart stalwart"))
  }
}

/// The stand-in of Spaceship's API the core tests use, run for the
/// binary's tests; stopped by `stop` and, whatever happens, when its
/// standard input closes with this process.
final class StandInProcess: @unchecked Sendable {
  static let key = "e2e-key-51c0"
  static let secret = "e2e-secret-98ab"
  let process = Process()
  let input = Pipe()
  let port: Int

  init(records: String) throws {
    let script = DeployCommandTests.deployTests.appendingPathComponent("StandIn/spaceship_standin.py")
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", script.path, "--domain", "example.com", "--records", records, "--key", Self.key, "--secret",
      Self.secret,
    ]
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
      throw TailwartProcess.Missing(description: "the Spaceship stand-in did not start (python3 installed?)")
    }
    self.port = port
  }

  var baseURL: String { "http://127.0.0.1:\(port)/api/v1" }

  /// The methods of the writes it answered, in order.
  func writes() async throws -> [String] {
    let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/_requests")!)
    let requests = try JSONDecoder().decode([String].self, from: data)
    return requests.map { String($0.split(separator: " ")[0]) }.filter { $0 == "PUT" || $0 == "DELETE" }
  }

  func stop() {
    guard process.isRunning else { return }
    try? input.fileHandleForWriting.close()
    process.terminate()
    process.waitUntilExit()
  }

  deinit { stop() }
}
