import Foundation
import Testing

/// Every kind of bad inventory, given to `tailwart render` in a folder that
/// already holds a rendered deployment: exit 1, a positioned error naming the
/// file, and not one byte or modification time changed.
@Suite(.serialized)
struct BadInputRenderTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    /// Builds the bad bytes from the shipped inventory's text.
    let make: @Sendable (String) -> Data
    /// What stderr must contain, `LINE` standing for the line found by `line`.
    let message: String
    /// A substring of the line the error points at (nil: no position).
    let line: String?
    var testDescription: String { name }
  }

  static func replacing(_ find: String, _ replace: String) -> @Sendable (String) -> Data {
    { text in Data(text.replacingOccurrences(of: find, with: replace).utf8) }
  }

  static let cases: [Case] = [
    Case(name: "syntax error", make: replacing("  port: 5432", "  port: [5432"), message: "YAML syntax error", line: "relay:"),
    Case(name: "duplicate key", make: replacing("  port: 5432", "  port: 5432\n  port: 5433"), message: "duplicate key \"port\"", line: "  port: 5433"),
    Case(name: "unknown key", make: replacing("  ttl: 3600", "  tll: 3600"), message: "did you mean \"ttl\"?", line: "  tll: 3600"),
    Case(name: "wrong type", make: replacing("  forward: [25, 465, 587, 993]", "  forward: 25"), message: "edge.forward must be a list", line: "  forward: 25"),
    Case(name: "port out of range", make: replacing("  port: 5432", "  port: 70000"), message: "must be a port number from 1 to 65535", line: "  port: 70000"),
    Case(name: "bad address", make: replacing("  public_ipv4: 203.0.113.10", "  public_ipv4: 203.0.113.300"), message: "must be a public IPv4 address", line: "  public_ipv4: 203.0.113.300"),
    Case(name: "missing field", make: replacing("  hostname: mail.example.com", ""), message: "missing required key \"stalwart.hostname\"", line: nil),
    Case(name: "non-core tag", make: replacing("  port: 5432", "  port: !!binary 5432"), message: "YAML tag !!binary is not allowed", line: "  port: !!binary 5432"),
    Case(
      name: "alias bomb",
      make: { _ in
        var text = "a0: &a0 [lol]\n"
        for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        return Data(text.utf8)
      }, message: "expands through aliases to more than 100000 nodes", line: nil),
    Case(name: "deep nesting", make: { _ in Data(("x: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8) }, message: "deeper than 64 levels", line: nil),
    Case(name: "not UTF-8", make: { text in Data(text.utf8) + Data([0xC3, 0x28]) }, message: "not UTF-8 text", line: nil),
    Case(name: "empty", make: { _ in Data() }, message: "inventory is empty", line: nil),
    Case(name: "two documents", make: { text in Data((text + "---\ndomain: example.org\n").utf8) }, message: "more than one YAML document", line: "---"),
    Case(name: "oversized", make: { _ in Data(repeating: UInt8(ascii: "#"), count: 2 << 20) }, message: "larger than 1048576 bytes", line: nil),
    Case(name: "a rule's refusal", make: replacing("  host: mailbox  ", "  host: 100.79.87.80"), message: "[magicdns-not-ips]", line: "  host: 100.79.87.80"),
  ]

  @Test(arguments: cases)
  func refusedAndNothingChanged(_ c: Case) throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let shipped = try String(contentsOf: TailwartProcess.packageRoot.appendingPathComponent("inventory.yaml"), encoding: .utf8)
    let inventory = dir.appendingPathComponent("inventory.yaml")
    try shipped.write(to: inventory, atomically: true, encoding: .utf8)
    #expect(try TailwartProcess.run(["render"], in: dir).status == 0)

    let bad = c.make(shipped)
    try bad.write(to: inventory)
    let before = try TailwartProcess.snapshot(dir.appendingPathComponent("deploy"))
    #expect(!before.isEmpty)
    let r = try TailwartProcess.run(["render"], in: dir)
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.contains(c.message), "\(r.stderr)")
    if let needle = c.line {
      let text = String(decoding: bad, as: UTF8.self)
      let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(needle) }) + 1
      #expect(r.stderr.contains("inventory.yaml:\(line):"), "\(r.stderr)")
    } else {
      #expect(r.stderr.contains("inventory.yaml"), "\(r.stderr)")
    }
    let after = try TailwartProcess.snapshot(dir.appendingPathComponent("deploy"))
    #expect(before.keys.sorted() == after.keys.sorted())
    for (path, (bytes, date)) in before {
      #expect(after[path]?.0 == bytes && after[path]?.1 == date, "\(path) changed")
    }
  }
}
