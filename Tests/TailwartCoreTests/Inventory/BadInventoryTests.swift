import Foundation
import Testing

@testable import TailwartCore

/// Every kind of bad input the loader and decoder refuse: each case asserts
/// the message and the exact position (1-based line:column).
struct BadInventoryTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let message: String
    /// nil: the finding is about the file as a whole.
    let at: TailwartCore.SourceLocation?
    var testDescription: String { name }

    /// The example inventory with `find` replaced by `replace` (exactly once).
    init(_ name: String, replacing find: String, with replace: String, message: String, at: (Int, Int)?) {
      let parts = ExampleInventory.text.components(separatedBy: find)
      precondition(parts.count == 2, "\(name): '\(find)' must occur once")
      self.init(name, text: parts[0] + replace + parts[1], message: message, at: at)
    }

    init(_ name: String, text: String, message: String, at: (Int, Int)?) {
      self.init(name, bytes: Array(text.utf8), message: message, at: at)
    }

    init(_ name: String, bytes: [UInt8], message: String, at: (Int, Int)?) {
      self.name = name
      self.bytes = bytes
      self.message = message
      self.at = at.map { TailwartCore.SourceLocation(line: $0.0, column: $0.1) }
    }
  }

  /// The line of the example inventory that starts with `prefix`.
  static func line(_ prefix: String) -> Int {
    let lines = ExampleInventory.text.split(separator: "\n", omittingEmptySubsequences: false)
    return (lines.firstIndex { $0.hasPrefix(prefix) } ?? -1) + 1
  }

  static let cases: [Case] = [
    Case(
      "syntax error", replacing: "  port: 5432", with: "  port: [5432",
      message: "YAML syntax error: did not find expected ',' or ']'", at: (line("relay:"), 6)),
    Case(
      "tab indentation", replacing: "  port: 5432", with: "\tport: 5432",
      message: "never tabs", at: (line("  port: 5432"), 1)),
    Case(
      "duplicate key", replacing: "  port: 5432", with: "  port: 5432\n  port: 5433",
      message: "duplicate key \"port\"", at: (line("  port: 5432") + 1, 3)),
    Case(
      "unknown key with suggestion", replacing: "  ttl: 3600", with: "  tll: 3600",
      message: "unknown key \"dns.tll\"", at: (line("  ttl: 3600"), 3)),
    Case(
      "string where a list belongs", replacing: "  forward: [25, 465, 587, 993]", with: "  forward: 25",
      message: "edge.forward must be a list, found the number 25", at: (line("  forward:"), 12)),
    Case(
      "port that is not a number", replacing: "  port: 5432", with: "  port: abc",
      message: "database.port must be a port number from 1 to 65535, found the string \"abc\"",
      at: (line("  port: 5432"), 9)),
    Case(
      "port out of range", replacing: "  port: 5432", with: "  port: 70000",
      message: "database.port must be a port number from 1 to 65535, found 70000", at: (line("  port: 5432"), 9)),
    Case(
      "quoted port", replacing: "  port: 5432", with: "  port: \"5432\"",
      message: "found the string \"5432\"", at: (line("  port: 5432"), 9)),
    Case(
      "malformed IPv4", replacing: "  public_ipv4: 203.0.113.10", with: "  public_ipv4: 203.0.113.300",
      message: "edge.public_ipv4 must be a public IPv4 address, found \"203.0.113.300\"",
      at: (line("  public_ipv4:"), 16)),
    Case(
      "malformed CIDR", replacing: "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]",
      with: "auto_ban_allow: [100.64.0.0/33, 203.0.113.10]",
      message: "stalwart.auto_ban_allow[0] must be an IP address or CIDR block", at: (line("  auto_ban_allow"), 20)),
    Case(
      "malformed hostname", replacing: "  hostname: mail.example.com", with: "  hostname: mail..example.com",
      message: "stalwart.hostname must be a DNS name", at: (line("  hostname:"), 13)),
    Case(
      "malformed tag", replacing: "  tag: tag:stalwart", with: "  tag: stalwart",
      message: "sidecar.tag must be a Tailscale tag", at: (line("  tag: tag:stalwart"), 8)),
    Case(
      "yes is not a boolean", replacing: "  ephemeral: true", with: "  ephemeral: yes",
      message: "sidecar.ephemeral must be true or false, found the string \"yes\"", at: (line("  ephemeral:"), 14)),
    Case(
      "missing required field", replacing: "  hostname: mail.example.com\n", with: "",
      message: "missing required key \"stalwart.hostname\"", at: (line("stalwart:") + 1, 3)),
    Case(
      "non-core tag", replacing: "  port: 5432", with: "  port: !!python/object 5432",
      message: "YAML tag !!python/object is not allowed", at: (line("  port: 5432"), 9)),
    Case(
      "merge key", replacing: "database:\n", with: "database:\n  <<: {port: 1}\n",
      message: "merge keys (<<) are not supported", at: (line("database:") + 1, 3)),
    Case(
      "second document", text: ExampleInventory.text + "---\ndomain: example.org\n",
      message: "more than one YAML document",
      at: (ExampleInventory.text.split(separator: "\n", omittingEmptySubsequences: false).count, 1)),
    Case("empty file", text: "", message: "inventory is empty", at: (1, 1)),
    Case("only comments", text: "# nothing yet\n", message: "inventory is empty", at: (1, 1)),
    Case(
      "a list instead of a mapping", text: "- domain: example.com\n",
      message: "the inventory must be a mapping, found a list", at: (1, 1)),
    Case(
      "invalid UTF-8", bytes: Array("domain: ex".utf8) + [0xFF, 0xFE] + Array("ample.com\n".utf8),
      message: "not UTF-8 text: byte 0xFF", at: (1, 11)),
    Case(
      "binary with NUL bytes", bytes: Array("domain: x\n".utf8) + [0x45, 0x4C, 0x46, 0x00, 0x01],
      message: "NUL byte", at: (2, 4)),
    Case(
      "ELF header (DEL first)", bytes: Array("domain: x\n".utf8) + [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01],
      message: "control character U+007F", at: (2, 1)),
    Case(
      "billion laughs", text: BadInventoryTests.billionLaughs,
      message: "expands through aliases to more than 100000 nodes", at: (5, 5)),
    Case(
      "deep nesting", text: "domain: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n",
      message: "nesting is deeper than 64 levels", at: (1, 72)),
    Case(
      "alias to an undefined anchor", replacing: "  port: 5432", with: "  port: *nowhere",
      message: "alias *nowhere names no anchor", at: (line("  port: 5432"), 9)),
    Case(
      "output folder that escapes upwards", replacing: "output: deploy", with: "output: ../../etc",
      message: "output must be a relative folder such as deploy, found \"../../etc\"", at: (line("output:"), 9)),
    Case(
      "absolute output folder", replacing: "output: deploy", with: "output: /etc",
      message: "output must be a relative folder", at: (line("output:"), 9)),
    Case(
      "lessons path that escapes", replacing: "lessons: site/lessons.md", with: "lessons: site/../../secret.md",
      message: "lessons must be a relative path", at: (line("lessons:"), 10)),
    Case(
      "script URL as the site", replacing: "site_url: https://lessons.tail7b1641.ts.net",
      with: "site_url: javascript:alert(1)", message: "site_url must be an http(s) URL", at: (line("site_url:"), 11)),
    Case(
      "volume that escapes", replacing: "  start_after: service_healthy",
      with: "  start_after: service_healthy\n  volumes: {config: ./../../etc, data: ./data}",
      message: "stalwart.volumes.config must be a host folder such as ./stalwart/etc", at: (line("  start_after:") + 1, 21)),
    Case(
      "complex mapping key", replacing: "  port: 5432", with: "  ? [a, b]\n  : 5432",
      message: "mapping key is a list", at: (line("  port: 5432"), 5)),
  ]

  /// Nine levels of ten aliases each: 10⁹ nodes if expanded.
  static let billionLaughs: String = {
    var text = "a0: &a0 [lol]\n"
    for i in 1...9 {
      text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    return text
  }()

  @Test(arguments: cases)
  func refused(_ c: Case) throws {
    let error = #expect(throws: FindingsError.self) {
      _ = try Inventory.load(bytes: c.bytes, file: "inventory.yaml")
    }
    let findings = try #require(error?.findings)
    let match = findings.first { $0.message.contains(c.message) }
    #expect(match != nil, "expected “\(c.message)”, got \(findings.map(\.message))")
    if let expected = c.at {
      #expect(match?.span?.start == expected, "\(findings.map { "\($0.span?.description ?? "-") \($0.message)" })")
    }
    #expect(findings.allSatisfy { $0.severity == .error && $0.file == "inventory.yaml" })
  }

  @Test func unknownKeySuggestsTheClosestKnownKey() throws {
    let text = ExampleInventory.text.replacingOccurrences(of: "  ttl: 3600", with: "  tll: 3600")
    let error = #expect(throws: FindingsError.self) { _ = try Inventory.load(bytes: Array(text.utf8), file: "i.yaml") }
    #expect(error?.findings.first?.help == "did you mean \"ttl\"?")
  }

  @Test func everyErrorIsReportedNotOnlyTheFirst() throws {
    let text = ExampleInventory.text
      .replacingOccurrences(of: "  port: 5432", with: "  port: 70000")
      .replacingOccurrences(of: "  ttl: 3600", with: "  tll: 3600")
      .replacingOccurrences(of: "  tag: tag:stalwart", with: "  tag: stalwart")
    let error = #expect(throws: FindingsError.self) { _ = try Inventory.load(bytes: Array(text.utf8), file: "i.yaml") }
    #expect(error?.findings.count == 3)
  }

  @Test func oversizedFileIsRefusedBeforeParsing() throws {
    var limits = LoadLimits()
    limits.maxBytes = 64
    let error = #expect(throws: FindingsError.self) {
      _ = try Inventory.load(bytes: Array(ExampleInventory.text.utf8), file: "i.yaml", limits: limits)
    }
    #expect(error?.findings.first?.message.contains("an inventory may be at most 64 bytes") == true)
  }

  @Test func oversizedFileOnDiskIsNotReadWhole() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-big-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("inventory.yaml").path
    try Data(repeating: UInt8(ascii: "#"), count: (1 << 20) + 10).write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: FindingsError.self) { _ = try Inventory.load(path: path) }
    #expect(error?.findings.first?.message.contains("larger than 1048576 bytes") == true)
  }

  @Test func diagnosticShowsTheLineAndACaret() throws {
    let text = ExampleInventory.text.replacingOccurrences(of: "  port: 5432", with: "  port: 70000")
    let error = #expect(throws: FindingsError.self) { _ = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml") }
    let printed = DiagnosticPrinter(sources: ["inventory.yaml": text]).format(try #require(error?.findings))
    let line = Self.line("  port: 5432")
    #expect(
      printed == """
        inventory.yaml:\(line):9: error: database.port must be a port number from 1 to 65535, found 70000
          \(line) |   port: 70000
             |         ^~~~~

        """)
  }
}
