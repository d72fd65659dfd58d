/// Lesson 12: a changed outbound route does nothing until Stalwart rebuilds
/// its routes. On the build the lesson was learnt on that took a restart;
/// Stalwart v0.16's settings reload rebuilds them (its `ReloadSettings`
/// action parses the whole core again, routes and strategy included), and
/// the plan ends with that reload. Not a refusal: the inventory alone cannot
/// show a change, so `check` reports nothing, and `render` prints a note
/// when the relay route it writes differs from the one already on disk.
public enum RouteChangeNeedsRestart: Rule {
  public static let description = RuleDescription(
    id: "route-change-needs-restart",
    summary:
      "a changed relay route takes effect only once Stalwart rebuilds its routes: apply the plan (a note from render, never a refusal)",
    severity: .note,
    kind: .notice,
    lessons: [12],
    rationale: """
      Stalwart keeps its outbound routes (the relay host, or delivery straight to MX hosts) in \
      memory. Saving a new route in its settings changes the stored value, not the running \
      server: mail keeps going where it went before while every screen shows the new value. \
      On the build lesson 12 was learnt on only a restart rebuilt the routes; Stalwart v0.16 \
      rebuilds them on a settings reload.
      """,
    fix: """
      After a render that changed the relay route, apply the plan on the VPS: \
      `stalwart-cli apply --file deploy/stalwart/plan.ndjson`. Its last line reloads Stalwart's \
      settings, which in v0.16 rebuilds the routes; no restart is needed. Check the route in the \
      admin's queue view with the next message. Only a listener added or moved to another port \
      needs `docker compose restart stalwart`.
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
        previous: old.bytes, rendered: new, file: new.path, service: current.deployment.stalwart.service.value,
        schema: StalwartSchemaVersion(image: current.deployment.stalwart.image.value))
    else { return [] }
    return [note]
  }

  /// The note `render` prints when the relay route in the docker-compose.yml
  /// it renders differs from the one in the file already at `file`; nil when
  /// there was no such file or the route is the same.
  public static func notice(
    previous: [UInt8]?, rendered: Output, file: String, service: String,
    schema: StalwartSchemaVersion? = .v0_16
  ) -> Finding? {
    guard let previous, let old = RelayRoute.recorded(in: String(decoding: previous, as: UTF8.self)),
      let new = RelayRoute.recorded(in: rendered.text), old.route != new.route
    else { return nil }
    let lineText = rendered.text.split(separator: "\n", omittingEmptySubsequences: false)[new.line - 1]
    let column = lineText.prefix { $0 == " " }.count + 1
    let span = SourceSpan(line: new.line, column: column, length: lineText.count - column + 1)
    let changed = "relay route changed from \(old.route) to \(new.route)"
    switch schema {
    case .v0_16:
      let folder = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
      let plan = (folder.isEmpty ? "" : folder + "/") + StalwartPlanRenderer.path
      return Finding(
        .note, file: file, at: span,
        "\(changed); apply the Stalwart plan: its last line reloads the settings, which rebuilds the routes in Stalwart v0.16",
        rule: description.id,
        help: "run `stalwart-cli apply --file \(plan)` on the VPS; no restart is needed")
    case nil:
      return Finding(
        .note, file: file, at: span,
        "\(changed); restart the Stalwart container: releases before v0.16 build their relay routes only at start",
        rule: description.id,
        help: "set the new route in Stalwart's settings, then run `docker compose restart \(service)`")
    }
  }
}
