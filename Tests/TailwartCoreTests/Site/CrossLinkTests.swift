import Foundation
import Testing

@testable import TailwartCore

/// Cross references are resolved on the AST: prose becomes links, code
/// stays code, and what cannot be resolved stops the build with file:line.
struct CrossLinkTests {
  static let notes = """
    # Notes

    Start with Lesson 2 and the [second part](#2-second).

    ## 1. First

    **Symptom:** `boom: os error 101` on every try.

    See Lesson 2's fix, Lessons 2/3, Lessons 2 and 3, and #2/#3.
    Issue #15 and lesson 6.2 of the manual stay text.
    `Lesson 2` in code stays, and so does the block:

    ```
    Lesson 2 and #2/#3 and docker-compose.yml
    ```

    Jump to [the details](#details) or [the top](#notes).
    The compose file is `docker-compose.yml`, the edge config `Caddyfile`, and `caddy/README.md` is not ours.
    Already linked: [Lesson 3](https://example.com/3).

    ## 2. Second

    Back to lesson 1.

    ### Details

    Text.

    ## 3. Third

    **RESOLVED (2026-06-11)** fixed; see Lesson
    1 for the story.
    """

  static let files = GeneratedFiles(paths: ["docker-compose.yml", "caddy/Caddyfile"], state: .unavailable("test"))

  @Test func referencesAfterAnEmptyLinkOrImageAreStillLinked() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let notes = """
      # Notes

      ## 1. First

      An empty [](https://example.com) link, then Lesson 2; ![](https://example.com/a.png) then lesson 2 again.

      ## 2. Second

      Text.
      """
    try fixture.build(notes, files: Self.files, rules: [])
    let first = try fixture.main("lessons/1.html")
    #expect(first.contains("then <a href=\"2.html\" title=\"2. Second\">Lesson 2</a>;"))
    #expect(first.contains("then <a href=\"2.html\" title=\"2. Second\">lesson 2</a> again"))
  }

  /// A reference links wherever its text sits: a table cell (where cmark
  /// takes only some inlines: this one used to trap), a list, a heading,
  /// emphasis, across emphasis ("*Lesson* 9"), a strikethrough.
  @Test func referencesLinkInTablesListsHeadingsAndEmphasis() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let notes = """
      # Notes

      ## 1. First

      | what | see |
      | --- | --- |
      | a cell | Lesson 2 and `docker-compose.yml` |
      | [bad](javascript:x) | ![img](x.png) and #2/#3 |

      - a list item naming lesson 3
        - nested: Lessons 2/3

      ### Heading about Lesson 2

      *Lesson* 2 by emphasis, **Lesson 3** in bold, ~~lesson 2~~ struck, *see Lesson* 3 half.

      ## 2. Second

      Text.

      ## 3. Third

      Text.
      """
    let report = try fixture.build(notes, files: Self.files, rules: [])
    let first = try fixture.main("lessons/1.html")
    let two = "<a href=\"2.html\" title=\"2. Second\">"
    let three = "<a href=\"3.html\" title=\"3. Third\">"
    #expect(first.contains("<td>\(two)Lesson 2</a> and <a href=\"../files/docker-compose.yml.html\"><code>"))
    #expect(first.contains("<td>bad</td>"), "an unsafe link in a cell keeps its text")
    #expect(first.contains("<td>img and \(two)#2</a>/\(three)#3</a></td>"))
    #expect(first.contains("a list item naming \(three)lesson 3</a>"))
    #expect(first.contains("nested: \(two)Lessons 2</a>/\(three)3</a>"))
    #expect(first.contains("<h2 id=\"heading-about-lesson-2\">\nHeading about \(two)Lesson 2</a>"))
    #expect(first.contains("<p>\(two)<em>Lesson</em> 2</a> by emphasis"))
    #expect(first.contains("<strong>\(three)Lesson 3</a></strong> in bold"))
    #expect(first.contains("<del>\(two)lesson 2</a></del> struck"))
    #expect(first.contains("<em>see \(three)Lesson</a></em>\(three) 3</a> half."))
    #expect(report.warnings.count == 2, "\(report.warnings.map(\.message))")
    #expect(report.warnings.allSatisfy { $0.span?.start.line == 8 })
    // Lesson 2 is mentioned from lesson 1 whichever way.
    #expect(try fixture.main("lessons/2.html").contains("<a href=\"1.html\">1. First</a>"))
  }

  @Test func lessonReferencesBecomeLinksToLessonPages() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    try fixture.build(Self.notes, files: Self.files, rules: [])
    let first = try fixture.main("lessons/1.html")
    #expect(first.contains("See <a href=\"2.html\" title=\"2. Second\">Lesson 2</a>'s fix"))
    #expect(
      first.contains("<a href=\"2.html\" title=\"2. Second\">Lessons 2</a>/<a href=\"3.html\" title=\"3. Third\">3</a>")
    )
    #expect(
      first.contains(
        "<a href=\"2.html\" title=\"2. Second\">Lessons 2</a> and <a href=\"3.html\" title=\"3. Third\">3</a>"))
    #expect(
      first.contains("<a href=\"2.html\" title=\"2. Second\">#2</a>/<a href=\"3.html\" title=\"3. Third\">#3</a>"))
    #expect(first.contains("Issue #15 and lesson 6.2 of the manual stay text."))
    // Code spans and blocks are untouched.
    #expect(first.contains("<code>Lesson 2</code> in code stays"))
    #expect(first.contains("<pre><code>Lesson 2 and #2/#3 and docker-compose.yml\n</code></pre>"))
    // A reference already inside a link is not linked again.
    #expect(first.contains("<a href=\"https://example.com/3\">Lesson 3</a>"))
    // A reference broken over two lines links both halves.
    #expect(
      try fixture.main("lessons/3.html").contains("<a href=\"1.html\" title=\"1. First\">Lesson\n1</a> for the story"))
    // From the index, the link goes down a folder.
    #expect(try fixture.main("index.html").contains("<a href=\"lessons/2.html\" title=\"2. Second\">Lesson 2</a>"))
  }

  @Test func anchorsFollowTheirHeadingToItsPage() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    try fixture.build(Self.notes, files: Self.files, rules: [])
    let first = try fixture.main("lessons/1.html")
    #expect(first.contains("<a href=\"2.html#details\">the details</a>"))
    #expect(first.contains("<a href=\"../index.html#notes\">the top</a>"))
    #expect(try fixture.main("index.html").contains("<a href=\"lessons/2.html#2-second\">second part</a>"))
    #expect(try fixture.main("lessons/2.html").contains("<h2 id=\"details\">"))
  }

  @Test func fileNamesInCodeSpansLinkToTheirPages() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    try fixture.build(Self.notes, files: Self.files, rules: [])
    let first = try fixture.main("lessons/1.html")
    #expect(first.contains("<a href=\"../files/docker-compose.yml.html\"><code>docker-compose.yml</code></a>"))
    #expect(first.contains("<a href=\"../files/caddy/Caddyfile.html\"><code>Caddyfile</code></a>"))
    #expect(first.contains("<code>caddy/README.md</code> is not ours"))
    #expect(fixture.exists("files/caddy/Caddyfile.html"))
  }

  @Test func referencedByAndPreviousNext() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    try fixture.build(Self.notes, files: Self.files, rules: [])
    let two = try fixture.main("lessons/2.html")
    let referrers = try #require(two.range(of: "id=\"Referenced-by\"")).upperBound
    #expect(two[referrers...].contains("<a href=\"1.html\">1. First</a>"))
    #expect(!two[referrers...].contains("<a href=\"3.html\">3. Third</a>"))
    #expect(two.contains("rel=\"prev\" href=\"1.html\""))
    #expect(two.contains("rel=\"next\" href=\"3.html\""))
    let one = try fixture.main("lessons/1.html")
    #expect(one.contains("<a href=\"2.html\">2. Second</a>") && one.contains("<a href=\"3.html\">3. Third</a>"))
  }

  @Test func missingLessonIsAnErrorAtItsLine() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let text = "# T\n\n## 1. One\n\nText.\n\n## 2. Two\n\nAs lessons 1 and 14 show.\n"
    let error = try #require(try fixture.failure(text, file: "notes.md", rules: []))
    #expect(error.step == .crossReferences)
    #expect(error.findings.count == 1)
    let finding = try #require(error.findings.first)
    #expect(finding.file == "notes.md")
    #expect(finding.span?.start == TailwartCore.SourceLocation(line: 9, column: 18))
    #expect(finding.message == "reference to lesson 14, which this file does not have")
    let printed = DiagnosticPrinter(sources: ["notes.md": text]).format(finding)
    #expect(printed.hasPrefix("notes.md:9:18: error: reference to lesson 14"))
    #expect(printed.contains("   9 | As lessons 1 and 14 show.\n     |                  ^~\n"))
    #expect(try fixture.snapshot().isEmpty, "a failed build writes nothing")
  }

  @Test func unknownAnchorIsAnErrorAtItsLine() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let error = try #require(try fixture.failure("# T\n\n## 1. One\n\n> See [there](#nowhere).\n", rules: []))
    #expect(error.step == .crossReferences)
    #expect(error.findings.map(\.message) == ["link to #nowhere, which no heading in this file has"])
    #expect(error.findings.first?.span?.start == TailwartCore.SourceLocation(line: 5, column: 7))
    #expect(try fixture.snapshot().isEmpty)
  }

  @Test func lessonNumbersInADocumentWithoutLessonsAreErrors() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let error = try #require(try fixture.failure("# T\n\n## Background\n\nLesson 3 says so.\n", rules: []))
    #expect(error.findings.first?.help == "the file has no numbered lessons (## N. Title)")
  }

  @Test func duplicateLessonNumberIsAnError() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let error = try #require(try fixture.failure("## 1. One\n\n## 1. Again\n", rules: []))
    #expect(error.step == .lessons)
    #expect(error.findings.first?.span?.start.line == 3)
  }

  static let rule = RuleDescription(
    id: "test-rule", summary: "something", lessons: [2, 7], rationale: "Because `x`.", fix: "Do `y`.",
    triggering: [RuleExample("an example", replacing: "domain: example.com", with: "domain: ↓bad")])

  @Test func ruleWhoseLessonIsMissingWarnsAndItsPageSaysSo() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let report = try fixture.build(Self.notes, rules: [Self.rule])
    #expect(
      report.warnings.map(\.message) == [
        "rule test-rule comes from lesson 7, which this file does not have; its page says so"
      ])
    let page = try fixture.main("rules/test-rule.html")
    #expect(page.contains("This rule comes from lesson 7, which <code>lessons.md</code> does not have"))
    #expect(page.contains("<a href=\"../lessons/2.html\">2. Second</a>"))
    #expect(page.contains("<mark>bad</mark>"))
    #expect(page.contains("<code>x</code>"))
    let two = try fixture.main("lessons/2.html")
    #expect(two.contains("<a href=\"../rules/test-rule.html\"><code>test-rule</code></a>"))
  }

  /// A lesson's badge says what is true: a rule enforces it (linked), it
  /// was resolved on a date, or it is open; on the index, the lesson page
  /// and the rule page alike.
  @Test func badgesSayWhatIsTrue() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    try fixture.build(Self.notes, rules: [Self.rule])
    let index = try fixture.main("index.html")
    let enforced =
      "<span class=\"status status-enforced\">enforced by <a href=\"rules/test-rule.html\"><code>test-rule</code></a></span>"
    #expect(index.contains(enforced), "lesson 2 is enforced by test-rule")
    #expect(index.contains("<span class=\"status status-resolved\">resolved 2026-06-11</span>"), "lesson 3")
    #expect(index.contains("<span class=\"status status-open\">open</span>"), "lesson 1")
    #expect(index.components(separatedBy: "class=\"status ").count - 1 == 3)
    let two = try fixture.main("lessons/2.html")
    #expect(
      two.contains(
        "<span class=\"status status-enforced\">enforced by <a href=\"../rules/test-rule.html\"><code>test-rule</code></a></span>"))
    #expect(!two.contains("status-open"))
    #expect(try fixture.main("rules/test-rule.html").contains("status-enforced"))
  }

  /// However many references to missing lessons a file holds, linking stays
  /// linear and the errors are capped (the rest counted in one more).
  @Test func manyReferencesStayLinearAndMissingOnesAreCapped() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let line = String(repeating: "Lesson 1 and lesson 2, ", count: 20_000)
    let report = try fixture.build("## 1. One\n\n\(line)\n\n## 2. Two\n\n| \(line) |\n|---|\n", rules: [])
    #expect(report.warnings.isEmpty)
    let one = try fixture.main("lessons/1.html")
    #expect(one.components(separatedBy: "<a href=\"2.html\" title=\"2. Two\">lesson 2</a>").count - 1 == 20_000)
    let error = try #require(
      try fixture.failure("## 1. One\n\n" + String(repeating: "Lesson 7 ", count: 5_000) + "\n", rules: []))
    #expect(error.findings.count == CrossLinker.maxMissingReported + 1)
    #expect(error.findings.contains { $0.message == "4900 more references to lessons this file does not have" })
  }

  @Test func strictTurnsWarningsIntoErrors() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let error = try #require(try fixture.failure(Self.notes, strict: true, rules: [Self.rule]))
    #expect(error.step == .crossReferences)
    #expect(error.findings.map(\.severity) == [.error])
    #expect(try fixture.snapshot().isEmpty)
  }

  @Test func errorMessageIndexListsSymptomCodeSpans() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    try fixture.build(Self.notes, rules: [])
    let errors = try fixture.main("errors.html")
    #expect(errors.contains("<code>boom: os error 101</code></td><td><a href=\"lessons/1.html\">1. First</a>"))
    #expect(!errors.contains("<code>Lesson 2</code>"), "only Symptom paragraphs feed the index")
    let search = try fixture.page("search-index.js")
    #expect(search.contains("\"t\":\"boom: os error 101\",\"u\":\"lessons/1.html\",\"k\":\"error\""))
  }
}
