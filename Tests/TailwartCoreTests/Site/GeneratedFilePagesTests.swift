import Foundation
import Testing

@testable import TailwartCore

/// One page per generated file: its text with line anchors, annotated lines
/// linked to their lesson or rule.
struct GeneratedFilePagesTests {
  static let notes = "# N\n\n## 1. One\n\nSee `docker-compose.yml`.\n\n## 6. Six\n\nText.\n"

  @Test func renderedFilesGetLineAnchorsAndLinks() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    try fixture.build(Self.notes, files: try FakeRenderer.files())
    let compose = try fixture.main("files/docker-compose.yml.html")
    #expect(compose.contains("<tr id=\"L1\"><td class=\"ln\"><a href=\"#L1\">1</a></td>"))
    #expect(compose.contains("<tr id=\"L5\" class=\"noted\">"))
    #expect(compose.contains("nc -z the-record-prod 5432 &amp;&amp; echo &lt;ok&gt; &amp; done"))
    #expect(compose.contains("<td class=\"why\"><a href=\"../lessons/1.html\">lesson 1</a></td>"))
    #expect(
      compose.contains(
        "<a href=\"../lessons/6.html\">lesson 6</a> <span class=\"quiet\">lesson 99</span> <a href=\"../rules/magicdns-not-ips.html\"><code>magicdns-not-ips</code></a>"
      ))
    #expect(compose.contains("7 lines"))
    let caddy = try fixture.main("files/caddy/Caddyfile.html")
    #expect(caddy.contains("mail.example.com {"))
    #expect(caddy.contains("<code>no-such-rule</code>"), "an unknown rule id is shown, not linked")
    #expect(caddy.contains("href=\"../../assets/site.css\"") == false)
    #expect(try fixture.page("files/caddy/Caddyfile.html").contains("href=\"../../assets/site.css\""))

    let six = try fixture.main("lessons/6.html")
    #expect(six.contains("<a href=\"../files/docker-compose.yml.html#L7\"><code>docker-compose.yml</code> line 7</a>"))
    let rule = try fixture.main("rules/magicdns-not-ips.html")
    #expect(rule.contains("<a href=\"../files/docker-compose.yml.html#L7\">"))
    #expect(
      try fixture.main("lessons/1.html").contains(
        "<a href=\"../files/docker-compose.yml.html\"><code>docker-compose.yml</code></a>"))
    #expect(try fixture.main("files.html").contains("<a href=\"files/caddy/Caddyfile.html\">"))
  }

  @Test func inventoryFailingCheckStillBuildsAndSaysWhy() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let files = GeneratedFiles.catalog(
      nil, context: RenderContext(inventoryName: "inventory.yaml"),
      reason: "inventory.yaml fails tailwart check (2 errors)", paths: FakeRenderer.paths, render: FakeRenderer.render)
    try fixture.build(Self.notes, files: files)
    let page = try fixture.main("files/docker-compose.yml.html")
    #expect(
      page.contains("This file could not be rendered for this build: inventory.yaml fails tailwart check (2 errors)"))
    #expect(try fixture.main("files.html").contains("The files could not be rendered for this build"))
    // Links to the file still land on a page.
    #expect(try fixture.main("lessons/1.html").contains("href=\"../files/docker-compose.yml.html\""))
  }

  @Test func pageSetFollowsTheCatalog() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let catalog = GeneratedFiles.catalog(nil, context: RenderContext(inventoryName: "i.yaml"), reason: "none")
    try fixture.build(Self.notes, files: catalog)
    // A dot file (.env.example) gets no page: no page name starts with a dot.
    let expected = Set(RenderCatalog.all.flatMap { $0.paths }.filter(OutputPath.isSafe).map { "files/\($0).html" })
    let pages = Set(try fixture.snapshot().keys.filter { $0.hasPrefix("files/") })
    #expect(pages == expected)
    let compose = try fixture.main("lessons/1.html")
    if expected.contains("files/docker-compose.yml.html") {
      #expect(compose.contains("<a href=\"../files/docker-compose.yml.html\"><code>docker-compose.yml</code></a>"))
    } else {
      #expect(compose.contains("See <code>docker-compose.yml</code>."), "no page, no link")
    }
  }
}
