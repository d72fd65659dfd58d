/// Structural: what passes `check` must render. `render` refuses a policy
/// whose own tests fail against the inventory's grants (the control plane
/// would refuse it) and a record set the DNS provider would reject; this
/// rule asks the same questions of the model first, with a position, so a
/// pre-commit `check` never passes what `render --check` then refuses.
public enum RenderAccepts: Rule {
  public static let description = RuleDescription(
    id: "render-accepts",
    summary:
      "grants under which the tailnet policy's own tests fail, or a record set the DNS provider would refuse (over 500 records)",
    lessons: [5, 11],
    rationale: """
      The ACL snippet carries tests: the connections the deployment makes must be accepted, \
      and the ones it keeps closed (an unforwarded port, the database from the edge) denied. \
      The control plane runs these tests when the policy is saved and refuses the whole policy \
      when one fails, so a grant that opens a port the edge no longer forwards, or misses one it \
      does, is caught before it is applied. Spaceship takes at most 500 records in one request \
      and rejects a larger one whole.
      """,
    fix: """
      Make the grants match what the deployment does: list in `ip` exactly the ports `edge.forward` \
      forwards (and tcp:443 with pass-through), and the database's and relay's ports for Stalwart. \
      Publish fewer extra records.
      """,
    triggering: [
      RuleExample(
        "a mail port no longer forwarded but still granted",
        [
          .init("  forward: [25, 465, 587, 993]", "  forward: [25, 465, 993]"),
          .init("  - src: [tag:reverse-proxy]", "  - ↓src: [tag:reverse-proxy]"),
        ])
    ],
    nonTriggering: [
      RuleExample(
        "a port both forwarded and granted",
        [
          .init("  forward: [25, 465, 587, 993]", "  forward: [25, 465, 993]"),
          .init("ip: [tcp:25, tcp:465, tcp:587, tcp:993, tcp:443]", "ip: [tcp:25, tcp:465, tcp:993, tcp:443]"),
        ])
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    policyTests(d, into: &findings)
    provider(d, into: &findings)
  }

  /// The ACL snippet's tests against the inventory's grants, as `render`
  /// verifies them. When a rule about grants already refuses the
  /// inventory, its finding says it better; nothing is repeated here.
  static func policyTests(_ d: Deployment, into findings: inout RuleFindings) {
    let related: [any Rule.Type] = [ACLGrantsInitiator.self, WebEndpointsPassThrough.self, EdgeListenersConsistent.self]
    guard !refused(d, by: related) else { return }
    for test in ACLRenderer.policyTests(d) {
      for c in test.accept
      where !d.grants.contains(where: { $0.allows(source: c.source, destination: c.destination, tcpPort: c.port) }) {
        findings.report(
          span(of: c.port, in: d),
          "no grant lets \(c.source) open tcp:\(c.port) to \(c.destination); the policy's tests would fail when applied",
          help: "add a grant {src: [\(c.source)], dst: [\(c.destination)], ip: [tcp:\(c.port)]}")
      }
      for c in test.deny {
        guard
          let grant = d.grants.first(where: { $0.allows(source: c.source, destination: c.destination, tcpPort: c.port) })
        else { continue }
        findings.report(
          grant.span, "this grant lets \(c.source) reach \(c.target), which the deployment keeps closed",
          help: "narrow the grant's ip to the ports the edge forwards (remove tcp:\(c.port))")
      }
    }
  }

  /// The record set as the provider receives it.
  static func provider(_ d: Deployment, into findings: inout RuleFindings) {
    guard !refused(d, by: [DNSRecordsValid.self, SpaceshipAcceptsRecords.self]) else { return }
    let (records, problems) = DNSRecordSet.derive(d)
    let anchor = d.dns.extra.last?.name.span ?? d.dns.ttl.span
    for problem in problems + SpaceshipRenderer.problems(records, file: d.file) {
      findings.report(problem.span ?? anchor, problem.message, help: problem.help ?? "publish fewer extra records")
    }
  }

  /// True when one of `rules` reports an error for `d`.
  static func refused(_ d: Deployment, by rules: [any Rule.Type]) -> Bool {
    rules.contains { rule in
      var found = RuleFindings(rule: rule.description, file: d.file)
      rule.check(d, into: &found)
      return found.findings.hasErrors
    }
  }

  /// Where a port is written: among the forwarded ports, the database's or
  /// the relay's, else the edge's node.
  static func span(of port: Int, in d: Deployment) -> SourceSpan {
    if let forwarded = d.edge.forward.first(where: { $0.value.number == port }) { return forwarded.span }
    if d.database.port.value.number == port { return d.database.port.span }
    if let relay = d.relay, relay.port.value.number == port { return relay.port.span }
    if let listener = d.stalwart.listeners.first(where: { $0.port.value.number == port }) { return listener.port.span }
    return d.edge.node.span
  }
}
