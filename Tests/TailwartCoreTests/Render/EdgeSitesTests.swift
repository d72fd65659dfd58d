import Foundation
import Testing

@testable import TailwartCore

/// `edge.sites`: each site gets a reverse_proxy to its upstream, in the
/// Caddyfile and in caddy.json alike; :80 answers only when there are sites
/// and the inventory wants redirects; :443 binds the edge's families only.
struct EdgeSitesTests {
  typealias F = DNSACLFixtures

  static let withSite = """
      passthrough: [mta-sts, autoconfig, autodiscover]
      sites:
        - {name: status.example.net, upstream: {host: the-record-prod, port: 3000}}
    """

  static func render(_ text: String) throws -> (json: CaddyConfig, caddyfile: CaddyfileBlocks, text: String) {
    let outputs = try CaddyRenderer.render(try F.checked(text), context: F.context)
    for output in outputs { try CaddyRenderer.selfCheck(output) }
    let json = try JSONDecoder().decode(CaddyConfig.self, from: Data(outputs[1].bytes))
    return (json, try CaddyfileBlocks(parsing: outputs[0].text), outputs[0].text)
  }

  @Test func aSiteIsProxiedToItsUpstreamInBothFiles() throws {
    let text = try F.edit(ExampleInventory.text, "  passthrough: [mta-sts, autoconfig, autodiscover]\n", Self.withSite + "\n")
    let r = try Self.render(text)
    let https = try #require(r.json.apps.http?.servers["https"])
    #expect(https.routes.count == 2)
    #expect(https.routes[0].match == [CaddyConfig.HTTPMatch(host: ["status.example.net"])])
    #expect(https.routes[0].handle == [
      CaddyConfig.HTTPHandler(handler: "reverse_proxy", upstreams: [CaddyConfig.HTTPUpstream(dial: "the-record-prod.tail7b1641.ts.net:3000")])
    ])
    #expect(https.routes[1].handle.first?.abort == true, "any other name is closed")
    #expect(https.automaticHTTPS == nil, "a site gets Caddy's redirects on :80")
    #expect(https.listenerWrappers.map(\.wrapper) == ["layer4", "tls"])

    let site = try #require(r.caddyfile.entries.first { $0.tokens == ["status.example.net"] })
    #expect(site.block?.map(\.tokens) == [["bind", "tcp4/0.0.0.0"], ["reverse_proxy", "the-record-prod.tail7b1641.ts.net:3000"]])
    #expect(!r.text.contains("auto_https disable_redirects"))
  }

  @Test func redirectsOn80FollowTheInventory() throws {
    var text = try F.edit(ExampleInventory.text, "  passthrough: [mta-sts, autoconfig, autodiscover]\n", Self.withSite + "\n  http_redirects: false\n")
    let r = try Self.render(text)
    #expect(r.json.apps.http?.servers["https"]?.automaticHTTPS == CaddyConfig.AutomaticHTTPS(disableRedirects: true))
    #expect(r.text.contains("\tauto_https disable_redirects\n"))
    // Dual-stack edge: the catch-all and the site bind both families.
    text = try F.edit(
      try F.ipv6Edge(), "  passthrough: [mta-sts, autoconfig, autodiscover]\n", Self.withSite + "\n  http_redirects: false\n")
    let both = try Self.render(text)
    #expect(both.json.apps.http?.servers["https"]?.listen == ["tcp4/0.0.0.0:443", "tcp6/[::]:443"])
    let catchAll = try #require(both.caddyfile.entries.first { $0.tokens == [":443"] })
    #expect(catchAll.block?.first?.tokens == ["bind", "tcp4/0.0.0.0", "tcp6/[::]"])
  }
}
