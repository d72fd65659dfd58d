import Foundation
import Testing

@testable import TailwartCore

/// caddy.json decoded back into `CaddyConfig` and checked against the
/// inventory it came from; the Caddyfile read back with `CaddyfileBlocks`
/// and checked to say the same.
struct CaddyRoutesTests {
  struct Rendered {
    var deployment: Deployment
    var config: CaddyConfig
    var raw: [String: Any]
    var caddyfile: CaddyfileBlocks
  }

  static func rendered(_ variant: GoldenFiles.Variant) throws -> Rendered {
    let checked = try GoldenFiles.check(variant)
    let outputs = try CaddyRenderer.render(checked, context: RenderContext(inventoryName: "inventory.yaml"))
    let json = try #require(outputs.first { $0.path == "caddy/caddy.json" })
    let file = try #require(outputs.first { $0.path == "caddy/Caddyfile" })
    let data = Data(json.bytes)
    return Rendered(
      deployment: checked.deployment, config: try JSONDecoder().decode(CaddyConfig.self, from: data),
      raw: try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]),
      caddyfile: try CaddyfileBlocks(parsing: file.text))
  }

  @Test(arguments: GoldenFiles.variants)
  func everyForwardedPortIsALayer4ServerToTheSidecar(_ variant: GoldenFiles.Variant) throws {
    let r = try Self.rendered(variant)
    let d = r.deployment
    let servers = try #require(r.config.apps.layer4?.servers)
    let ports = d.edge.forward.map(\.value.number).filter { $0 != 443 }
    #expect(servers.count == ports.count)
    for port in ports {
      let matching = servers.values.filter { $0.listen.contains("tcp4/0.0.0.0:\(port)") }
      try #require(matching.count == 1, "one layer4 server listens on \(port)")
      let server = matching[0]
      let expectedListen = d.edge.listensIPv6.value ? ["tcp4/0.0.0.0:\(port)", "tcp6/[::]:\(port)"] : ["tcp4/0.0.0.0:\(port)"]
      #expect(server.listen == expectedListen)
      #expect(server.routes.count == 1)
      #expect(server.routes[0].match == nil, "a mail port takes every connection")
      let handler = try #require(server.routes[0].handle.first)
      #expect(handler.handler == "proxy")
      #expect(handler.proxyProtocol == "v2")
      #expect(handler.upstreams == [CaddyConfig.Upstream(dial: ["stalwart.tail7b1641.ts.net:\(port)"])])
    }
    for (name, server) in servers {
      #expect(!server.listen.contains { $0.hasSuffix(":443") }, "layer4 server \(name) must not bind :443")
    }
  }

  @Test(arguments: GoldenFiles.variants)
  func port443PassesTheSNINamesThroughBeforeTLS(_ variant: GoldenFiles.Variant) throws {
    let r = try Self.rendered(variant)
    let servers = try #require(r.config.apps.http?.servers)
    #expect(Array(servers.keys) == ["https"])
    let https = try #require(servers["https"])
    #expect(https.listen == [":443"])
    #expect(https.listenerWrappers.map(\.wrapper) == ["layer4", "tls"], "layer4 must see the ClientHello before tls")
    let routes = try #require(https.listenerWrappers[0].routes)
    #expect(routes.count == 1)
    // The shipped inventory also passes ua-auto-config (Stalwart v0.16) through.
    let names = ["mta-sts", "autoconfig", "autodiscover"] + (variant.name == "shipped" ? ["ua-auto-config"] : [])
    #expect(
      routes[0].match == [
        CaddyConfig.Layer4Match(tls: CaddyConfig.TLSMatch(sni: names.map { "\($0).example.com" }))
      ])
    let handler = try #require(routes[0].handle.first)
    #expect(handler.handler == "proxy")
    #expect(handler.upstreams == [CaddyConfig.Upstream(dial: ["stalwart.tail7b1641.ts.net:443"])])
    #expect(handler.proxyProtocol == nil, "Stalwart's https listener expects no PROXY header in these inventories")
    #expect(https.tlsConnectionPolicies?.count == 1)
  }

  @Test(arguments: GoldenFiles.variants)
  func passthroughNamesAreNeverSites(_ variant: GoldenFiles.Variant) throws {
    let r = try Self.rendered(variant)
    let names = Set(r.deployment.edge.passthrough.map { $0.value.absolute(in: r.deployment.domain.value) })
    // JSON: no HTTP route matches a passthrough name by host.
    let apps = try #require(r.raw["apps"] as? [String: Any])
    let http = try #require(apps["http"] as? [String: Any])
    let servers = try #require(http["servers"] as? [String: [String: Any]])
    for server in servers.values {
      for route in server["routes"] as? [[String: Any]] ?? [] {
        for set in route["match"] as? [[String: Any]] ?? [] {
          let hosts = Set(set["host"] as? [String] ?? [])
          #expect(hosts.isDisjoint(with: names))
        }
      }
    }
    // Caddyfile: the only site block is the catch-all on :443.
    let sites = r.caddyfile.entries.filter { $0.block != nil && !$0.tokens.isEmpty }
    #expect(sites.map(\.tokens) == [[":443"]])
  }

  /// The Caddyfile and caddy.json come from one route table: the same
  /// listeners, upstreams, PROXY versions and SNI names.
  @Test(arguments: GoldenFiles.variants)
  func caddyfileSaysWhatTheJSONSays(_ variant: GoldenFiles.Variant) throws {
    let r = try Self.rendered(variant)
    let global = try #require(r.caddyfile.entries.first { $0.tokens.isEmpty }?.block)
    let layer4 = try #require(global.first { $0.tokens == ["layer4"] }?.block)
    var fromCaddyfile: [[String]: (upstream: String, version: String?)] = [:]
    for server in layer4 {
      let proxy = try #require(server.block?.first { $0.tokens == ["route"] }?.block?.first { $0.tokens == ["proxy"] }?.block)
      let upstream = try #require(proxy.first { $0.tokens.first == "upstream" }?.tokens.last)
      let version = proxy.first { $0.tokens.first == "proxy_protocol" }?.tokens.last
      fromCaddyfile[server.tokens] = (upstream, version)
    }
    let servers = try #require(r.config.apps.layer4?.servers)
    #expect(fromCaddyfile.count == servers.count)
    for server in servers.values {
      let entry = try #require(fromCaddyfile[server.listen], "the Caddyfile has a layer4 server on \(server.listen)")
      let handler = server.routes[0].handle[0]
      #expect(entry.upstream == handler.upstreams[0].dial[0])
      #expect(entry.version == handler.proxyProtocol)
    }

    let wrappers = try #require(
      global.first { $0.tokens == ["servers", ":443"] }?.block?.first { $0.tokens == ["listener_wrappers"] }?.block)
    #expect(wrappers.map(\.tokens) == [["layer4"], ["tls"]])
    let matcher = try #require(wrappers[0].block?.first { $0.tokens.first == "@passthrough" })
    let json = try #require(r.config.apps.http?.servers["https"]?.listenerWrappers[0].routes?[0])
    #expect(matcher.tokens == ["@passthrough", "tls", "sni"] + (json.match?[0].tls?.sni ?? []))
    let proxy = try #require(
      wrappers[0].block?.first { $0.tokens == ["route", "@passthrough"] }?.block?.first { $0.tokens == ["proxy"] }?.block)
    #expect(proxy.map(\.tokens) == [["upstream"] + json.handle[0].upstreams[0].dial])
  }

  @Test func selfCheckRefusesLayer4On443AndTLSBeforeLayer4() throws {
    func output(_ config: CaddyConfig) throws -> Output {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      return Output(path: "caddy/caddy.json", bytes: Array(try encoder.encode(config)))
    }
    let proxy = CaddyConfig.Layer4Handler(
      handler: "proxy", upstreams: [CaddyConfig.Upstream(dial: ["stalwart.tail7b1641.ts.net:443"])], proxyProtocol: nil)
    let route = CaddyConfig.Layer4Route(match: nil, handle: [proxy])
    let on443 = CaddyConfig(
      apps: .init(http: nil, layer4: .init(servers: ["https": .init(listen: ["tcp4/0.0.0.0:443"], routes: [route])])))
    #expect(throws: SelfCheckError.self) { try CaddyRenderer.selfCheck(output(on443)) }

    let reversed = CaddyConfig(
      apps: .init(
        http: .init(servers: [
          "https": .init(
            listen: [":443"],
            listenerWrappers: [.init(wrapper: "tls", routes: nil), .init(wrapper: "layer4", routes: [route])],
            routes: [], tlsConnectionPolicies: nil)
        ]), layer4: nil))
    #expect(throws: SelfCheckError.self) { try CaddyRenderer.selfCheck(output(reversed)) }

    let noUpstream = CaddyConfig(
      apps: .init(
        http: nil,
        layer4: .init(servers: [
          "smtp": .init(
            listen: ["tcp4/0.0.0.0:25"],
            routes: [.init(match: nil, handle: [.init(handler: "proxy", upstreams: [], proxyProtocol: "v2")])])
        ])))
    #expect(throws: SelfCheckError.self) { try CaddyRenderer.selfCheck(output(noUpstream)) }
  }

  @Test func caddyfileBlocksRefuseBrokenStructure() {
    #expect(throws: CaddyfileBlocks.Failure.self) { try CaddyfileBlocks(parsing: "{\n\tlayer4 {\n}\n") }
    #expect(throws: CaddyfileBlocks.Failure.self) { try CaddyfileBlocks(parsing: "}\n") }
    #expect(throws: CaddyfileBlocks.Failure.self) { try CaddyfileBlocks(parsing: "a \"b\n") }
    #expect(throws: CaddyfileBlocks.Failure.self) { try CaddyfileBlocks(parsing: "a { b }\n") }
    let parsed = try? CaddyfileBlocks(parsing: "# c\nsite \"a b\" {\n\trespond \"x \\\"y\\\"\" # note\n}\n")
    #expect(parsed?.entries.first?.tokens == ["site", "a b"])
    #expect(parsed?.entries.first?.block?.first?.tokens == ["respond", "x \"y\""])
  }
}
