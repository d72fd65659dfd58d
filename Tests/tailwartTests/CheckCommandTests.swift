import Foundation
import Testing

/// `tailwart check` as a git hook runs it: exit codes, diagnostics, JSON,
/// colour rules, and nothing written.
@Suite(.serialized)
struct CheckCommandTests {
  @Test func shippedInventoryIsClean() throws {
    let r = try TailwartProcess.run(["check"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("inventory.yaml: no findings ("), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test func findingPrintsDiagnosticHelpAndRulePage() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = try String(contentsOf: TailwartProcess.packageRoot.appendingPathComponent("inventory.yaml"), encoding: .utf8)
    let bad = text.replacingOccurrences(of: "  host: mailbox  ", with: "  host: 100.79.87.80")
    #expect(bad != text)
    try bad.write(to: dir.appendingPathComponent("inventory.yaml"), atomically: true, encoding: .utf8)
    let before = try TailwartProcess.snapshot(dir)
    let r = try TailwartProcess.run(["check"], in: dir)
    #expect(r.status == 1)
    let line = bad.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("100.79.87.80") }! + 1
    #expect(r.stderr.contains("inventory.yaml:\(line):9: error: [magicdns-not-ips] relay host 100.79.87.80 is a tailnet address"))
    #expect(r.stderr.contains("|         ^~~~~~~~~~~~"))
    #expect(r.stderr.contains("help: use the MagicDNS name mailbox.tail7b1641.ts.net"))
    #expect(r.stderr.contains("see: https://lessons.tail7b1641.ts.net/rules/magicdns-not-ips.html (lesson 6)"))
    #expect(!r.stderr.contains("\u{1B}["), "no colour with NO_COLOR or off a terminal")
    let after = try TailwartProcess.snapshot(dir)
    #expect(before.keys.sorted() == after.keys.sorted())
  }

  @Test func jsonFormatListsFindings() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = try String(contentsOf: TailwartProcess.packageRoot.appendingPathComponent("inventory.yaml"), encoding: .utf8)
    try text.replacingOccurrences(of: "  host: mailbox  ", with: "  host: 100.79.87.80")
      .write(to: dir.appendingPathComponent("inv.yaml"), atomically: true, encoding: .utf8)
    let r = try TailwartProcess.run(["check", "-i", "inv.yaml", "--format", "json"], in: dir)
    #expect(r.status == 1)
    let items = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    let first = try #require(items.first { $0["rule"] as? String == "magicdns-not-ips" })
    #expect(first["file"] as? String == "inv.yaml")
    #expect(first["severity"] as? String == "error")
    #expect((first["line"] as? Int ?? 0) > 0 && first["column"] as? Int == 9)
    #expect(first["url"] as? String == "https://lessons.tail7b1641.ts.net/rules/magicdns-not-ips.html")
  }

  @Test(arguments: [
    (["check", "--bogus"], "Unknown option '--bogus'"),
    (["check", "-i", "no-such-file.yaml"], "inventory file no-such-file.yaml not found"),
    (["frobnicate"], "Unexpected argument 'frobnicate'"),
  ])
  func usageErrorsExitTwoWithOneLine(arguments: [String], message: String) throws {
    let r = try TailwartProcess.run(arguments)
    #expect(r.status == 2)
    #expect(r.stderr.contains(message), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
  }

  @Test(arguments: [
    ("empty.yaml", Data(), "inventory is empty"),
    ("binary.yaml", Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x00, 0xFF]), "control character U+007F"),
    ("latin1.yaml", Data("domain: caf".utf8) + Data([0xE9]) + Data(".example\n".utf8), "not UTF-8 text"),
    ("dup.yaml", Data("domain: a.example\ndomain: b.example\n".utf8), "duplicate key \"domain\""),
  ])
  func badInputExitsOneAndWritesNothing(name: String, bytes: Data, message: String) throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try bytes.write(to: dir.appendingPathComponent(name))
    let before = try TailwartProcess.snapshot(dir)
    let r = try TailwartProcess.run(["check", "-i", name], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr.contains("\(name):"), "\(r.stderr)")
    #expect(r.stderr.contains(message), "\(r.stderr)")
    let after = try TailwartProcess.snapshot(dir)
    #expect(before.mapValues(\.0) == after.mapValues(\.0))
  }

  @Test func billionLaughsFailsFast() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var text = "a0: &a0 [lol]\n"
    for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
    try text.write(to: dir.appendingPathComponent("bomb.yaml"), atomically: true, encoding: .utf8)
    let r = try TailwartProcess.run(["check", "-i", "bomb.yaml"], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr.contains("expands through aliases to more than 100000 nodes"))
  }
}
