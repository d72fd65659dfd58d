/// Structural: nodes and grants stay in the inventory after what used them
/// is gone (removing `relay:` leaves the mailbox node and its grant). The
/// grant still opens a path through the tailnet that nothing needs, and the
/// snippet keeps owning a tag no device should carry.
public enum UnusedTailnetEntries: Rule {
  public static let description = RuleDescription(
    id: "unused-tailnet-entries",
    summary: "a node under `nodes` or a grant between tags that nothing in the deployment uses",
    severity: .warning,
    lessons: [],
    rationale: """
      A node is used when it is the edge, the database host, the relay host or an edge site's \
      upstream; a grant between tags is used when it carries a connection the deployment makes \
      (the edge's forwarded ports, :443 and its sites' upstreams, Stalwart to its database and \
      relay). Left behind, a grant keeps a path open through the tailnet that nothing \
      needs, which is what a default-deny policy exists to avoid, and its tag keeps an owner in \
      the snippet.
      """,
    fix: """
      Remove the node and the grant, or put back what used them. Grants that name people \
      (groups, users, autogroups) are the operator's own and never reported.
      """,
    triggering: [
      RuleExample(
        "the relay removed, its node and grant left behind",
        [
          .init("relay:\n  host: mailbox\n  port: 587\n", ""),
          .init("  mailbox:\n    tag: tag:mail", "  ↓mailbox:\n    tag: tag:mail"),
          .init("  - src: [tag:stalwart]\n    dst: [tag:mail]", "  - ↓src: [tag:stalwart]\n    dst: [tag:mail]"),
        ])
    ],
    nonTriggering: [
      RuleExample(
        "a grant for people", replacing: "  - src: [tag:stalwart]\n    dst: [tag:mail]",
        with:
          "  - src: [group:ops]\n    dst: [tag:database]\n    ip: [tcp:5432]\n  - src: [tag:stalwart]\n    dst: [tag:mail]"
      )
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    // A peer written as a tailnet address may be any node (magicdns-not-ips
    // asks for its name): then nothing can be called unused.
    let peers = [d.database] + (d.relay.map { [$0] } ?? []) + d.edge.sites.map(\.upstream)
    if peers.contains(where: { if case .tailnetAddress = $0.host.value { true } else { false } }) { return }
    var used: Set<MachineName> = [d.edge.node.value]
    for endpoint in [d.database] + (d.relay.map { [$0] } ?? []) + d.edge.sites.map(\.upstream) {
      if case .node(let name) = endpoint.host.value { used.insert(name) }
    }
    for node in d.nodes where !used.contains(node.name.value) {
      findings.warn(
        node.name.span,
        "node \(node.name.value) (\(node.tag.value)) is used by nothing in the deployment",
        help: "remove it from nodes, or point the edge, the database, the relay or a site's upstream at it")
    }

    for grant in d.grants {
      let selectors = (grant.src + grant.dst).map(\.value)
      // Only grants between tags are the deployment's; people's are the operator's.
      guard selectors.allSatisfy({ $0.hasPrefix("tag:") }) else { continue }
      guard ACLRenderer.purposes(of: grant, in: d).isEmpty else { continue }
      if let edge = d.node(named: d.edge.node.value.text)?.tag.value,
        d.edge.sites.contains(where: { site in
          guard case .node(let name) = site.upstream.host.value, let tag = d.node(named: name.text)?.tag.value else {
            return false
          }
          return grant.allows(source: edge, destination: tag, tcpPort: site.upstream.port.value.number)
        })
      {
        continue
      }
      findings.warn(
        grant.span,
        "this grant carries no connection the deployment makes; it keeps a path open through the tailnet that nothing needs",
        help: "remove it, or put back what used it")
    }
  }
}
