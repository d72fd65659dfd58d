import Foundation
import Testing

@testable import TailwartCore

/// What the DNS, ACL and HuJSON tests share: where the package and the
/// test data from other projects live, checked deployments from inventory text, and the
/// external validators.
enum DNSACLFixtures {
  /// The package root, found from this file's path (Tests/TailwartCoreTests/Render/…).
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// A file under Tests/TailwartCoreTests/Data (its source and licence are
  /// in the README there).
  static func testData(_ path: String) -> URL {
    packageRoot.appendingPathComponent("Tests/TailwartCoreTests/Data").appendingPathComponent(path)
  }

  static let context = RenderContext(inventoryName: "inventory.yaml")

  /// The repository's own inventory.yaml.
  static func shippedInventory() throws -> String {
    try String(contentsOf: packageRoot.appendingPathComponent("inventory.yaml"), encoding: .utf8)
  }

  /// `text` with `find` (which must occur exactly once) replaced.
  static func edit(_ text: String, _ find: String, _ replace: String) throws -> String {
    let parts = text.components(separatedBy: find)
    try #require(parts.count == 2, "\(find.debugDescription) occurs \(parts.count - 1) times")
    return parts.joined(separator: replace)
  }

  /// Loads and checks `text`; the only way to a `CheckedDeployment`.
  static func checked(_ text: String) throws -> CheckedDeployment {
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    // Renderers refuse on their own too (a second line of defence behind
    // the render-accepts rule); these tests reach them past that rule.
    let result = Checker.check(
      loaded.deployment, rules: RuleCatalog.all.filter { $0.description.id != RenderAccepts.description.id })
    return try #require(result.checked, "inventory does not pass check: \(result.findings.map(\.message))")
  }

  // MARK: variants of the example inventory

  /// The edge listens on IPv6 and the mail host has an AAAA.
  static func ipv6Edge() throws -> String {
    var text = try edit(ExampleInventory.text, "    mail: [203.0.113.10]", "    mail: [203.0.113.10, 2001:db8::10]")
    text = try edit(text, "  listen_ipv6: false", "  listen_ipv6: true\n  public_ipv6: 2001:db8::10")
    // The edge's IPv6 address must never be banned either (lesson 3).
    text = try edit(
      text, "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]", "auto_ban_allow: [100.64.0.0/10, 203.0.113.10, 2001:db8::10]")
    return text
  }

  /// Stalwart delivers directly: no relay block, no relay grant.
  static func noRelay() throws -> String {
    var text = try edit(ExampleInventory.text, "relay:\n  host: mailbox\n  port: 587\n\n", "")
    text = try edit(text, "  - src: [tag:stalwart]\n    dst: [tag:mail]\n    ip: [tcp:587]\n", "")
    // Direct delivery needs a VPS that lets outbound SMTP out (lesson 10).
    text = try edit(text, "  blocks_outbound_smtp: true", "  blocks_outbound_smtp: false")
    return text
  }

  /// A 2048-bit RSA DKIM key: its TXT record is longer than 255 bytes.
  static let rsaKey =
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyBdV+akLYEcGpCifO0OCnfd85QJOUbv2qzLaKHICXx4soJo0bpfnMa7cHu2ARdmSIIoX"
    + "Gnqfl/tKEK66ewHh65t2UQevBcdAoXFyBqO0/LmUthiWbbahn9GjKHeOg3KcNjNCvPfYwa8CNo0XxS4k90bcbPL5YdhbtdEqPTepCMVmaCmtbT/I"
    + "s0WLH6cnNuwaeo87QzgtXiV1686PofPK+VpsA2W7KopJkWpfmeA8e0Gk0NaF6kqQRq5voHwwFXDpudEqGxzmhIVImO/Ie44eYhsOHKbZhx++sya6"
    + "Sj4gQmx3q5vGEEAK/kZd915xsnQGPnK8Ukrug8hD4Laf9+SuxwIDAQAB"

  static func rsaDKIM() throws -> String {
    try edit(
      ExampleInventory.text, "      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n",
      "      public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n    - selector: 202606r\n      algorithm: rsa\n"
        + "      public_key: \(rsaKey)\n")
  }

  /// Extra records appended to the example's `dns` block.
  static func withExtra(_ entries: [String]) throws -> String {
    try edit(
      ExampleInventory.text, "  caa:\n",
      "  extra:\n" + entries.map { "    - \($0)\n" }.joined() + "  caa:\n")
  }

  // MARK: external tools

  struct ToolRun {
    var status: Int32
    var output: String
  }

  /// Runs `tool` from PATH; a missing tool fails the test, never skips it.
  static func run(_ tool: String, _ arguments: [String]) throws -> ToolRun {
    let result = try ExternalTool.run([tool] + arguments)
    return ToolRun(status: result.status, output: result.output)
  }

  /// `named-checkzone` with every check made fatal, over `zone` wrapped in
  /// the SOA and NS records the provider would add.
  static func namedCheckzone(_ zone: String, origin: String) throws -> ToolRun {
    let wrapped = """
      $ORIGIN \(origin).
      $TTL 3600
      @ 3600 IN SOA ns1.\(origin). hostmaster.\(origin). 1 7200 3600 1209600 3600
      @ 3600 IN NS ns1.\(origin).
      ns1 3600 IN A 192.0.2.53

      """ + zone
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tailwart-zone-\(UUID().uuidString).db")
    try wrapped.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    return try run(
      "named-checkzone",
      [
        "-k", "fail", "-n", "fail", "-m", "fail", "-M", "fail", "-S", "fail", "-r", "fail", "-i", "full", origin,
        file.path,
      ])
  }
}
