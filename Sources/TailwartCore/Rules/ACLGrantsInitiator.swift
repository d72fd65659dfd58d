/// Lesson 11: the tailnet denies by default, and a grant that names the
/// sidecar only as destination lets it be reached but not open anything.
/// Every connection the sidecar opens (database, relay) needs a grant with
/// its tag as source; every port the edge forwards needs one from the edge.
public enum ACLGrantsInitiator: Rule {
  public static let description = RuleDescription(
    id: "acl-grants-initiator",
    summary:
      "a connection the sidecar or the edge opens (database, relay, forwarded mail port) with no grant naming its tag as source",
    lessons: [11],
    rationale: """
      Tailscale's policy denies everything no grant allows, and a grant is one-way: `src` may \
      open connections to `dst`. The sidecar is a node of its own with its own tag, separate \
      from the host it runs on, so a grant that lists it only as a destination lets the edge \
      reach it while its own connections to the database or the relay are dropped silently and \
      time out. Meanwhile the host, a different identity, reaches the same address fine, which \
      hides the cause.
      """,
    fix: """
      Add one grant per connection, with the opener's tag as `src`: `{src: [tag:stalwart], \
      dst: [tag:database], ip: [tcp:5432]}` for the database, the same towards the relay's tag \
      on its port, and the edge's tag towards the sidecar's on every port it forwards. Policy \
      changes apply within seconds, with no restart.
      """,
    triggering: [
      RuleExample(
        "the database granted the wrong way round",
        [
          .init(
            "  - src: [tag:stalwart]\n    dst: [tag:database]\n    ip: [tcp:5432]",
            "  - src: [tag:database]\n    dst: [tag:stalwart]\n    ip: [tcp:5432]"),
          .init("  host: the-record-prod", "  host: ↓the-record-prod"),
        ]),
      RuleExample(
        "no grant for the relay",
        [
          .init("  - src: [tag:stalwart]\n    dst: [tag:mail]\n    ip: [tcp:587]\n", ""),
          .init("relay:\n  host: mailbox", "relay:\n  host: ↓mailbox"),
        ]),
      RuleExample(
        "the database's grant on the wrong port",
        [
          .init("    ip: [tcp:5432]", "    ip: [tcp:5433]"),
          .init("  host: the-record-prod", "  host: ↓the-record-prod"),
        ]),
      RuleExample(
        "a forwarded mail port without a grant",
        [
          .init(
            "    ip: [tcp:25, tcp:465, tcp:587, tcp:993, tcp:443]", "    ip: [tcp:25, tcp:465, tcp:587, tcp:443]"),
          .init("  forward: [25, 465, 587, 993]", "  forward: [25, 465, 587, ↓993]"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "a port range that covers the database",
        replacing: "    ip: [tcp:5432]", with: "    ip: [tcp:5000-6000]"),
      RuleExample(
        "a relay off the tailnet needs no grant",
        [
          .init("  - src: [tag:stalwart]\n    dst: [tag:mail]\n    ip: [tcp:587]\n", ""),
          .init("relay:\n  host: mailbox\n  port: 587", "relay:\n  host: 198.51.100.25\n  port: 8025"),
        ]),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let sidecar = d.sidecar.tag.value
    let initiates = d.grants.contains { grant in grant.src.contains { $0.value == sidecar.description } }
    for (role, endpoint) in [("database", d.database), ("relay", d.relay)] {
      guard let endpoint, case .node(let machine) = endpoint.host.value, let node = d.node(named: machine.text) else {
        continue
      }
      let port = endpoint.port.value.number
      let grant = RequiredGrant(source: sidecar, destination: node.tag.value, port: port)
      guard !grant.isGranted(by: d.grants) else { continue }
      var notes: [String] = []
      if let reverse = d.grants.first(where: { g in
        g.src.contains { $0.value == node.tag.value.description } && g.dst.contains { $0.value == sidecar.description }
      }) {
        notes.append("the grant on line \(reverse.span.start.line) runs the other way; grants are one-way")
      } else if !initiates {
        notes.append(
          "\(sidecar) appears in grants only as a destination: it can be reached but cannot open connections")
      }
      findings.report(
        endpoint.host.span,
        "no grant lets \(sidecar) open connections to the \(role) \(machine) (\(node.tag.value)) on tcp:\(port); "
          + "the tailnet drops what no grant allows",
        help: grant.help(grants: d.grants), notes: notes)
    }

    guard let edgeTag = d.node(named: d.edge.node.value.text)?.tag.value else { return }
    for port in d.edge.forward {
      let grant = RequiredGrant(source: edgeTag, destination: sidecar, port: port.value.number)
      guard !grant.isGranted(by: d.grants) else { continue }
      findings.report(
        port.span,
        "the edge forwards port \(port.value) to Stalwart, but no grant lets \(edgeTag) reach \(sidecar) on tcp:\(port.value)",
        help: grant.help(grants: d.grants))
    }
  }
}
