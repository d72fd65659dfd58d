/// docker-compose.yml: the Tailscale sidecar and Stalwart in its network
/// namespace, the sidecar healthy only once Stalwart's peers answer.
public enum ComposeRenderer: Renderer {
  public static let paths = ["docker-compose.yml"]

  /// Where the sidecar serves /healthz: loopback only, so the endpoint is
  /// not offered to the tailnet; Stalwart shares the namespace and could
  /// probe it too.
  static let healthAddress = "127.0.0.1:9002"

  public static func render(_ checked: CheckedDeployment, context: RenderContext) throws -> [Output] {
    let d = checked.deployment
    let sidecar = d.sidecar
    let credential = SidecarCredential(sidecar)
    let stateVolume = "\(sidecar.service.value)-state"

    var values: [String: Any] = [
      "header": GeneratedHeader.lines(context),
      "sidecarService": literal(sidecar.service.value),
      "sidecarImage": literal(sidecar.image.value),
      "project": literal(d.project.value.text),
      "authKey": credential.environmentValue,
      "authKeyComment": credential.commentLines.map(GeneratedHeader.commentSafe),
      "keepState": sidecar.keepState.value,
      "machine": literal(sidecar.machine.value.text),
      "extraArgs": literal("--advertise-tags=\(sidecar.tag.value)"),
      "healthAddress": healthAddress,
      "stateVolume": literal(stateVolume),
      "stateVolumeMount": literal("\(stateVolume):/var/lib/tailscale"),
      "healthcheckCommand": literal(healthcheckCommand(d)),
      "interval": literal(sidecar.healthcheck.interval.value.text),
      "timeout": literal(sidecar.healthcheck.timeout.value.text),
      "retries": sidecar.healthcheck.retries.value,
      "startPeriod": literal(sidecar.healthcheck.startPeriod.value.text),
      "stalwartService": literal(d.stalwart.service.value),
      "relayRouteComment": GeneratedHeader.commentSafe(RelayRoute(d).commentLine),
      "stalwartImage": literal(d.stalwart.image.value),
      "networkMode": literal("service:\(sidecar.service.value)"),
      "startAfter": literal(d.stalwart.startAfter.value),
      // Compose restarts Stalwart whenever it restarts the sidecar: the old
      // namespace dies with the sidecar's container (lesson 1).
      "restartWithSidecar": true,
      "configMount": literal("\(d.stalwart.configVolume.value):/etc/stalwart"),
      "dataMount": literal("\(d.stalwart.dataVolume.value):/var/lib/stalwart"),
    ]
    // Every variable Stalwart's settings read, passed in and required, as
    // the auth key is (lesson 2).
    let stalwartEnvironment = EnvironmentVariable.all(d, service: d.stalwart.service.value).map { variable in
      ["name": variable.name, "value": "${\(variable.name):?set \(variable.name) in .env}"]
    }
    if !stalwartEnvironment.isEmpty { values["stalwartEnvironment"] = ["variables": stalwartEnvironment] }
    if d.network.ipv6.value, let subnet = d.network.subnet?.value, let gateway = d.network.gateway?.value {
      values["ipv6"] = ["subnet": subnet.description, "gateway": gateway.description]
    }
    let text = try Templates.render("docker-compose.yml.mustache", values)
    return [Output(path: "docker-compose.yml", text: text, annotations: annotator.annotations(for: text))]
  }

  /// The sidecar's health probe: its own /healthz, then a TCP connect to
  /// each peer it waits for, by MagicDNS name. busybox `wget` and `nc` are
  /// what the Alpine-based tailscale image has.
  static func healthcheckCommand(_ d: Deployment) -> String {
    let tailnet = d.tailnet.value
    let peers: [Endpoint] = d.sidecar.healthcheck.waitsFor.value.compactMap { peer in
      switch peer.value {
      case .database: d.database
      case .relay: d.relay
      }
    }
    let seconds = d.sidecar.healthcheck.timeout.value.milliseconds / 1000
    let wait = max(1, (seconds - 1) / max(1, peers.count))
    var parts = ["wget -q --spider \(ShellWord.quote("http://\(healthAddress)/healthz"))"]
    for peer in peers {
      parts.append("nc -z -w \(wait) \(ShellWord.quote(peer.host.value.dialHost(in: tailnet))) \(peer.port.value.number)")
    }
    return parts.joined(separator: " && ")
  }

  /// A string compose must not interpolate: `$` doubled.
  static func literal(_ text: String) -> String {
    text.replacingOccurrences(of: "$", with: "$$")
  }

  static let annotator = LineAnnotator([
    .init("TS_AUTHKEY:", lessons: [2], rules: ["no-secrets-in-inventory"]),
    .init("?ephemeral=", lessons: [6]),
    .init("restart: true", lessons: [1], rules: ["healthcheck-waits-for-database"]),
    .init("TS_AUTH_ONCE:", lessons: [6]),
    .init("TS_ACCEPT_DNS:", lessons: [6], rules: ["magicdns-not-ips"]),
    .init("test: [\"CMD-SHELL\"", lessons: [1], rules: ["healthcheck-waits-for-database"]),
    .init("condition:", lessons: [1], rules: ["healthcheck-waits-for-database"]),
    .init("network_mode:", rules: ["compose-network-mode"]),
    .init(RelayRoute.marker, lessons: [10, 11, 12], rules: ["route-change-needs-restart"]),
    .init("enable_ipv6:", lessons: [8, 9], rules: ["relay-needs-reachable-family"]),
    .init("- subnet:", lessons: [9], rules: ["ula-subnet-valid"]),
    .init("gateway:", lessons: [9], rules: ["ula-subnet-valid"]),
  ])

  public static func selfCheck(_ output: Output) throws {
    let root: YAMLNode
    do {
      root = try YAMLLoader.load(output.bytes, file: output.path)
    } catch {
      throw SelfCheckError(path: output.path, problem: error.findings.map(\.message).joined(separator: "; "))
    }
    guard case .mapping(let top) = root else {
      throw SelfCheckError(path: output.path, problem: "the document is not a mapping")
    }
    if top["version"] != nil {
      throw SelfCheckError(path: output.path, problem: "a top-level version key (the Compose Specification has none)")
    }
    guard case .mapping(let services)? = top["services"], !services.entries.isEmpty else {
      throw SelfCheckError(path: output.path, problem: "no services mapping")
    }
    for entry in services.entries {
      guard case .mapping(let service) = entry.value else {
        throw SelfCheckError(path: output.path, problem: "service \(entry.key.value) is not a mapping")
      }
      if service["network_mode"] != nil, service["ports"] != nil || service["networks"] != nil {
        throw SelfCheckError(
          path: output.path, problem: "service \(entry.key.value) has network_mode together with ports or networks")
      }
    }
  }
}
