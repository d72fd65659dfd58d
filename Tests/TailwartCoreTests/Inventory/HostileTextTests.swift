import Testing

@testable import TailwartCore

/// Text that would shift positions, hide content or drive a terminal:
/// every refusal carries file:line:column at the right place, and nothing
/// printed holds a control or bidirectional character from the input.
struct HostileTextTests {
  static func refusal(_ text: String) throws -> Finding {
    let error = #expect(throws: FindingsError.self) { _ = try Inventory.load(bytes: Array(text.utf8), file: "i.yaml") }
    return try #require(error?.findings.first)
  }

  /// libyaml ends a line at U+0085, U+2028 and U+2029: text after one in a
  /// comment would become a live key. Each is refused where it stands.
  @Test(arguments: ["\u{85}", "\u{2028}", "\u{2029}"])
  func unicodeLineBreaksAreRefusedWithTheirPosition(_ separator: String) throws {
    let text = "# note" + separator + "domain: evil.example\n" + ExampleInventory.text
    let finding = try Self.refusal(text)
    #expect(finding.message.contains("which YAML reads as a line break"), "\(finding.message)")
    #expect(finding.span?.start == SourceLocation(line: 1, column: 7))
  }

  @Test func controlCharactersAreRefusedWhereTheyStand() throws {
    let text = ExampleInventory.text.replacingOccurrences(of: "output: deploy", with: "output: de\u{1B}]0;x\u{7}ploy")
    let finding = try Self.refusal(text)
    #expect(finding.message.contains("U+001B"))
    #expect(finding.span?.start == SourceLocation(line: 5, column: 11))
  }

  @Test func nestingAndNodeLimitsArePositioned() throws {
    let deep = try Self.refusal("x: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100))
    #expect(deep.message.contains("deeper than 64"))
    #expect(deep.span?.start == SourceLocation(line: 1, column: 67))

    // A plain long file: the message names the node count, not aliases.
    var plain = "items:\n"
    for i in 0..<40_000 { plain += "  - {a: \(i), b: \(i)}\n" }
    let big = try Self.refusal(plain)
    #expect(big.message.contains("has more than 100000 nodes"), "\(big.message)")
    #expect(!big.message.contains("alias"))
    #expect(big.span != nil)

    var bomb = "a0: &a0 [lol]\n"
    for i in 1...9 { bomb += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
    let expanded = try Self.refusal(bomb)
    #expect(expanded.message.contains("through aliases"))
    #expect(expanded.span != nil)
  }

  /// A file saved with bare CR line ends is quoted line by line.
  @Test func crOnlyFilesAreQuoted() throws {
    let text = "domain: example.com\rtailnet: [\r"
    let finding = try Self.refusal(text)
    let printed = DiagnosticPrinter(sources: ["i.yaml": text]).format(finding)
    #expect(printed.contains("| tailnet: [\n"), "\(printed)")
    #expect(finding.span?.start.line == 2)
  }

  /// Escape sequences and bidirectional overrides inside a key reach no
  /// message, note or help, in text or JSON.
  @Test func everyMessageIsCleaned() throws {
    // (An escape character in the file is refused before; the file name
    // can still carry one.)
    let key = "\u{202E}drowssap\u{202C}\u{2066}x\u{2069}"
    let text = "'\(key)': 1\n" + ExampleInventory.text
    let error = #expect(throws: FindingsError.self) { _ = try Inventory.load(bytes: Array(text.utf8), file: "i\u{1B}[31m.yaml") }
    let findings = try #require(error?.findings)
    #expect(findings.contains { $0.message.contains("unknown key") })
    let printed = DiagnosticPrinter(sources: ["i\u{1B}[31m.yaml": text]).format(findings)
      + FindingsJSON.encode(findings, siteURL: nil)
    for bad in ["\u{202E}", "\u{202C}", "\u{1B}"] { #expect(!printed.contains(bad)) }
  }

  @Test func longLinesAreCutAroundTheColumn() throws {
    let line = "tailnet: " + String(repeating: "a", count: 5_000) + "X" + String(repeating: "b", count: 5_000)
    let finding = Finding(.error, file: "f", at: SourceSpan(line: 1, column: 5_010), "here")
    let printed = DiagnosticPrinter(sources: ["f": line]).format(finding)
    #expect(printed.count < 400, "\(printed.count)")
    let lines = printed.split(separator: "\n")
    let quoted = Array(lines[1].unicodeScalars)
    let caret = Array(lines[2].unicodeScalars)
    let at = try #require(caret.firstIndex(of: "^"))
    #expect(quoted[at] == "X")
  }

  @Test func manyFindingsAreCappedWithACount() {
    let findings = (1...500).map { Finding(.error, file: "f", at: SourceSpan(line: $0, column: 1), "bad \($0)") }
    let printed = DiagnosticPrinter().format(findings, limit: 200)
    #expect(printed.contains("bad 200") && !printed.contains("bad 201\n"))
    #expect(printed.hasSuffix("... and 300 more findings not shown (--format json lists every one)\n"))
  }
}
