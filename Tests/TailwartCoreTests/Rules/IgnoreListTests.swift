import Testing

@testable import TailwartCore

/// The inventory's `ignore:` list: one entry keeps exactly one finding,
/// printed as ignored; entries without a reason or a match are warnings
/// (errors with --strict); rules whose errors break a file cannot be ignored.
struct IgnoreListTests {
  /// The example inventory with the relay written as a tailnet address and
  /// the domain made real (so the documentation addresses warn), plus `ignore`.
  static func inventory(ignore: String) -> String {
    ExampleInventory.text
      .replacingOccurrences(of: "  host: mailbox\n", with: "  host: 100.79.87.80\n")
      .replacingOccurrences(of: "domain: example.com\n", with: "domain: mailhost.test\n") + ignore
  }

  static func check(_ text: String, strict: Bool = false) throws -> Checker.Result {
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    return Checker.check(loaded.deployment, strict: strict)
  }

  @Test func anIgnoreWithAReasonKeepsExactlyOneFinding() throws {
    let plain = try Self.check(Self.inventory(ignore: ""))
    #expect(plain.checked == nil, "the tailnet address is an error")
    let documentation = plain.findings.filter { $0.ruleID == "reference-values-replaced" }
    #expect(documentation.count > 2)
    #expect(plain.findings.allSatisfy { $0.ignored == nil })

    let result = try Self.check(
      Self.inventory(
        ignore: """
          ignore:
            - rule: magicdns-not-ips
              at: relay.host
              reason: the mailbox has no MagicDNS name until it moves
            - rule: reference-values-replaced
              at: dns.hosts.mail[0]
              reason: the edge's address is not known yet

          """))
    #expect(result.checked != nil, "the ignored error no longer stops check: \(result.findings.map(\.message))")
    #expect(result.findings.count == plain.findings.count, "every finding is still reported")
    let ignored = result.findings.filter { $0.ignored != nil }
    #expect(ignored.map(\.ruleID) == ["magicdns-not-ips", "reference-values-replaced"])
    #expect(ignored.map(\.keyPath) == ["relay.host", "dns.hosts.mail[0]"])
    #expect(ignored[0].ignored == "the mailbox has no MagicDNS name until it moves")
    #expect(ignored[0].severity == .error, "an ignored finding keeps its severity")
    #expect(
      result.findings.filter { $0.ruleID == "reference-values-replaced" && $0.ignored == nil }.count
        == documentation.count - 1)

    let text = DiagnosticPrinter(sources: ["inventory.yaml": Self.inventory(ignore: "")]).format(ignored[0])
    #expect(text.contains(": ignored error: [magicdns-not-ips] relay host 100.79.87.80"), "\(text)")
    #expect(text.contains("  ignored: the mailbox has no MagicDNS name until it moves\n"))
    #expect(GitHubAnnotations.format([ignored[0]], siteURL: nil).hasPrefix("::notice "))
    #expect(SARIFLog.encode([ignored[0]], siteURL: nil).contains("\"kind\" : \"inSource\""))
    #expect(FindingsJSON.encode([ignored[0]], siteURL: nil).contains("\"ignored\" : \"the mailbox has no MagicDNS name"))
  }

  @Test func withoutAReasonOrAMatchItIsAWarningAndWithStrictAnError() throws {
    let text = Self.inventory(
      ignore: """
        ignore:
          - rule: magicdns-not-ips
            at: relay.host
          - rule: acl-grants-initiator
            at: grants[0]
            reason: kept from an older layout

        """)
    let result = try Self.check(text)
    #expect(result.checked != nil)
    let messages = result.findings.filter { $0.ruleID == nil }.map(\.message)
    #expect(messages.contains("ignore[0] keeps an exception to magicdns-not-ips without a reason"))
    #expect(messages.contains("ignore[1] matches no finding of acl-grants-initiator at grants[0]"))
    #expect(result.findings.filter { $0.ruleID == nil }.allSatisfy { $0.severity == .warning })

    let strict = try Self.check(text, strict: true)
    #expect(strict.checked == nil)
    #expect(strict.findings.filter { $0.ruleID == nil }.allSatisfy { $0.severity == .error })
    #expect(strict.findings.first { $0.ruleID == "magicdns-not-ips" }?.ignored == "", "still ignored under --strict")
  }

  @Test(arguments: IgnoreList.unignorable.keys.sorted())
  func rulesThatBreakAFileCannotBeIgnored(_ id: String) throws {
    #expect(RuleCatalog.rule(id: id) != nil)
    let text = Self.inventory(ignore: "ignore:\n  - {rule: \(id), at: dns, reason: wanted}\n")
    let error = #expect(throws: FindingsError.self) { try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml") }
    let finding = try #require(error?.findings.first)
    #expect(finding.message.hasPrefix("\(id) cannot be ignored: "))
    #expect(finding.span?.start.line == text.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
  }

  @Test func anUnknownRuleIsAnErrorWithASuggestion() throws {
    let text = Self.inventory(ignore: "ignore:\n  - {rule: magicdns-not-ip, at: relay.host, reason: x}\n")
    let error = #expect(throws: FindingsError.self) { try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml") }
    #expect(error?.findings.first?.message == "ignore[0].rule \"magicdns-not-ip\" is not a rule id")
    #expect(error?.findings.first?.help?.hasPrefix("did you mean \"magicdns-not-ips\"?") == true)
  }

  @Test func keyPathsNameKeysValuesAndListItems() throws {
    let root = try YAMLLoader.load(Array("a:\n  b: [x, y]\n  c:\n    - d: 1\n".utf8), file: "f")
    let paths = IgnoreList.keyPaths(in: root)
    #expect(paths[SourceLocation(line: 2, column: 3)] == "a.b")
    #expect(paths[SourceLocation(line: 2, column: 10)] == "a.b[1]")
    #expect(paths[SourceLocation(line: 4, column: 7)] == "a.c[0].d")
    #expect(paths[SourceLocation(line: 4, column: 10)] == "a.c[0].d")
  }
}
