import Foundation
import Testing

@testable import TailwartCore

/// docker-compose.yml: the credential kind decides the `TS_AUTHKEY` value,
/// the inventory decides whether the node keeps state, the project has a
/// fixed name, and Stalwart restarts with its sidecar.
struct ComposeRendererTests {
  typealias F = DNSACLFixtures

  static func compose(_ text: String) throws -> String {
    let outputs = try ComposeRenderer.render(try F.checked(text), context: F.context)
    try #require(outputs.count == 1)
    try ComposeRenderer.selfCheck(outputs[0])
    return outputs[0].text
  }

  static func line(_ text: String, startingWith prefix: String) -> String? {
    text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix(prefix) }
  }

  @Test func anAuthKeyIsPassedAsItIs() throws {
    let text = try Self.compose(ExampleInventory.text)
    #expect(
      Self.line(text, startingWith: "TS_AUTHKEY:")
        == "TS_AUTHKEY: \"${TS_AUTHKEY:?set TS_AUTHKEY in .env to a tagged auth key}\"")
    #expect(!text.contains("?ephemeral="))
    let comment = text.replacingOccurrences(of: "\n      # ", with: " ")
    #expect(comment.contains("Create it in the admin console ephemeral, pre-approved and tagged tag:stalwart."))
  }

  @Test func aClientSecretCarriesTheOAuthAttributes() throws {
    var inventory = try F.edit(
      ExampleInventory.text, "  auth_key_env: TS_AUTHKEY\n",
      "  auth_key_env: TS_AUTHKEY\n  auth_key_kind: oauth-client-secret\n")
    inventory = try F.edit(inventory, "  ephemeral: true", "  ephemeral: false")
    let text = try Self.compose(inventory)
    #expect(
      Self.line(text, startingWith: "TS_AUTHKEY:")
        == "TS_AUTHKEY: \"${TS_AUTHKEY:?set TS_AUTHKEY in .env to an OAuth client secret}?ephemeral=false&preauthorized=true\""
    )
    #expect(Self.line(text, startingWith: "TS_EXTRA_ARGS:") == "TS_EXTRA_ARGS: \"--advertise-tags=tag:stalwart\"")
  }

  @Test func stateIsKeptInAVolumeUnlessTheInventorySaysNot() throws {
    let kept = try Self.compose(ExampleInventory.text)
    #expect(Self.line(kept, startingWith: "TS_STATE_DIR:") == "TS_STATE_DIR: \"/var/lib/tailscale\"")
    #expect(Self.line(kept, startingWith: "TS_AUTH_ONCE:") == "TS_AUTH_ONCE: \"true\"")
    #expect(kept.contains("\nvolumes:\n  \"ts-stalwart-state\": {}\n"))

    let stateless = try Self.compose(
      try F.edit(
        ExampleInventory.text, "  auth_key_env: TS_AUTHKEY\n", "  auth_key_env: TS_AUTHKEY\n  keep_state: false\n"))
    #expect(Self.line(stateless, startingWith: "TS_STATE_DIR:") == nil)
    #expect(Self.line(stateless, startingWith: "TS_AUTH_ONCE:") == nil)
    #expect(!stateless.contains("ts-stalwart-state"))
    #expect(stateless.contains("reusable"), "a stateless node logs in at every start: the key must be reusable")
  }

  @Test func theProjectIsNamedAndStalwartRestartsWithTheSidecar() throws {
    let text = try Self.compose(
      try F.edit(ExampleInventory.text, "output: deploy\n", "output: deploy\nproject: mail-edge\n"))
    #expect(text.contains("\nname: \"mail-edge\"\n"))
    #expect(
      text.contains(
        "    depends_on:\n      \"ts-stalwart\":\n        condition: \"service_healthy\"\n        restart: true\n"))
    // Without the key, the Stalwart service's name.
    #expect(try Self.compose(ExampleInventory.text).contains("\nname: \"stalwart\"\n"))
  }

  @Test func aBadProjectNameIsRefusedWhereItIsWritten() throws {
    let text = try F.edit(ExampleInventory.text, "output: deploy\n", "output: deploy\nproject: Mail Edge\n")
    do {
      _ = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
      Issue.record("an upper-case project name must be refused")
    } catch {
      let findings = (error as? FindingsError)?.findings ?? []
      #expect(findings.contains { $0.span?.start.line == 6 && $0.message.contains("project") }, "\(findings)")
    }
  }
}
