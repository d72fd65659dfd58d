import Foundation
import Testing

/// `tailwart acl merge` as the operator runs it: refused at the allow-all
/// grant's line with nothing written; without it, written in place once and
/// then left alone.
struct ACLCommandTests {
  static let fixture = TailwartProcess.packageRoot.appendingPathComponent(
    "Tests/TailwartCoreTests/Policy/Fixtures/full-policy.hujson")

  @Test func mergeRefusesTheAllowAllThenWritesOnce() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tailwart-acl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(
      at: TailwartProcess.packageRoot.appendingPathComponent("inventory.yaml"),
      to: folder.appendingPathComponent("inventory.yaml"))
    let policy = folder.appendingPathComponent("policy.hujson").path
    let original = try Data(contentsOf: Self.fixture)
    try original.write(to: URL(fileURLWithPath: policy))

    let refused = try TailwartProcess.run(["acl", "merge", "policy.hujson", "--write"], in: folder)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("policy.hujson:22:3: error: the allow-all grant lets"), "\(refused.stderr)")
    #expect(refused.stderr.contains("nothing written"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: policy)) == original)

    let text = String(decoding: original, as: UTF8.self)
    let without = text.split(separator: "\n", omittingEmptySubsequences: false).filter {
      !$0.contains("\"src\": [\"*\"]")
    }
    try Data(without.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: policy))

    let printed = try TailwartProcess.run(["acl", "merge", "policy.hujson"], in: folder)
    #expect(printed.status == 0, "\(printed.stderr)")
    #expect(printed.stdout.contains("// tailwart:begin grants"))

    let written = try TailwartProcess.run(["acl", "merge", "policy.hujson", "--write"], in: folder)
    #expect(written.status == 0, "\(written.stderr)")
    let merged = try Data(contentsOf: URL(fileURLWithPath: policy))
    #expect(String(decoding: merged, as: UTF8.self) == printed.stdout)

    let again = try TailwartProcess.run(["acl", "merge", "policy.hujson", "--write"], in: folder)
    #expect(again.status == 0)
    #expect(again.stderr.contains("is up to date"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: policy)) == merged)
  }
}
