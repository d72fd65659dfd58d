import Foundation

/// What a change to the inventory does to the running deployment,
/// component by component in the order to apply it: the generated files,
/// Stalwart's settings, the Stalwart containers, the edge, the tailnet
/// policy, the DNS zone. Built from the rendered outputs compared with the
/// files already in the output folder (the last render, as deployed), and,
/// when a zone listing is given, the DNS plan.
public struct DeploymentPlan: Sendable {
  public struct Action: Sendable, Equatable, Encodable {
    /// What to run, where there is one command for it.
    public var command: String?
    /// Why, in a sentence.
    public var reason: String
  }

  public struct Component: Sendable, Equatable, Encodable {
    /// Stable id for scripts: files, stalwart-settings, stalwart-container,
    /// edge, tailnet-policy, dns.
    public var id: String
    public var title: String
    public var changes: [String]
    public var actions: [Action]
  }

  public let components: [Component]

  /// Any component with a change.
  public var hasChanges: Bool { !components.isEmpty }

  /// The inputs: the rendered outputs as `render` would write them into
  /// `folder` (`writePlan`), the deployment they come from, the command
  /// line that names the inventory, and the DNS plan when a listing of
  /// the live zone was given.
  public init(writePlan: WritePlan, deployment d: Deployment, inventoryArgument: String, dns: DNSPlan?) {
    var components: [Component] = []
    let folder = writePlan.folder
    func entry(_ path: String) -> WritePlan.Entry? { writePlan.entries.first { $0.output.path == path } }
    func changed(_ path: String) -> WritePlan.Entry? { entry(path).flatMap { $0.needsWrite ? $0 : nil } }
    func shown(_ path: String) -> String { WritePlan.join(folder, path) }

    // 1. The generated files.
    let stale = writePlan.changes
    if !stale.isEmpty {
      let changes = stale.map { e -> String in
        let state: String
        switch e.state {
        case .missing: state = "missing"
        case .editedByHand: state = "edited by hand"
        case .notWrittenByTailwart: state = "not written by tailwart"
        default: state = "stale"
        }
        let (added, removed) = Self.lineCounts(old: e.previous, new: e.output.bytes)
        return "\(state): \(shown(e.output.path)) (+\(added) -\(removed) lines)"
      }
      let force = stale.contains(where: \.isConflict) ? " --force" : ""
      components.append(
        Component(
          id: "files", title: "generated files", changes: changes,
          actions: [
            Action(
              command: "tailwart render -i \(inventoryArgument)\(force)",
              reason: "write the files, then commit them beside the inventory")
          ]))
    }

    // 2. Stalwart's settings, once tailwart renders them.
    if let plan = changed("stalwart/plan.ndjson") {
      let old = Set(Self.lines(plan.previous ?? []))
      let new = Self.lines(plan.output.bytes)
      let newSet = Set(new)
      let changes =
        new.filter { !old.contains($0) }.map { "+ \($0)" }
        + Self.lines(plan.previous ?? []).filter { !newSet.contains($0) }.map { "- \($0)" }
      components.append(
        Component(
          id: "stalwart-settings", title: "Stalwart's settings", changes: changes,
          actions: [
            Action(
              command: "stalwart-cli apply --file plan.ndjson --dry-run && stalwart-cli apply --file plan.ndjson",
              reason: "copy \(shown("stalwart/plan.ndjson")) to the VPS and apply it to Stalwart's settings")
          ]))
    }

    // 3. The containers on the VPS.
    if let compose = changed("docker-compose.yml") {
      components.append(Self.containers(compose, deployment: d, shownPath: shown(compose.output.path)))
    }

    // 4. The edge.
    let caddy = ["caddy/caddy.json", "caddy/Caddyfile"].compactMap(changed)
    if !caddy.isEmpty {
      components.append(
        Component(
          id: "edge", title: "the edge (Caddy)", changes: caddy.map { "changed: \(shown($0.output.path))" },
          actions: [
            Action(
              command: "caddy reload --config caddy.json",
              reason:
                "copy \(shown("caddy/caddy.json")) to the edge and reload Caddy; connections in flight are kept")
          ]))
    }

    // 5. The tailnet policy.
    if let acl = changed("acl-snippet.hujson") {
      let (added, removed) = Self.lineCounts(old: acl.previous, new: acl.output.bytes)
      components.append(
        Component(
          id: "tailnet-policy", title: "the tailnet policy",
          changes: ["changed: \(shown(acl.output.path)) (+\(added) -\(removed) lines)"],
          actions: [
            Action(
              command: "tailwart acl merge POLICY.hujson --write",
              reason:
                "merge \(shown(acl.output.path)) into your tailnet policy file (its tests are evaluated first), then apply it; the control plane runs the tests again"
            )
          ]))
    }

    // 6. The DNS zone.
    if let dns {
      if dns.hasChanges {
        var changes = dns.delete.map { "- delete \(Self.describe($0, d.domain.value))" }
        changes += dns.create.map { "+ create \(Self.describe($0, d.domain.value))" }
        changes += dns.update.map { "~ ttl \(Self.describe($0, d.domain.value))" }
        components.append(
          Component(
            id: "dns", title: "the DNS zone (\(dns.summary))", changes: changes,
            actions: [
              Action(
                command: "tailwart dns push -i \(inventoryArgument)",
                reason: "delete tailwart's stale records, put the new ones, verify; foreign records are kept")
            ]))
      }
    } else if let zone = changed("dns/zone.db") ?? changed("dns/spaceship.json") {
      components.append(
        Component(
          id: "dns", title: "the DNS zone", changes: ["changed: \(shown(zone.output.path))"],
          actions: [
            Action(
              command: "tailwart dns push -i \(inventoryArgument)",
              reason:
                "the records changed; `tailwart dns plan --snapshot FILE` shows what the push does to the live zone")
          ]))
    }
    self.components = components
  }

  /// What the Stalwart pair needs after docker-compose.yml changes: a
  /// restart for a new relay route (lesson 12), a recreate for a changed
  /// service, both recreated when the sidecar changes (lesson 6).
  static func containers(_ compose: WritePlan.Entry, deployment d: Deployment, shownPath: String) -> Component {
    let sidecar = d.sidecar.service.value
    let stalwart = d.stalwart.service.value
    let title = "the Stalwart containers"
    guard let previousBytes = compose.previous else {
      return Component(
        id: "stalwart-container", title: title, changes: ["new: \(shownPath)"],
        actions: [
          Action(command: "docker compose up -d", reason: "start the sidecar, then Stalwart once it is healthy")
        ])
    }
    let oldText = String(decoding: previousBytes, as: UTF8.self)
    let newText = compose.output.text
    let old = ComposeSections(oldText)
    let new = ComposeSections(newText)
    var changes: [String] = []
    var actions: [Action] = []

    let sidecarChanged = old.services[sidecar] != new.services[sidecar] || old.other != new.other
    let stalwartChanged = old.services[stalwart] != new.services[stalwart]
    if sidecarChanged {
      changes.append("the sidecar \(sidecar) (or the network it creates) changes")
      actions.append(
        Action(
          command: "docker compose up -d --force-recreate \(sidecar) \(stalwart)",
          reason:
            "Compose recreates \(sidecar); Stalwart shares its network namespace and is left in a dead one unless it is recreated with it. "
            + (d.sidecar.ephemeral.value
              ? "The ephemeral node registers again with a new tailnet address: peers must dial \(d.sidecarAddress), never an address (lesson 6)"
              : "Peers keep dialling \(d.sidecarAddress) (lesson 6)")))
    } else if stalwartChanged {
      changes.append("the Stalwart service \(stalwart) changes")
      actions.append(
        Action(
          command: "docker compose up -d \(stalwart)", reason: "Compose recreates Stalwart with its new definition"))
    }
    if let oldRoute = RelayRoute.recorded(in: oldText)?.route, let newRoute = RelayRoute.recorded(in: newText)?.route,
      oldRoute != newRoute
    {
      changes.append("relay route: \(oldRoute) → \(newRoute)")
      if !sidecarChanged && !stalwartChanged {
        actions.append(
          Action(
            command: "docker compose restart \(stalwart)",
            reason:
              "Stalwart builds its relay routes only when it starts; restart it once its settings hold the new route (lesson 12)"
          ))
      } else {
        actions.append(
          Action(command: nil, reason: "the recreate above also makes Stalwart read its new relay route (lesson 12)"))
      }
    }
    if changes.isEmpty {
      changes.append("comments only: \(shownPath)")
      actions.append(Action(command: nil, reason: "nothing to restart; the running containers are unchanged"))
    }
    return Component(id: "stalwart-container", title: title, changes: changes, actions: actions)
  }

  static func describe(_ item: SpaceshipRecord, _ zone: DomainName) -> String {
    let (name, value) = DNSPlan.presentation(item, zone: zone)
    return "\(name) \(item.type) \(value)"
  }

  static func lines(_ bytes: [UInt8]) -> [String] {
    String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  /// Lines only in the new text and lines only in the old, as multisets.
  static func lineCounts(old: [UInt8]?, new: [UInt8]) -> (added: Int, removed: Int) {
    var counts: [String: Int] = [:]
    for line in lines(old ?? []) { counts[line, default: 0] += 1 }
    var added = 0
    for line in lines(new) {
      if let n = counts[line], n > 0 { counts[line] = n - 1 } else { added += 1 }
    }
    return (added, counts.values.reduce(0, +))
  }
}

/// docker-compose.yml as tailwart writes it, cut into its services and the
/// other top-level sections, comments left out: enough to tell which
/// service a change touches.
struct ComposeSections {
  var services: [String: [String]] = [:]
  /// Everything outside `services:` (networks, volumes, name).
  var other: [String] = []

  init(_ text: String) {
    var inServices = false
    var current: String?
    for raw in text.split(separator: "\n") {
      let line = String(raw)
      let trimmed = line.drop { $0 == " " }
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let indent = line.count - trimmed.count
      if indent == 0 {
        inServices = trimmed.hasPrefix("services:")
        current = nil
        if !inServices { other.append(line) }
        continue
      }
      if inServices {
        if indent == 2, trimmed.hasSuffix(":") {
          let name = trimmed.dropLast().trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
          current = name
          services[name] = []
        } else if let current {
          services[current, default: []].append(line)
        }
      } else {
        other.append(line)
      }
    }
  }
}

extension DeploymentPlan {
  /// The plan as text: each component with its changes and what to run
  /// (empty when nothing changes; the command adds its summary line).
  public var text: String {
    var out = ""
    for (i, component) in components.enumerated() {
      out += "\(i + 1). \(component.title)\n"
      for change in component.changes { out += "     \(change)\n" }
      for action in component.actions {
        if let command = action.command { out += "   run: \(command)\n" }
        out += "        \(action.reason)\n"
      }
    }
    return out
  }

  public func json() throws -> String {
    struct Body: Encodable {
      var changes: Bool
      var components: [Component]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(Body(changes: hasChanges, components: components)), as: UTF8.self)
  }
}
