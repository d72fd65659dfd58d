import Foundation
import Testing

@testable import TailwartCore

/// How the document is cut into pages, and what the index shows of each.
struct LessonsOutlineTests {
  static func outline(_ markdown: String) throws -> (MarkdownDocument, LessonsOutline) {
    let source = try LessonsSource(file: "lessons.md", bytes: Array(markdown.utf8))
    let document = MarkdownDocument(bytes: source.bytes)
    return (document, try LessonsOutline.make(document, source: source))
  }

  /// Every heading of a page gets its id, its level on the page and an
  /// anchor link, wherever it sits (quote, list, setext, empty), and nothing
  /// that only looks like a heading tag does (code, raw HTML, a table, a
  /// link title).
  @Test func pagesGiveEachHeadingItsIdAndAnchor() throws {
    let (document, outline) = try Self.outline(
      """
      # Title

      ## 1. First <h1> `<h2>` thing

      Text with <h3>raw</h3> and `</h4>`.

      ##

      > ### Quoted

      - item
        #### In a list

      Setext
      ------

      | <h5> | `<h6>` |
      | --- | --- |
      | [x](http://e.com "<h1>") | y |

      ```
      <h1>code</h1>
      ```
      """)
    let html = outline.owners.map { document.html(outline.content(of: $0)) }.joined()
    let opening = try Regex(#"<h([1-6])( id="([^"]*)")?>"#)
    let tags = html.matches(of: opening).map { match in
      "\(match.output[1].substring ?? "")#\(match.output[3].substring ?? "-")"
    }
    // Each page's own heading is its h1; "##" alone starts a section too.
    // (A heading with no text gets no id: HTML allows no empty one.)
    #expect(tags == ["1#title", "1#1-first--h2-thing", "1#-", "2#quoted", "3#in-a-list", "1#setext"])
    for tag in tags where !tag.hasSuffix("#-") {
      let id = String(tag.split(separator: "#", omittingEmptySubsequences: false)[1])
      #expect(html.contains("<a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this heading\">#</a></h"))
    }
    #expect(html.components(separatedBy: "</h").count - 1 == 6)
    #expect(html.contains("&lt;h1&gt;code&lt;/h1&gt;"))
  }

  /// A regular file is read whole; a folder, and a FIFO with no writer
  /// (which an ordinary open would wait on forever), are refused at once.
  @Test func lessonsFilesAreReadWholeAndOnlyRegularOnes() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tailwart-read-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = String(repeating: "## 1. Lesson\n\nSome text, some more text.\n\n", count: 5_000)
    let empty = folder.appendingPathComponent("empty.md").path
    let regular = folder.appendingPathComponent("regular.md").path
    FileManager.default.createFile(atPath: empty, contents: Data())
    FileManager.default.createFile(atPath: regular, contents: Data(text.utf8))
    #expect(try LessonsSource.read(path: empty).bytes.isEmpty)
    #expect(try LessonsSource.read(path: regular).bytes == Array(text.utf8))

    func refusal(_ path: String) -> String? {
      do {
        _ = try LessonsSource.read(path: path)
        return nil
      } catch {
        return error.findings.first?.message
      }
    }
    let pipe = folder.appendingPathComponent("pipe.md").path
    #expect(mkfifo(pipe, 0o600) == 0)
    #expect(refusal(pipe)?.contains("named pipe") == true)
    #expect(refusal(folder.path)?.contains("is a folder") == true)
    #expect(refusal(folder.appendingPathComponent("missing.md").path) == "no such file")
  }

  @Test func statusSummaryAndErrorMessages() throws {
    let (_, outline) = try Self.outline(
      """
      # Lessons

      Intro.

      ## 1. Open one

      **Symptom:** the relay fails with `Connection timed out (os error 110)`. Then more
      text follows. `not an error` is in a second sentence.

      **Cause:** `ignored` here.

      ## 2. Resolved twice

      First paragraph, no symptom. Second sentence.

      > **RESOLVED (2026-06-11)** the easy way.

      RESOLVED (2026-07-02): later still.

      ## 3. Resolved without a date

      Resolved: but lowercase at the start still counts.

      ## 4. Not resolved

      RESOLVEDLY is not a note.
      """)
    #expect(outline.title == "Lessons")
    #expect(outline.entries.map(\.number) == [1, 2, 3, 4])
    #expect(outline.entries.map(\.path) == ["lessons/1.html", "lessons/2.html", "lessons/3.html", "lessons/4.html"])
    #expect(outline.entries[0].status == .open)
    #expect(outline.entries[0].summary == "the relay fails with Connection timed out (os error 110).")
    #expect(outline.entries[0].errorMessages == ["Connection timed out (os error 110)", "not an error"])
    #expect(outline.entries[1].status == .resolved(date: "2026-07-02"))
    #expect(outline.entries[1].summary == "First paragraph, no symptom.")
    #expect(outline.entries[1].errorMessages.isEmpty)
    #expect(outline.entries[2].status == .resolved(date: nil))
    #expect(outline.entries[3].status == .open)
  }

  @Test func documentWithoutNumberedLessonsGetsOnePagePerSection() throws {
    let (_, outline) = try Self.outline(
      """
      # Postmortem

      | a | b |
      |---|---|
      | 1 | 2 |

      ## Summary

      Short.

      ## Root cause

      ### Detail

      ## Summary

      Again.
      """)
    #expect(outline.title == "Postmortem")
    #expect(outline.entries.map(\.number) == [nil, nil, nil])
    #expect(
      outline.entries.map(\.path) == ["lessons/summary.html", "lessons/root-cause.html", "lessons/summary-1.html"])
    #expect(outline.anchors["detail"] == .entry(1))
    #expect(outline.anchors["postmortem"] == .index)
    #expect(outline.intro.children.count == 2)
  }

  @Test func lessonsClaimTheirNumbersBeforeSections() throws {
    let (_, outline) = try Self.outline("## 6\n\nunnumbered heading\n\n## 6. Six\n\ntext\n")
    #expect(outline.entries.map(\.path) == ["lessons/6-2.html", "lessons/6.html"])
  }

  @Test func levelOneHeadingAfterTheTitleStartsASection() throws {
    let (_, outline) = try Self.outline("# Title\n\ntext\n\n# Title\n\n## 1. One\n")
    #expect(outline.introHasTitle)
    #expect(outline.entries.map(\.anchor) == ["title-1", "1-one"])
  }

  @Test func invalidUTF8IsAnErrorAtItsPosition() {
    #expect {
      try LessonsSource(file: "bad.md", bytes: Array("ok\nab".utf8) + [0xC3, 0x28])
    } throws: { error in
      let finding = (error as? FindingsError)?.findings.first
      return finding?.span?.start == TailwartCore.SourceLocation(line: 2, column: 3)
        && finding?.message.contains("UTF-8") == true
    }
  }

  @Test func locationsCountCharactersNotBytes() throws {
    let source = try LessonsSource(file: "x.md", bytes: Array("é — x Lesson 9\n".utf8))
    // "Lesson" starts at byte 10 (é and — take 2 and 3 bytes), character 7.
    #expect(source.location(line: 1, byteColumn: 10) == TailwartCore.SourceLocation(line: 1, column: 7))
  }
}
