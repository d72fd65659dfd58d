import Testing

@testable import TailwartCore

/// Heading ids match GitHub's, so anchors written for GitHub keep working.
struct HeadingSluggerTests {
  @Test(arguments: [
    (
      "6. The sidecar is ephemeral — never hardcode its tailnet IP",
      "6-the-sidecar-is-ephemeral--never-hardcode-its-tailnet-ip"
    ),
    ("7.4.3. Creating resources via PATCH (UPSERT semantics)", "743-creating-resources-via-patch-upsert-semantics"),
    ("ErrorResponse : Object", "errorresponse--object"),
    ("14.2. Return Codes (429 vs 503)", "142-return-codes-429-vs-503"),
    (
      "Stalwart's auto-ban vs PROXY protocol (the \"8080 mystery\")",
      "stalwarts-auto-ban-vs-proxy-protocol-the-8080-mystery"
    ),
    ("snake_case and kebab-case", "snake_case-and-kebab-case"),
    ("Café Ünïcode 日本語", "café-ünïcode-日本語"),
    ("Emoji 🚀 dropped", "emoji--dropped"),
    ("", ""),
  ])
  func base(_ text: String, _ id: String) {
    var slugger = HeadingSlugger()
    #expect(slugger.slug(text) == id)
  }

  @Test func duplicatesAreNumberedInDocumentOrder() {
    var slugger = HeadingSlugger()
    #expect(slugger.slug("Examples") == "examples")
    #expect(slugger.slug("Examples") == "examples-1")
    #expect(slugger.slug("examples") == "examples-2")
    #expect(slugger.slug("Other") == "other")
  }

  @Test func numberedDuplicateSkipsAnIdAlreadyTaken() {
    // GitHub: a heading literally named "a-1" keeps its id; the second "a"
    // then becomes "a-2".
    var slugger = HeadingSlugger()
    #expect(slugger.slug("a") == "a")
    #expect(slugger.slug("a-1") == "a-1")
    #expect(slugger.slug("a") == "a-2")
  }

  @Test func idsOnPagesCarryAVisibleAnchorLink() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    try fixture.build(
      """
      # Notes

      ## 1. First

      ### `code` and **bold**

      ### Details

      ## 2. Second

      ### Details
      """, rules: [])
    let first = try fixture.main("lessons/1.html")
    #expect(first.contains("<h1 id=\"1-first\">"))
    #expect(first.contains("<h2 id=\"code-and-bold\">"))
    #expect(first.contains("<h2 id=\"details\">"))
    #expect(first.contains("<a class=\"anchor\" href=\"#details\""))
    let second = try fixture.main("lessons/2.html")
    #expect(second.contains("<h2 id=\"details-1\">"))
    #expect(second.contains("href=\"#details-1\""))
    #expect(try fixture.main("index.html").contains("<h1 id=\"notes\">"))
  }
}
