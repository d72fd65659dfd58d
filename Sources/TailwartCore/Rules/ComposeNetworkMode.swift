/// Structural: Stalwart runs with `network_mode: service:<sidecar>`, inside
/// the sidecar's network namespace. Such a service has no network of its
/// own: Compose refuses `networks` on it and Docker refuses `ports`, and the
/// JSON schema catches neither, so the mistake would surface only on deploy.
public enum ComposeNetworkMode: Rule {
  public static let description = RuleDescription(
    id: "compose-network-mode",
    summary: "ports or networks on the Stalwart service, which shares the sidecar's network namespace",
    lessons: [],
    rationale: """
      Stalwart shares the sidecar's network namespace (`network_mode: service:<sidecar>`), \
      which is how it is reachable on the tailnet at all. A service like that owns no network: \
      Compose rejects `networks` on it, and Docker rejects published `ports` when the container \
      is created. Compose's schema accepts both, so nothing else notices before a deploy. The \
      two services also need different names, or Stalwart would be told to join itself.
      """,
    fix: """
      Remove `ports` and `networks` from `stalwart`. Mail reaches Stalwart from the edge over \
      the tailnet, nothing is published on the host, and the IPv6 settings of the shared network \
      go under `network`.
      """,
    triggering: [
      RuleExample(
        "Stalwart publishing a port",
        replacing: "  start_after: service_healthy\n", with: "  start_after: service_healthy\n  ports: [↓\"25:25\"]\n"),
      RuleExample(
        "Stalwart joining a network",
        replacing: "  start_after: service_healthy\n", with: "  start_after: service_healthy\n  networks: [↓default]\n"),
      RuleExample(
        "Stalwart and the sidecar under one service name",
        replacing: "  service: stalwart\n", with: "  service: ↓ts-stalwart\n"),
    ],
    nonTriggering: [
      RuleExample(
        "an empty ports list", replacing: "  start_after: service_healthy\n",
        with: "  start_after: service_healthy\n  ports: []\n")
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let sidecar = d.sidecar.service.value
    let stalwart = d.stalwart
    if let first = stalwart.ports.first {
      let count = stalwart.ports.count
      findings.report(
        first.span,
        "\(stalwart.service.value) publishes \(count == 1 ? "a port" : "\(count) ports") but shares \(sidecar)'s network namespace; "
          + "Docker refuses ports there",
        help: "remove `ports` from stalwart; the edge reaches Stalwart over the tailnet")
    }
    if let first = stalwart.networks.first {
      findings.report(
        first.span,
        "\(stalwart.service.value) joins networks but shares \(sidecar)'s network namespace; Compose refuses networks with network_mode",
        help: "remove `networks` from stalwart; the shared network's settings go under `network`")
    }
    if stalwart.service.value == sidecar {
      findings.report(
        stalwart.service.span,
        "Stalwart's service has the sidecar's name \(sidecar); it would be told to share its own network namespace",
        help: "give it its own name: `service: stalwart`")
    }
  }
}
