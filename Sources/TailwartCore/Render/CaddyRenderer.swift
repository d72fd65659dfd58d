import Foundation

/// caddy/Caddyfile and caddy/caddy.json for the edge box, both from the one
/// table of `EdgeRoute`s: the Caddyfile for people, the JSON for
/// `caddy run --config caddy.json` and for checking.
public enum CaddyRenderer: Renderer {
  public static let paths = ["caddy/Caddyfile", "caddy/caddy.json"]

  public static func render(_ checked: CheckedDeployment, context: RenderContext) throws -> [Output] {
    let d = checked.deployment
    let routes = EdgeRoute.routes(d)
    let redirects = redirectsOnPort80(d)
    return [try caddyfile(routes, redirects: redirects, context: context), try json(routes, redirects: redirects)]
  }

  /// Caddy opens :80 for HTTP→HTTPS redirects only for sites of its own,
  /// and only when the inventory wants them.
  static func redirectsOnPort80(_ d: Deployment) -> Bool {
    !d.edge.sites.isEmpty && d.edge.httpRedirects.value
  }

  /// Caddyfile `bind` hosts for the HTTP app's listeners: the address
  /// families the edge has, and no other.
  static func bindHosts(_ listen: [String]) -> String {
    listen.map { address in
      guard let colon = address.lastIndex(of: ":") else { return address }
      return String(address[..<colon])
    }.joined(separator: " ")
  }

  static func caddyfile(_ routes: [EdgeRoute], redirects: Bool, context: RenderContext) throws -> Output {
    let mail = routes.filter { !$0.isPassthrough && !$0.terminatesTLS }
    let passthrough = routes.first { $0.isPassthrough }
    let sites = routes.filter(\.terminatesTLS)
    let https = passthrough ?? sites.first
    var values: [String: Any] = [
      "header": GeneratedHeader.lines(context),
      "disableRedirects": !redirects,
      "hasHTTPS": https != nil,
      "bind": https.map { bindHosts($0.listen) } ?? "",
      "serversAddress": https?.listen.first ?? ":443",
      "sites": sites.map { ["name": $0.serverNames[0], "upstream": $0.upstream] },
      "hasSites": !sites.isEmpty,
      "hasMail": !mail.isEmpty,
      "mail": mail.map { route -> [String: Any] in
        [
          "listen": route.listen.map(CaddyfileText.token).joined(separator: " "),
          "proxyProtocol": route.proxyProtocol.map { [$0] } ?? [],
          "upstream": route.upstream,
        ]
      },
    ]
    if let route = passthrough {
      values["passthrough"] = [
        "serverNames": route.serverNames.map(CaddyfileText.token).joined(separator: " "),
        "proxyProtocol": route.proxyProtocol.map { [$0] } ?? [],
        "upstream": route.upstream,
      ] as [String: Any]
    }
    let text = try Templates.render("Caddyfile.mustache", values)
    return Output(path: "caddy/Caddyfile", text: text, annotations: annotator.annotations(for: text))
  }

  static func json(_ routes: [EdgeRoute], redirects: Bool) throws -> Output {
    func proxy(_ route: EdgeRoute) -> CaddyConfig.Layer4Handler {
      CaddyConfig.Layer4Handler(
        handler: "proxy", upstreams: [CaddyConfig.Upstream(dial: [route.upstream])], proxyProtocol: route.proxyProtocol)
    }
    var layer4: [String: CaddyConfig.Layer4Server] = [:]
    var http: [String: CaddyConfig.HTTPServer] = [:]
    var httpRoutes: [CaddyConfig.HTTPRoute] = []
    var wrappers: [CaddyConfig.ListenerWrapper] = []
    var httpsListen: [String]?
    for route in routes {
      if route.terminatesTLS {
        httpsListen = httpsListen ?? route.listen
        httpRoutes.append(
          CaddyConfig.HTTPRoute(
            match: [CaddyConfig.HTTPMatch(host: route.serverNames)],
            handle: [CaddyConfig.HTTPHandler(handler: "reverse_proxy", upstreams: [CaddyConfig.HTTPUpstream(dial: route.upstream)])],
            terminal: true))
      } else if route.isPassthrough {
        let wrapped = CaddyConfig.Layer4Route(
          match: [CaddyConfig.Layer4Match(tls: CaddyConfig.TLSMatch(sni: route.serverNames))], handle: [proxy(route)])
        httpsListen = route.listen
        wrappers.append(CaddyConfig.ListenerWrapper(wrapper: "layer4", routes: [wrapped]))
      } else {
        layer4[route.name] = CaddyConfig.Layer4Server(
          listen: route.listen, routes: [CaddyConfig.Layer4Route(match: nil, handle: [proxy(route)])])
      }
    }
    if let listen = httpsListen {
      // Sites first; any other name on :443 is closed.
      http["https"] = CaddyConfig.HTTPServer(
        listen: listen, listenerWrappers: wrappers + [CaddyConfig.ListenerWrapper(wrapper: "tls", routes: nil)],
        routes: httpRoutes + [CaddyConfig.HTTPRoute(handle: [CaddyConfig.HTTPHandler(handler: "static_response", abort: true)])],
        tlsConnectionPolicies: [CaddyConfig.TLSConnectionPolicy()],
        automaticHTTPS: redirects ? nil : CaddyConfig.AutomaticHTTPS(disableRedirects: true))
    }
    let config = CaddyConfig(
      apps: CaddyConfig.Apps(
        http: http.isEmpty ? nil : CaddyConfig.HTTPApp(servers: http),
        layer4: layer4.isEmpty ? nil : CaddyConfig.Layer4App(servers: layer4)))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(config)
    return Output(path: "caddy/caddy.json", bytes: Array(data) + [0x0A])
  }

  static let annotator = LineAnnotator([
    .init("proxy_protocol", lessons: [3], rules: ["auto-ban-allows-edge"]),
    .init("upstream ", lessons: [6], rules: ["magicdns-not-ips"]),
    .init("tls sni", lessons: [5], rules: ["web-endpoints-pass-through"]),
    .init("listener_wrappers", lessons: [5], rules: ["web-endpoints-pass-through"]),
    .init("bind tcp", lessons: [13], rules: ["mail-aaaa-needs-v6-edge"]),
  ])

  public static func selfCheck(_ output: Output) throws {
    switch output.path {
    case "caddy/Caddyfile":
      do {
        _ = try CaddyfileBlocks(parsing: output.text)
      } catch {
        throw SelfCheckError(path: output.path, problem: error.description)
      }
    default:
      try checkJSON(output)
    }
  }

  static func checkJSON(_ output: Output) throws {
    let data = Data(output.bytes)
    let config: CaddyConfig
    do {
      _ = try JSONSerialization.jsonObject(with: data)
      config = try JSONDecoder().decode(CaddyConfig.self, from: data)
    } catch {
      throw SelfCheckError(path: output.path, problem: "\(error)")
    }
    for (name, server) in config.apps.layer4?.servers ?? [:] {
      if server.listen.contains(where: { $0.hasSuffix(":443") }) {
        throw SelfCheckError(path: output.path, problem: "layer4 server \(name) binds :443, which the HTTP app owns")
      }
    }
    for (name, server) in config.apps.http?.servers ?? [:] {
      let kinds = server.listenerWrappers.map(\.wrapper)
      if let l4 = kinds.firstIndex(of: "layer4"), kinds.firstIndex(of: "tls").map({ $0 < l4 }) ?? true {
        throw SelfCheckError(path: output.path, problem: "server \(name): the layer4 wrapper must come before tls")
      }
    }
    let handlers = (config.apps.layer4?.servers.values.flatMap { $0.routes } ?? [])
      + (config.apps.http?.servers.values.flatMap { $0.listenerWrappers.flatMap { $0.routes ?? [] } } ?? [])
    for handler in handlers.flatMap(\.handle) where handler.upstreams.isEmpty || handler.upstreams.contains(where: \.dial.isEmpty) {
      throw SelfCheckError(path: output.path, problem: "a \(handler.handler) handler without an upstream to dial")
    }
  }
}
