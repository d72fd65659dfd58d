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

/// Seeded mutations of real and made-up documents, each built in this
/// process: a trap would end the test run, and a failed build must write
/// nothing and point at a line. `TAILWART_FUZZ_CASES` raises the count
/// (default 300) for a longer run by hand.
struct MarkdownMutationTests {
  /// Pieces a hostile author would paste: references in every inline
  /// container, tables, broken nesting, raw HTML, odd characters.
  static let pieces = [
    "Lesson 1", "lessons 1/2", "#1/#2", "*Lesson* 2", "**Lesson 1**", "~~lesson 2~~", "Lesson 999",
    "\n| a | Lesson 1 |\n| --- | --- |\n| `docker-compose.yml` | [x](javascript:y) ![i](p.png) |\n",
    "| Lesson 2 |", "[x](#nowhere)", "[y](#1-one)", "[z](other.md)", "![i](http://e.com/i.png)",
    "`docker-compose.yml`", "`Caddyfile`", "*", "**", "~~", "_", "`", "```", "\n```\n", "\n# Title\n", "\n## 2. Two\n",
    "\n## 1. Again\n", "\n### Sub Lesson 1\n", "\n> ", "\n- ", "\n1. ", "\n    ", "<h1>", "</h2>", "<script>",
    "&amp;", "&#0;", "\u{0}", "\u{2028}", "\u{202E}", "é", "🙂", "\r\n", "\\", "[", "](", ")", "|", "\n---\n", "\n===\n",
    "- [ ] Lesson 1", "www.example.com", "https://e.com/Lesson 1", "<a href=\"x\">Lesson 1</a>", "[^1]",
  ]

  static let seeds: [String] = [
    "# Notes\n\nIntro, see Lesson 1.\n\n## 1. One\n\n**Symptom:** `boom` then Lesson 2.\n\n## 2. Two\n\n| a | b |\n| --- | --- |\n| Lesson 1 | x |\n\n> RESOLVED (2026-01-02) fixed.\n",
    "## 1. One\n\n- item Lesson 2\n  - *nested* lesson 2\n\n## 2. Two\n\n### Lesson 1 heading\n\nText.\n",
  ]

  /// SplitMix64: the same cases on every machine.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static func mutate(_ text: String, _ random: inout Generator) -> String {
    var scalars = Array(text.unicodeScalars)
    for _ in 0..<Int.random(in: 1...6, using: &random) {
      let at = Int.random(in: 0...scalars.count, using: &random)
      switch Int.random(in: 0..<4, using: &random) {
      case 0, 1:
        scalars.insert(contentsOf: pieces.randomElement(using: &random)!.unicodeScalars, at: at)
      case 2:
        let end = min(scalars.count, at + Int.random(in: 1...40, using: &random))
        if at < end { scalars.removeSubrange(at..<end) }
      default:
        let end = min(scalars.count, at + Int.random(in: 1...80, using: &random))
        if at < end { scalars.insert(contentsOf: scalars[at..<end], at: at) }
      }
    }
    var out = String.UnicodeScalarView()
    out.append(contentsOf: scalars)
    return String(out)
  }

  @Test func mutatedDocumentsNeverTrapAndFailCleanly() throws {
    let cases = Int(ProcessInfo.processInfo.environment["TAILWART_FUZZ_CASES"] ?? "") ?? 300
    var corpus = Self.seeds
    for name in ["odd-headings.md", "v3.5-data-inconsistency.md"] {
      let url = SiteFixture.packageRoot.appendingPathComponent("Tests/TailwartCoreTests/Site/Documents/\(name)")
      corpus.append(try String(contentsOf: url, encoding: .utf8))
    }
    var random = Generator(state: 20_261_205)
    var built = 0
    var refused = 0
    for k in 0..<cases {
      let text = Self.mutate(corpus[k % corpus.count], &random)
      let fixture = try SiteFixture()
      defer { fixture.remove() }
      if let error = try fixture.failure(text, rules: []) {
        refused += 1
        #expect(try fixture.snapshot().isEmpty, "case \(k) failed and wrote: \(text)")
        #expect(error.findings.contains { $0.severity == .error && $0.span != nil }, "case \(k): \(error)")
      } else {
        built += 1
        #expect(fixture.exists("index.html"), "case \(k)")
      }
    }
    // Both outcomes happen: the mutations reach the checks, not only the
    // happy path.
    #expect(built > cases / 10 && refused > cases / 10, "built \(built), refused \(refused)")
  }
}
