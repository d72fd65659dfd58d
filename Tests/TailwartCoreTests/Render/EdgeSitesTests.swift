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
        - {name: status.example.net, upstream: {host: backend.example.net, port: 3000}}
    """

  static func render(_ text: String) throws -> (json: CaddyConfig, caddyfile: CaddyfileBlocks, text: String) {
    let outputs = try CaddyRenderer.render(try F.checked(text), context: F.context)
    for output in outputs { try CaddyRenderer.selfCheck(output) }
    let json = try JSONDecoder().decode(CaddyConfig.self, from: Data(outputs[1].bytes))
    return (json, try CaddyfileBlocks(parsing: outputs[0].text), outputs[0].text)
  }

  @Test func aSiteIsProxiedToItsUpstreamInBothFiles() throws {
    let text = try F.edit(
      ExampleInventory.text, "  passthrough: [mta-sts, autoconfig, autodiscover]\n", Self.withSite + "\n")
    let r = try Self.render(text)
    let https = try #require(r.json.apps.http?.servers["https"])
    #expect(https.routes.count == 2)
    #expect(https.routes[0].match == [CaddyConfig.HTTPMatch(host: ["status.example.net"])])
    #expect(
      https.routes[0].handle == [
        CaddyConfig.HTTPHandler(
          handler: "reverse_proxy", upstreams: [CaddyConfig.HTTPUpstream(dial: "backend.example.net:3000")])
      ])
    #expect(https.routes[1].handle.first?.abort == true, "any other name is closed")
    #expect(https.automaticHTTPS == nil, "a site gets Caddy's redirects on :80")
    #expect(https.listenerWrappers.map(\.wrapper) == ["layer4", "tls"])

    let site = try #require(r.caddyfile.entries.first { $0.tokens == ["status.example.net"] })
    #expect(site.block?.map(\.tokens) == [["bind", "tcp4/0.0.0.0"], ["reverse_proxy", "backend.example.net:3000"]])
    #expect(!r.text.contains("auto_https disable_redirects"))
  }

  @Test func redirectsOn80FollowTheInventory() throws {
    var text = try F.edit(
      ExampleInventory.text, "  passthrough: [mta-sts, autoconfig, autodiscover]\n",
      Self.withSite + "\n  http_redirects: false\n")
    let r = try Self.render(text)
    #expect(r.json.apps.http?.servers["https"]?.automaticHTTPS == CaddyConfig.AutomaticHTTPS(disableRedirects: true))
    #expect(r.text.contains("\tauto_https disable_redirects\n"))
    // Dual-stack edge: the catch-all and the site bind both families.
    text = try F.edit(
      try F.ipv6Edge(), "  passthrough: [mta-sts, autoconfig, autodiscover]\n",
      Self.withSite + "\n  http_redirects: false\n")
    let both = try Self.render(text)
    #expect(both.json.apps.http?.servers["https"]?.listen == ["tcp4/0.0.0.0:443", "tcp6/[::]:443"])
    let catchAll = try #require(both.caddyfile.entries.first { $0.tokens == [":443"] })
    #expect(catchAll.block?.first?.tokens == ["bind", "tcp4/0.0.0.0", "tcp6/[::]"])
  }

  /// A site's upstream on the tailnet needs a grant from the edge: the
  /// snippet tests it and check refuses the inventory without one.
  @Test func aSiteUpstreamOnTheTailnetIsGrantedAndTested() throws {
    let base = try F.edit(
      ExampleInventory.text, "  passthrough: [mta-sts, autoconfig, autodiscover]\n",
      "  passthrough: [mta-sts, autoconfig, autodiscover]\n  sites:\n    - {name: status.example.net, upstream: {host: mailbox, port: 3000}}\n"
    )
    let loaded = try Inventory.load(bytes: Array(base.utf8), file: "inventory.yaml")
    let result = Checker.check(loaded.deployment)
    #expect(result.checked == nil)
    #expect(
      result.findings.contains { $0.message.contains("tag:reverse-proxy") && $0.message.contains("3000") },
      "\(result.findings.map(\.message))")

    let granted = try F.edit(
      base, "  - src: [tag:stalwart]\n    dst: [tag:mail]",
      "  - src: [tag:reverse-proxy]\n    dst: [tag:mail]\n    ip: [tcp:3000]\n  - src: [tag:stalwart]\n    dst: [tag:mail]"
    )
    let snippet = try ACLRenderer.render(try F.checked(granted), context: F.context)[0]
    #expect(snippet.text.contains("\"tag:mail:3000\""))
  }
}
