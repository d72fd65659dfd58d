import Foundation
import Testing

@testable import TailwartCore

/// Markdown nobody should trust: raw HTML, script URLs, path-like titles.
struct HostileMarkdownTests {
  static let hostile = """
    # <script>alert('title')</script>Notes

    <script>alert(1)</script>

    <img src=x onerror=alert(2)>

    ## 1. ../../../../tmp/escape

    [click](javascript:alert(3)) [case](JaVaScRiPt:alert(4)) [spaced](<java script:alert(5)>)
    [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==) ![pic](data:image/png;base64,AAAA)
    [vb](vbscript:msgbox) [file](file:///etc/passwd) [entity](&#106;avascript:alert(7))
    <a href="javascript:alert(8)">raw</a> and <span onclick="x">inline</span>.

    ## ../../../outside

    Text.

    ## /etc/passwd

    ## ..

    ## 2. <b>bold</b> "quoted" & 'single'
    """

  @Test func nothingExecutableReachesThePages() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let report = try fixture.build(Self.hostile, rules: [])
    for (path, data) in try fixture.snapshot() where path.hasSuffix(".html") {
      let html = String(decoding: data, as: UTF8.self).lowercased()
      #expect(!html.contains("<script>alert"), "\(path)")
      #expect(!html.contains("javascript:"), "\(path)")
      #expect(!html.contains("vbscript:"), "\(path)")
      #expect(!html.contains("data:"), "\(path)")
      #expect(!html.contains("file:///etc"), "\(path)")
      #expect(!html.contains("onerror"), "\(path)")
      #expect(!html.contains("onclick"), "\(path)")
      // The only scripts are the site's own, on the search page.
      let scripts = html.components(separatedBy: "<script").count - 1
      #expect(scripts == (path == "search.html" ? 2 : 0), "\(path)")
    }
    let one = try fixture.main("lessons/1.html")
    #expect(one.contains("<span class=\"unlinked\">click</span>"))
    #expect(one.contains("<span class=\"unlinked\">pic</span>"))
    #expect(one.contains("<!-- raw HTML omitted -->"))
    #expect(report.warnings.count == 8, "\(report.warnings.map(\.message))")
    #expect(report.warnings.allSatisfy { $0.span != nil })
  }

  @Test func pathLikeTitlesStayInsideTheOutputFolder() throws {
    let parent = try SiteFixture()
    defer { parent.remove() }
    let fixture = SiteFixtureInside(parent.output.appendingPathComponent("site"))
    try FileManager.default.createDirectory(at: fixture.output, withIntermediateDirectories: true)
    try fixture.build(Self.hostile)
    let files = try parent.snapshot().keys.sorted()
    #expect(files.allSatisfy { $0.hasPrefix("site/") }, "\(files)")
    #expect(files.contains("site/lessons/1.html"))
    #expect(files.contains("site/lessons/outside.html"))
    #expect(files.contains("site/lessons/etcpasswd.html"))
    #expect(files.contains("site/lessons/section-4.html"), "a title with no usable character still gets a page")
    for file in files where file.hasPrefix("site/lessons/") {
      let name = file.dropFirst("site/lessons/".count)
      #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }, "\(name)")
    }
    // The title is text, escaped, in the page title and the heading.
    let two = try fixture.page("lessons/2.html")
    #expect(
      two.contains("<title>2. bold &quot;quoted&quot; &amp; &#39;single&#39; · alert(&#39;title&#39;)Notes</title>"))
  }

  @Test func writerRefusesSymbolicLinksOutOfTheFolder() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let elsewhere = try SiteFixture()
    defer { elsewhere.remove() }
    try FileManager.default.createSymbolicLink(
      at: fixture.output.appendingPathComponent("lessons"), withDestinationURL: elsewhere.output)
    #expect(throws: SiteError.self) { try fixture.build("## 1. One\n", rules: []) }
    #expect(try elsewhere.snapshot().isEmpty)
  }

  @Test func unsafePathsNeverReachTheDisk() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    var writer = try SiteWriter(root: fixture.output)
    for path in ["../x.html", "/etc/x", "a/../../x", ".hidden", "a//b", ""] {
      #expect(throws: SiteError.self, "\(path)") { try writer.write(path: path, bytes: Array("x".utf8)) }
    }
    #expect(try fixture.snapshot().isEmpty)
  }
}

/// A fixture whose output folder is given (for checking what lands beside it).
struct SiteFixtureInside {
  let output: URL
  init(_ output: URL) { self.output = output }

  @discardableResult
  func build(_ markdown: String) throws -> SiteReport {
    let source = try LessonsSource(file: "lessons.md", bytes: Array(markdown.utf8))
    return try SiteBuilder.build(
      source, files: GeneratedFiles(paths: [], state: .unavailable("none")), output: output, rules: [])
  }

  func page(_ path: String) throws -> String {
    try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
  }
}
