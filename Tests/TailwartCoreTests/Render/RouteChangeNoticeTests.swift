import Testing

@testable import TailwartCore

/// route-change-needs-restart is raised by `render`, so its examples are
/// tested here: the example inventory's docker-compose.yml is on disk, the
/// edited inventory is rendered, and the note appears exactly for the
/// triggering examples, on the relay route line.
struct RouteChangeNoticeTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let example: RuleExample
    let triggers: Bool
    var testDescription: String { example.title }
  }

  static let cases: [Case] =
    RouteChangeNeedsRestart.description.triggering.map { Case(example: $0, triggers: true) }
    + RouteChangeNeedsRestart.description.nonTriggering.map { Case(example: $0, triggers: false) }

  static func compose(_ text: String) throws -> Output {
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: ExampleInventory.file)
    let checked = try #require(Checker.check(loaded.deployment).checked, "the example must pass check")
    let outputs = try ComposeRenderer.render(checked, context: RenderContext(inventoryName: "inventory.yaml"))
    return try #require(outputs.first)
  }

  @Test(arguments: cases)
  func renderNotesARouteChange(_ c: Case) throws {
    let before = try Self.compose(ExampleInventory.text)
    let text = try #require(c.example.text)
    let after = try Self.compose(text)
    let note = RouteChangeNeedsRestart.notice(
      previous: before.bytes, rendered: after, file: "deploy/docker-compose.yml", service: "stalwart")
    if c.triggers {
      let finding = try #require(note, "a changed relay route must be noted")
      #expect(finding.severity == .note)
      #expect(finding.ruleID == "route-change-needs-restart")
      #expect(finding.message.contains("apply the Stalwart plan: its last line reloads the settings"))
      #expect(finding.help?.contains("stalwart-cli apply --file deploy/stalwart/plan.ndjson") == true)
      let line = try #require(finding.span?.start.line)
      let lines = after.text.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines[line - 1].contains("# relay route: "))
      #expect(finding.help != nil)
    } else {
      #expect(note == nil, "\(note?.message ?? "")")
    }
  }

  /// Before v0.16 only a restart rebuilt the routes: that is what the note
  /// says when the release is not one whose reload is known to do it.
  @Test func anUnknownReleaseIsToldToRestart() throws {
    let before = try Self.compose(ExampleInventory.text)
    let after = try Self.compose(try #require(RouteChangeNeedsRestart.description.triggering.first?.text))
    let note = RouteChangeNeedsRestart.notice(
      previous: before.bytes, rendered: after, file: "f", service: "stalwart", schema: nil)
    #expect(note?.message.contains("restart the Stalwart container") == true)
    #expect(note?.help?.contains("docker compose restart stalwart") == true)
  }

  @Test func noNoteWithoutAPreviousFile() throws {
    let after = try Self.compose(ExampleInventory.text)
    #expect(RouteChangeNeedsRestart.notice(previous: nil, rendered: after, file: "f", service: "stalwart") == nil)
  }

  @Test func removingTheRelayIsARouteChange() throws {
    let before = try Self.compose(ExampleInventory.text)
    let text = ExampleInventory.text.replacingOccurrences(of: "relay:\n  host: mailbox\n  port: 587\n", with: "")
      .replacingOccurrences(of: "blocks_outbound_smtp: true", with: "blocks_outbound_smtp: false")
    let after = try Self.compose(text)
    let note = RouteChangeNeedsRestart.notice(previous: before.bytes, rendered: after, file: "f", service: "stalwart")
    #expect(note?.message.contains("to direct to the recipients' MX hosts") == true)
  }
}
