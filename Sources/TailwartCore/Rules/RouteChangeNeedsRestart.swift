/// Lesson 12: Stalwart builds its table of outbound routes once, when it
/// starts. Changing the relay in its settings changes nothing until the
/// container restarts. Not a refusal: the inventory alone cannot show a
/// change, so `check` reports nothing, and `render` prints a note when the
/// relay route it writes differs from the one already on disk.
public enum RouteChangeNeedsRestart: Rule {
  public static let description = RuleDescription(
    id: "route-change-needs-restart",
    summary: "a changed relay route takes effect only after Stalwart restarts (a note from render, never a refusal)",
    severity: .note,
    kind: .notice,
    lessons: [12],
    rationale: """
      Stalwart reads its outbound routes (the relay host, or delivery straight to MX hosts) into \
      memory when the process starts. Saving a new route in its settings, or reloading them, \
      leaves the running server delivering by the old one, so mail keeps going where it went \
      before while every screen shows the new value.
      """,
    fix: """
      After deploying a render that changed the relay route, enter the new route in Stalwart's \
      settings and restart the Stalwart container (`docker compose restart stalwart`). The \
      sidecar keeps its tailnet node; Stalwart comes back once the sidecar's healthcheck passes.
      """,
    triggering: [
      RuleExample(
        "the relay moved to another mailbox node",
        [
          .init("  mailbox:\n    tag: tag:mail", "  relay2:\n    tag: tag:mail"),
          .init("relay:\n  host: mailbox", "relay:\n  host: ↓relay2"),
        ]),
      RuleExample(
        "the relay's port changed from submission to submissions",
        [
          .init("relay:\n  host: mailbox\n  port: 587", "relay:\n  host: mailbox\n  port: ↓465"),
          .init("    dst: [tag:mail]\n    ip: [tcp:587]", "    dst: [tag:mail]\n    ip: [tcp:465]"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "the same relay written as its full MagicDNS name",
        replacing: "relay:\n  host: mailbox", with: "relay:\n  host: mailbox.tail7b1641.ts.net"),
      RuleExample(
        "a change elsewhere in docker-compose.yml (the healthcheck interval)",
        replacing: "    interval: 10s", with: "    interval: 15s"),
    ])

  /// Nothing: whether the route changed depends on the files on disk.
  public static func check(_ deployment: Deployment, into findings: inout RuleFindings) {}

  /// The note for a change from one deployment to the next, as `render`
  /// prints it when the first one's docker-compose.yml is on disk.
  public static func notices(
    previous: CheckedDeployment, current: CheckedDeployment, context: RenderContext
  ) -> [Finding] {
    guard let old = try? ComposeRenderer.render(previous, context: context).first,
      let new = try? ComposeRenderer.render(current, context: context).first,
      let note = notice(
        previous: old.bytes, rendered: new, file: new.path, service: current.deployment.stalwart.service.value)
    else { return [] }
    return [note]
  }

  /// The note `render` prints when the relay route in the docker-compose.yml
  /// it renders differs from the one in the file already at `file`; nil when
  /// there was no such file or the route is the same.
  public static func notice(previous: [UInt8]?, rendered: Output, file: String, service: String) -> Finding? {
    guard let previous, let old = RelayRoute.recorded(in: String(decoding: previous, as: UTF8.self)),
      let new = RelayRoute.recorded(in: rendered.text), old.route != new.route
    else { return nil }
    let lineText = rendered.text.split(separator: "\n", omittingEmptySubsequences: false)[new.line - 1]
    let column = lineText.prefix { $0 == " " }.count + 1
    return Finding(
      .note, file: file, at: SourceSpan(line: new.line, column: column, length: lineText.count - column + 1),
      "relay route changed from \(old.route) to \(new.route); restart the Stalwart container: it builds its relay routes only at start",
      rule: description.id,
      help: "set the new route in Stalwart's settings, then run `docker compose restart \(service)`")
  }
}
