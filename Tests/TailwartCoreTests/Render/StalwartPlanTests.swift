import Foundation
import Testing

@testable import TailwartCore

/// stalwart/plan.ndjson: every line against the project's table of
/// Stalwart's objects, trust that matches the edge's routes, secrets only
/// as variable references, and the inventory changes the plan must follow.
struct StalwartPlanTests {
  static func shipped() throws -> String {
    try String(contentsOf: GoldenFiles.packageRoot.appendingPathComponent("inventory.yaml"), encoding: .utf8)
  }

  static func edit(_ text: String, _ find: String, _ replace: String) throws -> String {
    try #require(text.components(separatedBy: find).count == 2, "\(find) must occur once")
    return text.replacingOccurrences(of: find, with: replace)
  }

  /// `text` with the line that starts with `prefix` replaced (its comment
  /// and value go with it), so a test does not depend on the line's value.
  static func replacingLine(_ text: String, startingWith prefix: String, with line: String) throws -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let index = try #require(lines.firstIndex { $0.hasPrefix(prefix) }, "no line starts with \(prefix)")
    lines[index] = line
    return lines.joined(separator: "\n")
  }

  /// `text` without the top-level block that starts with `key:` (up to the
  /// next blank line).
  static func removingBlock(_ text: String, _ key: String) throws -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let start = try #require(lines.firstIndex { $0.hasPrefix("\(key):") }, "no \(key) block")
    let end = lines[start...].firstIndex { $0.isEmpty } ?? lines.count
    lines.removeSubrange(start...min(end, lines.count - 1))
    return lines.joined(separator: "\n")
  }

  /// The inventory checked and rendered; nil with the findings when refused.
  static func render(_ text: String) throws -> [Output] {
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    let result = Checker.check(loaded.deployment)
    let checked = try #require(result.checked, "\(result.findings.map(\.message))")
    return try RenderCatalog.renderAll(checked, context: RenderContext(inventoryName: "inventory.yaml"))
  }

  static func plan(_ outputs: [Output]) throws -> [[String: Any]] {
    let plan = try #require(outputs.first { $0.path == StalwartPlanRenderer.path })
    return try plan.text.split(separator: "\n").map { line in
      try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
  }

  /// The objects an upsert line carries (local id → fields).
  static func values(_ op: [String: Any]) -> [[String: Any]] {
    (op["value"] as? [String: Any])?.values.compactMap { $0 as? [String: Any] } ?? []
  }

  @Test(arguments: GoldenFiles.variants)
  func everyGoldenPlanLineIsInTheTable(_ variant: GoldenFiles.Variant) throws {
    let text = try String(
      contentsOf: variant.expected.appendingPathComponent(StalwartPlanRenderer.path), encoding: .utf8)
    #expect(StalwartPlanSchema.check(plan: text) == [])
    #expect(text.hasSuffix("\n") && !text.contains("\n\n"))
    for line in text.split(separator: "\n") {
      let op = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(["upsert", "update", "create"].contains(op["@type"] as? String))
      if op["@type"] as? String == "create" { #expect(op["object"] as? String == "Action") }
      #expect(StalwartPlanSchema.objects[op["object"] as? String ?? ""] != nil)
    }
    #expect(StalwartPlanSchema.takenFrom.hasPrefix(StalwartPlanSchema.version.rawValue + "."))
    // The settings reload comes last, after everything it should load.
    #expect(text.split(separator: "\n").last?.contains(#""ReloadSettings""#) == true)
  }

  /// The table refuses what Stalwart 0.16 would: each of these lines has
  /// one thing wrong.
  @Test(arguments: [
    (#"{"@type":"upsert","object":"Listener","matchOn":["name"],"value":{"a":{"name":"smtp"}}}"#, "unknown object"),
    (#"{"@type":"upsert","object":"NetworkListener","matchOn":["name"],"value":{"a":{"name":"smtp","proxy":true}}}"#, "unknown field proxy"),
    (#"{"@type":"upsert","object":"NetworkListener","matchOn":["name"],"value":{"a":{"name":"smtp","protocol":"smtps"}}}"#, "not a NetworkListenerProtocol value"),
    (#"{"@type":"upsert","object":"NetworkListener","matchOn":["name"],"value":{"a":{"name":"smtp","tlsImplicit":"yes"}}}"#, "must be true or false"),
    (#"{"@type":"upsert","object":"NetworkListener","matchOn":["name"],"value":{"a":{"name":"smtp","overrideProxyTrustedNetworks":["edge.example.com"]}}}"#, "not an IP address or network"),
    (#"{"@type":"upsert","object":"MtaRoute","matchOn":["name"],"value":{"a":{"@type":"Smarthost","name":"r"}}}"#, "unknown variant Smarthost"),
    (#"{"@type":"upsert","object":"MtaRoute","matchOn":["name"],"value":{"a":{"name":"r"}}}"#, "must name its variant"),
    (#"{"@type":"upsert","object":"MtaRoute","matchOn":["name"],"value":{"a":{"@type":"Mx","name":"mx","address":"x"}}}"#, "unknown field address"),
    (#"{"@type":"upsert","object":"MtaRoute","matchOn":["name"],"value":{"a":{"@type":"Relay","name":"r","port":70000}}}"#, "outside 1...65535"),
    (##"{"@type":"upsert","object":"Domain","matchOn":["name"],"value":{"d":{"name":"example.com","dnsManagement":{"@type":"Automatic","dnsServerId":"#nowhere"}}}}"##, "no earlier line defines"),
    (#"{"@type":"upsert","object":"Domain","matchOn":["name"],"value":{"d":{"name":"example.com","dnsManagement":{"@type":"Automatic","publishRecords":["dkim","arc"]}}}}"#, "not a DnsRecordType value"),
    (#"{"@type":"upsert","object":"SystemSettings","matchOn":["name"],"value":{"s":{}}}"#, "a singleton is updated"),
    (#"{"@type":"update","object":"AllowedIp","value":{"address":"192.0.2.1"}}"#, "only singletons"),
    (#"{"@type":"upsert","object":"AllowedIp","value":{"a":{"address":"192.0.2.1"}}}"#, "needs matchOn"),
    (#"{"@type":"upsert","object":"AllowedIp","matchOn":["name"],"value":{"a":{"address":"192.0.2.1"}}}"#, "matchOn names name"),
    (#"{"@type":"destroy","object":"AllowedIp"}"#, "upsert, update or create"),
    (#"{"@type":"create","object":"AllowedIp","value":{"a":{"address":"192.0.2.1"}}}"#, "only actions are created"),
    (#"{"@type":"upsert","object":"DnsServer","matchOn":["description"],"value":{"s":{"@type":"Spaceship","description":"d","secret":{"@type":"Env","variableName":"X"}}}}"#, "unknown variant Env"),
    ("not json", "not a JSON object"),
  ])
  func theTableRefusesWhatStalwartWould(_ line: String, _ problem: String) {
    let problems = StalwartPlanSchema.check(plan: line + "\n")
    #expect(problems.contains { $0.contains(problem) }, "\(problems)")
  }

  /// The listeners that trust the tailnet are exactly those the edge's
  /// routes send a PROXY header to, and nothing is trusted globally.
  @Test(arguments: GoldenFiles.variants)
  func listenerTrustMatchesTheEdgeRoutes(_ variant: GoldenFiles.Variant) throws {
    let checked = try GoldenFiles.check(variant)
    let d = checked.deployment
    let ops = try Self.plan(try GoldenFiles.render(variant))
    var trusting: Set<String> = []
    var named: Set<String> = []
    for op in ops where op["object"] as? String == "NetworkListener" {
      for listener in Self.values(op) {
        let name = try #require(listener["name"] as? String)
        named.insert(name)
        let networks = try #require(listener["overrideProxyTrustedNetworks"] as? [String])
        if !networks.isEmpty {
          #expect(networks == ["100.64.0.0/10", "fd7a:115c:a1e0::/48"])
          trusting.insert(name)
        }
      }
    }
    #expect(named == Set(d.stalwart.listeners.map(\.name.value)))
    let proxiedPorts = Set(EdgeRoute.routes(d).filter { $0.proxyProtocol != nil }.map(\.port))
    let expected = Set(d.stalwart.listeners.filter { proxiedPorts.contains($0.port.value.number) }.map(\.name.value))
    #expect(!expected.isEmpty)
    #expect(trusting == expected)
    #expect(!trusting.contains("https") && !trusting.contains("admin"))
    let settings = try #require(ops.first { $0["object"] as? String == "SystemSettings" })
    #expect((settings["value"] as? [String: Any])?["proxyTrustedNetworks"] as? [Any] != nil)
    #expect(((settings["value"] as? [String: Any])?["proxyTrustedNetworks"] as? [Any])?.isEmpty == true)
  }

  /// The same, read from the files an operator deploys: every port the
  /// golden caddy.json proxies to Stalwart with a PROXY header is bound by
  /// a listener the golden plan makes trust the tailnet, and every port it
  /// reaches without one by a listener that trusts nobody.
  @Test(arguments: GoldenFiles.variants)
  func theDeployedFilesAgreeOnTrust(_ variant: GoldenFiles.Variant) throws {
    let caddy = try JSONSerialization.jsonObject(
      with: Data(contentsOf: variant.expected.appendingPathComponent("caddy/caddy.json")))
    var sendsHeader: [Int: Bool] = [:]
    func walk(_ value: Any) {
      if let object = value as? [String: Any] {
        if object["handler"] as? String == "proxy" {
          let dials = (object["upstreams"] as? [[String: Any]] ?? []).flatMap { $0["dial"] as? [String] ?? [] }
          for dial in dials {
            if let port = dial.split(separator: ":").last.flatMap({ Int($0) }) {
              sendsHeader[port] = object["proxy_protocol"] != nil
            }
          }
        }
        object.values.forEach(walk)
      } else if let list = value as? [Any] {
        list.forEach(walk)
      }
    }
    walk(caddy)
    #expect(sendsHeader.values.contains(true) && sendsHeader[443] == false)

    let plan = try String(contentsOf: variant.expected.appendingPathComponent(StalwartPlanRenderer.path), encoding: .utf8)
    var trusts: [Int: Bool] = [:]
    for line in plan.split(separator: "\n") {
      let op = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      guard op["object"] as? String == "NetworkListener" else { continue }
      for listener in Self.values(op) {
        let bind = try #require((listener["bind"] as? [String])?.first)
        let port = try #require(bind.split(separator: ":").last.flatMap { Int($0) })
        trusts[port] = !((listener["overrideProxyTrustedNetworks"] as? [Any]) ?? []).isEmpty
      }
    }
    for (port, header) in sendsHeader {
      #expect(trusts[port] == header, "port \(port): caddy sends a header: \(header), the listener trusts: \(String(describing: trusts[port]))")
    }
    #expect(trusts.filter(\.value).keys.sorted() == sendsHeader.filter(\.value).keys.sorted())
  }

  /// No output holds a secret; the plan names each by variable, and each
  /// such variable is in .env.example and passed in by Compose.
  @Test(arguments: GoldenFiles.variants)
  func secretsAreOnlyVariableReferences(_ variant: GoldenFiles.Variant) throws {
    let outputs = try GoldenFiles.render(variant)
    for output in outputs {
      let dns = output.path.hasPrefix("dns/")
      for line in output.text.split(separator: "\n") {
        if output.path == EnvExampleRenderer.path && !line.hasPrefix("#") {
          #expect(line.hasSuffix("=") && line.filter { $0 == "=" }.count == 1, "a value in .env.example: \(line)")
          continue
        }
        #expect(SecretLiteral.find(in: String(line), randomTokens: !dns) == nil, "\(output.path): \(line)")
      }
    }
    let plan = try #require(outputs.first { $0.path == StalwartPlanRenderer.path }).text
    #expect(!plan.contains(#""Value""#) && !plan.contains(#""secret":""#))
    let example = try #require(outputs.first { $0.path == EnvExampleRenderer.path }).text
    let compose = try #require(outputs.first { $0.path == "docker-compose.yml" }).text
    var referenced: [String] = []
    for op in try Self.plan(outputs) { Self.collectVariables(op, into: &referenced) }
    #expect(!referenced.isEmpty)
    for name in referenced {
      #expect(example.contains("\n\(name)=\n"), "\(name) is not in .env.example")
      #expect(compose.contains("\"\(name)\": \"${\(name):?"), "\(name) is not passed to Stalwart's container")
    }
  }

  static func collectVariables(_ value: Any, into names: inout [String]) {
    if let object = value as? [String: Any] {
      if object["@type"] as? String == "EnvironmentVariable", let name = object["variableName"] as? String {
        names.append(name)
      }
      for child in object.values { collectVariables(child, into: &names) }
    } else if let list = value as? [Any] {
      for child in list { collectVariables(child, into: &names) }
    }
  }

  /// Without a relay the plan routes to MX hosts and says nothing of one.
  @Test func removingTheRelayGivesAnMXRoute() throws {
    var text = try Self.removingBlock(try Self.shipped(), "relay")
    text = try Self.edit(text, "blocks_outbound_smtp: true", "blocks_outbound_smtp: false")
    text = try Self.edit(
      text, "  - src: [tag:stalwart]           # Stalwart relays outbound mail to the mailbox\n    dst: [tag:mail]\n    ip: [tcp:587]\n",
      "")
    let outputs = try Self.render(text)
    let ops = try Self.plan(outputs)
    let routes = ops.filter { $0["object"] as? String == "MtaRoute" }.flatMap(Self.values)
    #expect(routes.count == 1)
    #expect(routes.first?["@type"] as? String == "Mx" && routes.first?["name"] as? String == "mx")
    let strategy = try #require(ops.first { $0["object"] as? String == "MtaOutboundStrategy" })
    let route = (strategy["value"] as? [String: Any])?["route"] as? [String: Any]
    #expect(route?["else"] as? String == "'mx'")
    for output in outputs {
      #expect(!output.text.contains("RELAY_PASSWORD"), "\(output.path)")
      if output.path == StalwartPlanRenderer.path {
        #expect(!output.text.contains("Relay") && !output.text.contains("mailbox"))
      }
    }
  }

  /// A password written in the inventory is refused at its line, and the
  /// message never repeats it.
  @Test func aRelayPasswordInTheInventoryIsRefusedAtItsLine() throws {
    let text = try Self.edit(
      try Self.shipped(), "  password_env: RELAY_PASSWORD", "  password: Wq7n2Lx9vBz4\n  password_env: RELAY_PASSWORD")
    let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  password:") }! + 1
    do {
      _ = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
      Issue.record("a literal relay password was accepted")
    } catch {
      let finding = try #require(error.findings.first { $0.message.contains("relay.password") })
      #expect(finding.span?.start.line == line)
      #expect(finding.isSecret)
      #expect(!error.findings.contains { $0.message.contains("Wq7n2Lx9vBz4") || ($0.help ?? "").contains("Wq7n2Lx9vBz4") })
      #expect(finding.help?.contains("password_env") == true)
    }
  }

  /// The old global key is refused at its line with what replaced it.
  @Test func theGlobalTrustedNetworksKeyIsRefused() throws {
    let text = try Self.edit(
      try Self.shipped(), "  auto_ban_allow: [100.64.0.0/10, 203.0.113.10]\n",
      "  auto_ban_allow: [100.64.0.0/10, 203.0.113.10]\n  proxy_trusted_networks: [100.64.0.0/10]\n")
    let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  proxy_trusted_networks:") }! + 1
    do {
      _ = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
      Issue.record("proxy_trusted_networks was accepted")
    } catch {
      let finding = try #require(error.findings.first)
      #expect(error.findings.count == 1)
      #expect(finding.span?.start == SourceLocation(line: line, column: 3))
      #expect(finding.message.contains("derived per listener from edge.forward"))
    }
  }

  /// Stalwart's share must name at least one kind, each a kind it knows,
  /// once; spellings follow Stalwart's (`mta_sts` is `mtaSts`).
  @Test(arguments: [
    ("publish_records: []", "is empty"),
    ("publish_records: [dkim, arc]", "one of dkim, tlsa"),
    ("publish_records: [dkim, DKIM]", "lists dkim twice"),
  ])
  func publishRecordsIsReadStrictly(_ replace: String, _ problem: String) throws {
    let text = try Self.replacingLine(try Self.shipped(), startingWith: "  publish_records:", with: "  " + replace)
    let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  publish_records:") }! + 1
    do {
      _ = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
      Issue.record("\(replace) was accepted")
    } catch {
      #expect(error.findings.contains { $0.message.contains(problem) && $0.span?.start.line == line }, "\(error.findings.map(\.message))")
    }
  }

  @Test func kindsAreSpelledAsStalwartDoesOrInSnakeCase() throws {
    let text = try Self.replacingLine(
      try Self.shipped(), startingWith: "  publish_records:", with: "  publish_records: [DKIM, tlsa, auto_config]")
    let text2 = try Self.replacingLine(
      text, startingWith: "  publish: [",
      with: "  publish: [mx, spf, dmarc, tls_rpt, mta-sts, srv, caa, autoConfigLegacy, autoDiscover]")
    let loaded = try Inventory.load(bytes: Array(text2.utf8), file: "inventory.yaml")
    #expect(DNSOwnership.stalwartKinds(loaded.deployment) == [.dkim, .tlsa, .autoConfig])
    #expect(DNSOwnership.tailwartKinds(loaded.deployment).isSuperset(of: [.tlsRpt, .mtaSts]))
  }

  @Test(arguments: [
    ("stalwartlabs/stalwart:v0.16", true), ("stalwartlabs/stalwart:v0.16.19", true), ("stalwartlabs/stalwart:0.16.3", true),
    ("registry.example.com:5000/stalwart:v0.16.19@sha256:abcd", true), ("stalwartlabs/stalwart:latest", false),
    ("stalwartlabs/stalwart", false), ("stalwartlabs/stalwart:v1.0", false), ("stalwartlabs/stalwart:v0.15.5", false),
    ("stalwartlabs/stalwart:v0.16-alpine", false), ("registry.example.com:5000/stalwart", false),
  ])
  func theImageTagPicksTheSchema(_ image: String, _ known: Bool) {
    #expect((StalwartSchemaVersion(image: image) == .v0_16) == known)
  }

  /// The domain publishes exactly Stalwart's share; the zone and the
  /// provider payload exactly the rest.
  @Test(arguments: GoldenFiles.variants)
  func eachKindHasOneWriter(_ variant: GoldenFiles.Variant) throws {
    let checked = try GoldenFiles.check(variant)
    let stalwart = DNSOwnership.stalwartKinds(checked.deployment)
    let ops = try Self.plan(try GoldenFiles.render(variant))
    let domain = try #require(ops.first { $0["object"] as? String == "Domain" }.map(Self.values)?.first)
    let published = (domain["dnsManagement"] as? [String: Any])?["publishRecords"] as? [String]
    #expect(Set(published ?? []) == Set(stalwart.map(\.rawValue)))
    // Keys rotate only where Stalwart also publishes them.
    let dkim = (domain["dkimManagement"] as? [String: Any])?["@type"] as? String
    #expect(dkim == (stalwart.contains(.dkim) ? "Automatic" : "Manual"))
    let set = try DNSRecordSet(checked)
    #expect(set.records.allSatisfy { $0.publishKind.map { !stalwart.contains($0) } ?? true })
    #expect(set.stalwartKinds == stalwart.sorted())
  }
}
