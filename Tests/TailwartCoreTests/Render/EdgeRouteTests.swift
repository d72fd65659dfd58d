import Testing

@testable import TailwartCore

struct EdgeRouteTests {
  static func routes(_ edits: [(String, String)] = []) throws -> [EdgeRoute] {
    var text = ExampleInventory.text
    for (find, replace) in edits {
      try #require(text.components(separatedBy: find).count == 2, "\(find)")
      text = text.replacingOccurrences(of: find, with: replace)
    }
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    return EdgeRoute.routes(loaded.deployment)
  }

  @Test func mailPortsThenThePassthrough() throws {
    let routes = try Self.routes()
    #expect(routes.map(\.port) == [25, 465, 587, 993, 443])
    #expect(routes.map(\.name) == ["smtp", "submissions", "submission", "imaps", "https"])
    #expect(routes.allSatisfy { $0.upstream.hasPrefix("stalwart.tail7b1641.ts.net:") })
    #expect(routes.last?.serverNames == ["mta-sts.example.com", "autoconfig.example.com", "autodiscover.example.com"])
    #expect(routes.last?.proxyProtocol == nil)
    #expect(routes.dropLast().allSatisfy { $0.proxyProtocol == "v2" && $0.listen == ["tcp4/0.0.0.0:\($0.port)"] })
  }

  @Test func port443IsNeverALayer4ServerOfItsOwn() throws {
    let routes = try Self.routes([("forward: [25, 465, 587, 993]", "forward: [25, 443, 25]")])
    #expect(routes.map(\.port) == [25, 443])
    #expect(routes.filter { $0.port == 443 }.allSatisfy { $0.isPassthrough })
  }

  /// The :443 passthrough never carries a PROXY header: Stalwart v0.16
  /// would drop the tailnet's header-less connections to that listener.
  @Test func thePassthroughNeverGetsAHeader() throws {
    let routes = try Self.routes([("proxy_protocol: v2", "proxy_protocol: v1")])
    #expect(routes.last?.isPassthrough == true)
    #expect(routes.last?.proxyProtocol == nil)
    #expect(routes.first?.proxyProtocol == "v1")
  }

  @Test func ipv6ListenersWhenTheEdgeListensOnIPv6() throws {
    let routes = try Self.routes([("listen_ipv6: false", "listen_ipv6: true\n  public_ipv6: 2001:db8::10")])
    #expect(routes.first?.listen == ["tcp4/0.0.0.0:25", "tcp6/[::]:25"])
    #expect(routes.last?.listen == ["tcp4/0.0.0.0:443", "tcp6/[::]:443"])
  }

  @Test func noPassthroughNoHTTPServer() throws {
    let routes = try Self.routes([("  passthrough: [mta-sts, autoconfig, autodiscover]\n", "")])
    #expect(!routes.contains { $0.isPassthrough })
  }
}
