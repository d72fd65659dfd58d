import Foundation
import Testing

@testable import TailwartCore

/// The repository's own inventory.yaml, broken one lesson at a time: each
/// mutation must make `check` fail with exactly its rule, at its `↓` markers,
/// and nothing else. Then several at once, to show one run reports them all.
struct ShippedInventoryMutationTests {
  struct Mutation: CustomTestStringConvertible, Sendable {
    let rule: String
    let example: RuleExample
    var testDescription: String { "\(rule): \(example.title)" }

    init(_ rule: String, _ title: String, _ edits: [RuleExample.Edit]) {
      self.rule = rule
      example = RuleExample(title, edits)
    }
  }

  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func shipped() throws -> String {
    try String(contentsOf: packageRoot.appendingPathComponent("inventory.yaml"), encoding: .utf8)
  }

  static let mutations: [Mutation] = [
    Mutation(
      "healthcheck-waits-for-database", "the healthcheck stops probing the database",
      [.init("waits_for: [database]", "waits_for: ↓[relay]")]),
    Mutation(
      "no-secrets-in-inventory", "a password in the site's URL",
      [.init("site_url: https://lessons", "site_url: ↓https://ops:Wq7n2Lx9@lessons")]),
    Mutation(
      "auto-ban-allows-edge", "the edge's public address dropped from the allow-list",
      [.init("auto_ban_allow: [100.64.0.0/10, 203.0.113.10]", "auto_ban_allow: [↓100.64.0.0/10]")]),
    Mutation(
      "wildcard-needs-dns01", "the wildcard ordered over HTTP-01", [.init("challenge: dns-01", "challenge: ↓http-01")]),
    Mutation(
      "web-endpoints-pass-through", "tcp:443 dropped from the edge's grant",
      [
        .init("ip: [tcp:25, tcp:465, tcp:587, tcp:993, tcp:443]", "ip: [tcp:25, tcp:465, tcp:587, tcp:993]"),
        .init("passthrough: [mta-sts,", "passthrough: [↓mta-sts,"),
      ]),
    Mutation("magicdns-not-ips", "the relay by tailnet address", [.init("host: mailbox", "host: ↓100.79.87.80")]),
    Mutation(
      "relay-needs-reachable-family", "a public relay without container IPv6",
      [
        .init("  ipv6: true", "  ipv6: false"),
        .init("host: mailbox", "host: ↓smtp.example.net"),
        .init("blocks_outbound_smtp: true", "blocks_outbound_smtp: false"),
      ]),
    Mutation(
      "ula-subnet-valid", "the gateway outside the subnet",
      [.init("gateway: fd3c:91e2:5a07:1::1", "gateway: ↓fd3c:91e2:5a07:2::1")]),
    Mutation(
      "relay-over-tailnet", "a relay to a public smarthost", [.init("host: mailbox", "host: ↓smtp.example.net")]),
    Mutation(
      "acl-grants-initiator", "the sidecar's grant to the mailbox removed",
      [
        .init(
          "  - src: [tag:stalwart]           # Stalwart relays outbound mail to the mailbox\n    dst: [tag:mail]\n    ip: [tcp:587]\n",
          ""),
        .init("host: mailbox", "host: ↓mailbox"),
      ]),
    Mutation(
      "mail-targets-have-addresses", "the mail host name mistyped",
      [.init("  hostname: mail.example.com", "  hostname: ↓mail.exmaple.com")]),
    Mutation(
      "unused-tailnet-entries", "a node nothing uses", [.init("nodes:\n", "nodes:\n  ↓backup:\n    tag: tag:backup\n")]),
    Mutation(
      "policy-tests-pass", "the edge named among who may administer Stalwart",
      [.init("admin_access: [autogroup:admin]", "admin_access: ↓[autogroup:admin, tag:reverse-proxy]")]),
    Mutation(
      "mail-aaaa-needs-v6-edge", "an AAAA for the mail host",
      [.init("mail: [203.0.113.10]", "mail: [203.0.113.10, ↓2001:db8::10]")]),
    Mutation(
      "compose-network-mode", "Stalwart publishing port 25",
      [.init("  start_after: service_healthy", "  ports: [↓\"25:25\"]\n  start_after: service_healthy")]),
    Mutation(
      "edge-listeners-consistent", "a forwarded port with no listener",
      [
        .init("forward: [25, 465, 587, 993]", "forward: [25, 465, 587, 993, ↓143]"),
        .init("ip: [tcp:25, tcp:465, tcp:587, tcp:993, tcp:443]", "ip: [tcp:25, tcp:465, tcp:587, tcp:993, tcp:143, tcp:443]"),
      ]),
    Mutation(
      "proxy-trust-matches-edge", "PROXY trust on the https listener",
      [.init("https: {port: 443}", "https: {port: 443, proxy_protocol: ↓true}")]),
    Mutation(
      "dns-kinds-have-one-writer", "DKIM claimed by Stalwart and by tailwart",
      [
        .init("publish_records: [dkim, tlsa, autoConfig]", "publish_records: [↓dkim, tlsa, autoConfig]"),
        .init("  publish: [mx,", "  publish: [dkim, mx,"),
      ]),
    Mutation(
      "stalwart-version-known", "the 1.0 image", [.init("image: stalwartlabs/stalwart:v0.16", "image: ↓stalwartlabs/stalwart:v1.0")]),
    Mutation("dns-records-valid", "a TTL Spaceship refuses", [.init("ttl: 3600", "ttl: ↓86400")]),
    Mutation(
      "dkim-key-valid", "the Ed25519 key cut short",
      [
        .init("publish_records: [dkim, tlsa, autoConfig]", "publish_records: [tlsa, autoConfig]"),
        .init("  publish: [mx,", "  publish: [dkim, mx,"),
        .init(
          "\n  caa:\n",
          "\n  dkim:\n    - selector: 202606e\n      algorithm: ed25519\n      public_key: ↓c5S41gt4lMhhFaHVxOMIoPK8ZT7UoZpCyEBh3W=\n  caa:\n"),
      ]),
    Mutation("mta-sts-policy-valid", "max_age over a year", [.init("max_age: 604800}", "max_age: ↓31557601}")]),
    Mutation(
      "caa-names-account", "a staging account against the production directory",
      [.init("account_uri: https://acme-v02", "account_uri: ↓https://acme-staging-v02")]),
    Mutation(
      "render-accepts", "a mail port no longer forwarded but still granted",
      [
        .init("  forward: [25, 465, 587, 993]  ", "  forward: [25, 465, 993]       "),
        .init("  - src: [tag:reverse-proxy]", "  - ↓src: [tag:reverse-proxy]"),
      ]),
    Mutation(
      "spaceship-accepts-records", "an SPF record longer than Spaceship takes",
      [
        .init(
          "  spf: v=spf1 mx ip4:198.51.100.25 -all",
          "  spf: ↓v=spf1 mx ip4:198.51.100.25 " + String(repeating: "ip4:198.51.100.1 ", count: 130) + "-all")
      ]),
    Mutation(
      "spf-authorises-relay", "the relay's address dropped from the SPF record",
      [.init("  spf: v=spf1 mx ip4:198.51.100.25 -all", "  spf: ↓v=spf1 mx -all")]),
  ]

  @Test func shippedInventoryPassesEveryRule() throws {
    let loaded = try Inventory.load(bytes: Array(Self.shipped().utf8), file: "inventory.yaml")
    let result = Checker.check(loaded.deployment, strict: true)
    #expect(result.findings.isEmpty, "\(result.findings.map(\.message))")
  }

  @Test func everyRuleHasAMutation() {
    let covered = Set(Self.mutations.map(\.rule))
    // Notices refuse nothing; RouteChangeNoticeTests covers them. A rule
    // that only warns never makes check fail; its examples (RuleExamplesTests)
    // are its tests.
    for id in RuleCatalog.descriptions.filter({ $0.kind == .refusal && $0.severity == .error }).map(\.id) {
      #expect(covered.contains(id), "no mutation of inventory.yaml for \(id)")
    }
  }

  @Test(arguments: mutations)
  func mutation(_ m: Mutation) throws {
    let marked = try #require(
      m.example.markedText(base: Self.shipped()), "an edit is not found exactly once in inventory.yaml")
    let text = marked.filter { $0 != RuleExample.marker }
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    let result = Checker.check(loaded.deployment)
    // A rule that warns lets check pass; --strict refuses.
    if RuleCatalog.rule(id: m.rule)?.description.severity == .warning {
      #expect(Checker.check(loaded.deployment, strict: true).checked == nil, "strict check passed")
    } else {
      #expect(result.checked == nil, "check passed")
    }
    let findings = Self.withoutLeftovers(result.findings, rule: m.rule)
    #expect(
      Set(findings.map(\.ruleID)) == [m.rule], "\(findings.map { "[\($0.ruleID ?? "-")] \($0.message)" })"
    )
    #expect(findings.compactMap { $0.span?.start } == RuleExample.markerLocations(in: marked))
  }

  /// A mutation that points the relay elsewhere leaves the mailbox node and
  /// its grant unused, which `unused-tailnet-entries` rightly warns about;
  /// those warnings are not the mutated rule's.
  static func withoutLeftovers(_ findings: [Finding], rule: String) -> [Finding] {
    let leftovers = UnusedTailnetEntries.description.id
    return findings.filter { $0.ruleID == rule || $0.ruleID != leftovers }
  }

  /// Many lessons broken in one file: one run reports every one of them,
  /// each at its own line.
  @Test func oneRunReportsEveryBrokenRule() throws {
    let picked = Self.mutations.filter {
      [
        "healthcheck-waits-for-database", "auto-ban-allows-edge", "wildcard-needs-dns01", "ula-subnet-valid",
        "mail-aaaa-needs-v6-edge", "compose-network-mode", "edge-listeners-consistent", "dns-records-valid",
        "dkim-key-valid", "mta-sts-policy-valid", "caa-names-account", "relay-over-tailnet",
      ].contains($0.rule)
    }
    let combined = RuleExample("everything at once", picked.flatMap(\.example.edits))
    let marked = try #require(combined.markedText(base: Self.shipped()))
    let text = marked.filter { $0 != RuleExample.marker }
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    let result = Checker.check(loaded.deployment)
    #expect(result.checked == nil)
    let findings = result.findings.filter { $0.ruleID != UnusedTailnetEntries.description.id }
    #expect(Set(findings.compactMap(\.ruleID)) == Set(picked.map(\.rule)))
    #expect(findings.compactMap { $0.span?.start } == RuleExample.markerLocations(in: marked))
  }
}
