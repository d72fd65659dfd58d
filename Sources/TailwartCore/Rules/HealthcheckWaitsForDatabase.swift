/// Lesson 1: the sidecar reports healthy as soon as tailscaled is up, before
/// the tailnet route to the database works. Stalwart started in that gap
/// fails its database connection and silently loses whatever it writes, so
/// "healthy" must mean "the database answers", and Stalwart must wait for it.
public enum HealthcheckWaitsForDatabase: Rule {
  public static let description = RuleDescription(
    id: "healthcheck-waits-for-database",
    summary: "a sidecar healthcheck that does not probe the database, or Stalwart not waiting for service_healthy",
    lessons: [1],
    rationale: """
      Stalwart lives in the sidecar's network namespace, so it starts when Compose says the \
      sidecar is ready. The sidecar's own health endpoint turns green once tailscaled has an \
      address, which is before the route to the database over the tailnet carries traffic. A \
      Stalwart started in that window cannot reach its database, and settings or certificates it \
      writes then are lost without an error anyone sees. The healthcheck has to probe the \
      database's host and port as well, and Stalwart has to wait for that healthcheck.
      """,
    fix: """
      List the database under the sidecar's healthcheck, `waits_for: [database]` (tailwart \
      renders a probe of its host and port next to the sidecar's own health), and keep \
      `start_after: service_healthy` under `stalwart`, which becomes Compose's \
      `depends_on: {condition: service_healthy}`.
      """,
    triggering: [
      RuleExample(
        "a healthcheck that only asks tailscaled", replacing: "    waits_for: [database]", with: "    waits_for: ↓[]"),
      RuleExample(
        "a healthcheck that waits for the relay but not the database",
        replacing: "    waits_for: [database]", with: "    waits_for: ↓[relay]"),
      RuleExample(
        "Stalwart started as soon as the sidecar's container runs",
        replacing: "  start_after: service_healthy", with: "  start_after: ↓service_started"),
      RuleExample(
        "a healthcheck waiting for a relay the inventory does not have",
        [
          .init("    waits_for: [database]", "    waits_for: [database, ↓relay]"),
          .init("relay:\n  host: mailbox\n  port: 587\n", ""),
          .init("vps:\n  blocks_outbound_smtp: true", "vps:\n  blocks_outbound_smtp: false"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "a healthcheck that waits for the database and the relay",
        replacing: "    waits_for: [database]", with: "    waits_for: [database, relay]")
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let health = d.sidecar.healthcheck
    let peers = health.waitsFor.value.map(\.value)
    if !peers.contains(.database) {
      let wanted = ([Healthcheck.Peer.database] + peers.filter { $0 != .database && (d.relay != nil || $0 != .relay) })
        .map(\.rawValue).joined(separator: ", ")
      findings.report(
        health.waitsFor.span,
        "the sidecar's healthcheck does not probe the database \(d.database.host.value):\(d.database.port.value); "
          + "it turns healthy before the tailnet route to it works",
        help: "write `waits_for: [\(wanted)]` under sidecar.healthcheck")
    }
    if d.relay == nil {
      for peer in health.waitsFor.value where peer.value == .relay {
        findings.report(
          peer.span, "the healthcheck waits for the relay, but the inventory has no relay; it would never turn healthy",
          help: "remove relay from `waits_for`, or add a `relay:` block")
      }
    }
    if d.stalwart.startAfter.value != "service_healthy" {
      findings.report(
        d.stalwart.startAfter.span,
        "Stalwart waits for the sidecar's \(d.stalwart.startAfter.value) instead of service_healthy; "
          + "it can start before its database is reachable",
        help: "write `start_after: service_healthy`")
    }
  }
}
