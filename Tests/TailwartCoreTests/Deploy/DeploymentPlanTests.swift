import Foundation
import Testing

@testable import TailwartCore

/// `tailwart plan`: an edit of the inventory, compared with the files a
/// previous render left in the output folder, as components and actions.
struct DeploymentPlanTests {
  typealias F = DNSACLFixtures

  /// A folder holding what `render` wrote for `deployed`, and the plan of
  /// `edited` against it.
  static func plan(deployed: String, edited: String, dns: DNSPlan? = nil) throws -> DeploymentPlan {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let before = try RenderCatalog.renderAll(try F.checked(deployed), context: F.context)
    _ = try OutputWriter.write(try OutputWriter.plan(before, folder: folder), force: false)
    let checked = try F.checked(edited)
    let after = try RenderCatalog.renderAll(checked, context: F.context)
    return DeploymentPlan(
      writePlan: try OutputWriter.plan(after, folder: folder), deployment: checked.deployment,
      inventoryArgument: "inventory.yaml", dns: dns)
  }

  static func component(_ plan: DeploymentPlan, _ id: String) throws -> DeploymentPlan.Component {
    try #require(plan.components.first { $0.id == id }, "no \(id) in \(plan.components.map(\.id))")
  }

  @Test func nothingChangedIsNoChange() throws {
    let plan = try Self.plan(deployed: ExampleInventory.text, edited: ExampleInventory.text)
    #expect(!plan.hasChanges)
    #expect(plan.components.isEmpty && plan.text.isEmpty)
  }

  /// The relay moved to another node: the files, a restart of Stalwart
  /// for its new route (lesson 12) and the tailnet policy for the new
  /// node's grant, in that order.
  @Test func editingTheRelaySaysWhatToRun() throws {
    var edited = try F.edit(ExampleInventory.text, "  mailbox:\n    tag: tag:mail", "  relay2:\n    tag: tag:mail")
    edited = try F.edit(edited, "relay:\n  host: mailbox", "relay:\n  host: relay2")
    let plan = try Self.plan(deployed: ExampleInventory.text, edited: edited)
    #expect(plan.components.map(\.id) == ["files", "stalwart-settings", "stalwart-container"])
    let settings = try Self.component(plan, "stalwart-settings")
    #expect(settings.changes.contains { $0.hasPrefix("+ ") && $0.contains("relay2.tail7b1641.ts.net") })
    #expect(settings.changes.contains { $0.hasPrefix("- ") && $0.contains("mailbox.tail7b1641.ts.net") })
    #expect(settings.actions.first?.command?.hasPrefix("stalwart-cli apply --file plan.ndjson --dry-run") == true)
    let files = try Self.component(plan, "files")
    #expect(files.changes.contains { $0.hasPrefix("stale: ") && $0.contains("docker-compose.yml") })
    #expect(files.actions.map(\.command) == ["tailwart render -i inventory.yaml"])
    let containers = try Self.component(plan, "stalwart-container")
    #expect(
      containers.changes == [
        "relay route: relay mailbox.tail7b1641.ts.net:587 → relay relay2.tail7b1641.ts.net:587"
      ])
    #expect(containers.actions.map(\.command) == ["docker compose restart stalwart"])
    #expect(containers.actions[0].reason.contains("lesson 12"))
    #expect(plan.text.contains("   run: docker compose restart stalwart\n"))
  }

  @Test func aSidecarChangeRecreatesBothContainers() throws {
    let edited = try F.edit(
      ExampleInventory.text, "  image: tailscale/tailscale:v1.90.6", "  image: tailscale/tailscale:v1.92.0")
    let containers = try Self.component(
      try Self.plan(deployed: ExampleInventory.text, edited: edited), "stalwart-container")
    #expect(containers.actions.map(\.command) == ["docker compose up -d --force-recreate ts-stalwart stalwart"])
    #expect(containers.actions[0].reason.contains("new tailnet address"))
    #expect(containers.actions[0].reason.contains("stalwart.tail7b1641.ts.net"))
  }

  @Test func aStalwartImageChangeRecreatesStalwartOnly() throws {
    let edited = try F.edit(
      ExampleInventory.text, "  image: stalwartlabs/stalwart:v0.16", "  image: stalwartlabs/stalwart:v0.16.19")
    let containers = try Self.component(
      try Self.plan(deployed: ExampleInventory.text, edited: edited), "stalwart-container")
    #expect(containers.actions.map(\.command) == ["docker compose up -d stalwart"])
  }

  @Test func anEdgeChangeReloadsCaddyAndAppliesThePolicy() throws {
    var edited = try F.edit(
      ExampleInventory.text, "  forward: [25, 465, 587, 993]", "  forward: [25, 465, 587, 993, 995]")
    edited = try F.edit(
      edited, "    imaps: {port: 993, proxy_protocol: true}",
      "    imaps: {port: 993, proxy_protocol: true}\n    pop3s: {port: 995, proxy_protocol: true}")
    edited = try F.edit(edited, "tcp:993, tcp:443]", "tcp:993, tcp:443, tcp:995]")
    let plan = try Self.plan(deployed: ExampleInventory.text, edited: edited)
    #expect(plan.components.map(\.id) == ["files", "stalwart-settings", "edge", "tailnet-policy", "dns"])
    #expect(try Self.component(plan, "edge").actions.map(\.command) == ["caddy reload --config caddy.json"])
    #expect(
      try Self.component(plan, "tailnet-policy").actions.map(\.command) == ["tailwart acl merge POLICY.hujson --write"])
    #expect(try Self.component(plan, "dns").actions.map(\.command) == ["tailwart dns push -i inventory.yaml"])
  }

  @Test func withASnapshotTheDNSPlanIsPartOfIt() throws {
    let share = DNSShare(try DNSRecordSet(try F.checked(ExampleInventory.text)))
    let live =
      DNSPlanTests.live(share).filter { $0.type != "MX" } + [DNSPlanTests.txt("@", "google-site-verification=x")]
    let plan = try Self.plan(
      deployed: ExampleInventory.text, edited: ExampleInventory.text, dns: DNSPlan(share: share, live: live))
    let dns = try Self.component(plan, "dns")
    #expect(dns.changes == ["+ create @ MX 10 mail.example.com."])
    #expect(dns.title.contains("1 to create, 0 to delete"))
    let json = try JSONSerialization.jsonObject(with: Data(try plan.json().utf8)) as? [String: Any]
    #expect(json?["changes"] as? Bool == true)
    let components = try #require(json?["components"] as? [[String: Any]])
    #expect(components.map { $0["id"] as? String } == ["dns"])
  }
}
