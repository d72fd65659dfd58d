import Foundation
import Testing

@testable import TailwartCore

/// A file parsed in pieces side by side must give exactly the tree of the
/// file parsed whole: same nodes, same text, same lines and columns, same
/// HTML. Where a cut would change that, the file is parsed whole.
struct MarkdownPiecesTests {
  /// Where each piece starts among the root's children, and the lines of
  /// the file before it.
  typealias PieceStart = (node: MarkdownNode?, lineOffset: Int)

  /// `bytes` parsed in up to `pieces` pieces, and where they start (one
  /// start when the file was parsed whole).
  static func split(_ bytes: [UInt8], pieces: Int, minimumPieceBytes: Int = 1) -> (MarkdownDocument, [PieceStart]) {
    MarkdownDocument.parse(bytes: bytes, pieces: pieces, minimumPieceBytes: minimumPieceBytes) { nodes, offset, _ in
      (nodes.first, offset)
    }
  }

  /// Every node in document order as "type line:column literal", lines
  /// counted in the whole file.
  static func dump(_ document: MarkdownDocument, _ starts: [PieceStart] = []) -> [String] {
    var out: [String] = []
    var starts = starts[...]
    var offset = 0
    var top = document.root.firstChild
    while let node = top {
      while let start = starts.first, start.node == nil || start.node == node {
        offset = start.lineOffset
        starts.removeFirst()
      }
      var walk = MarkdownWalker(node)
      while let (node, entering) = walk.next() {
        if entering {
          out.append("\(node.typeName) \(node.line == 0 ? 0 : node.line + offset):\(node.column) \(node.literal ?? "")")
        }
      }
      top = node.next
    }
    return out
  }

  /// Parses `text` whole and in pieces as small as one byte and checks the
  /// two agree; returns whether the pieces were kept.
  @discardableResult
  static func expectSameTree(
    _ text: String, pieces: Int = 16, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> Bool {
    let bytes = Array(text.utf8)
    let whole = MarkdownDocument(bytes: bytes)
    let (split, starts) = split(bytes, pieces: pieces)
    #expect(dump(split, starts) == dump(whole), sourceLocation: sourceLocation)
    #expect(split.html(split.root) == whole.html(whole.root), sourceLocation: sourceLocation)
    return starts.count > 1
  }

  static func lesson(_ n: Int) -> String {
    """
    ## \(n). Problem \(n)

    **Symptom:** `os error \(n)` after ~~a restart~~ an upgrade; see www.example.com/\(n) and \
    https://example.org/x?\(n) and Lesson \(max(1, n - 1)).

    - a *list* item
      continued
    - [ ] a task

    | a | b |
    | --- | :-: |
    | \(n) | ~x~ |

    > quoted text
    lazy continuation

    ```sh
    # not a heading \(n), nor ## this
    ```

    """
  }

  @Test func longLessonsFileIsCutAndGivesTheSameTree() {
    let text = "# Lessons\n\nIntro with a ~~struck~~ word.\n\n" + (1...60).map(Self.lesson).joined()
    #expect(Self.expectSameTree(text), "a file of plain lessons is cut")
  }

  @Test func projectAndSharedMarkdownGiveTheSameTree() throws {
    let root = SiteFixture.packageRoot
    let files = [
      root.appendingPathComponent("site/lessons.md"),
      root.deletingLastPathComponent().appendingPathComponent("shared/reference/LESSONS.md"),
      root.deletingLastPathComponent().appendingPathComponent("shared/data/markdown/ms-api-guidelines-2022-10-18.md"),
      root.deletingLastPathComponent().appendingPathComponent("shared/data/markdown/v3.5-data-inconsistency.md"),
    ]
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      Self.expectSameTree(text)
    }
  }

  /// Lines that start with `## ` but are not top-level headings of the
  /// whole file: cutting there would change the tree, so the cut is found
  /// out and the file parsed whole.
  @Test(arguments: [
    "```\n## inside a fence\n```\n",
    "~~~~\n```\n## inside a fence\n~~~~\n",
    "<div>\n## inside an HTML block\n</div>\n",
    "<!--\n\n## inside a comment\n-->\n",
    "<pre>\n\n## inside pre\n</pre>\n",
    "<script>\n## inside a script\n</script>\n",
    "| a | b |\n| - | - |\n## after a table row\n",
  ])
  func cutInsideABlockIsNotKept(_ block: String) {
    let text = "# T\n\n" + (1...3).map(Self.lesson).joined() + block + (4...6).map(Self.lesson).joined()
    Self.expectSameTree(text)
  }

  @Test func linkReferenceDefinitionsKeepTheFileWhole() {
    let text =
      (1...8).map(Self.lesson).joined() + "[later]: https://example.org\n\n" + (9...12).map(Self.lesson).joined()
      + "See [the target][later].\n"
    let bytes = Array(text.utf8)
    let pieces = bytes.withUnsafeBufferPointer { MarkdownPieces($0, count: 8, minimumBytes: 1) }
    #expect(pieces.pieces.count == 1)
    #expect(!Self.expectSameTree(text))
    let (document, starts) = Self.split(bytes, pieces: 8)
    #expect(starts.count == 1)
    #expect(document.html(document.root).contains("<a href=\"https://example.org\">the target</a>"))
  }

  @Test func cutsFallOnHeadingLinesWithTheirLineNumbers() {
    let text = "intro\n\n## 1. a\n\ntext\n\n## 2. b\n\nmore\n## 3. c\nend\n"
    let bytes = Array(text.utf8)
    let cut = bytes.withUnsafeBufferPointer { MarkdownPieces($0, count: 3, minimumBytes: 1) }
    #expect(cut.pieces.count == 3)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var covered = 0
    for piece in cut.pieces {
      #expect(piece.bytes.lowerBound == covered, "pieces cover the file in order")
      covered = piece.bytes.upperBound
      let first = String(decoding: bytes[piece.bytes], as: UTF8.self).split(separator: "\n").first.map(String.init)
      #expect(first == String(lines[piece.line - 1]), "a piece's line is where its bytes start")
      if piece.line > 1 { #expect(first?.hasPrefix("## ") == true) }
    }
    #expect(covered == bytes.count)
  }

  @Test(arguments: ["\r\n", "\r"])
  func carriageReturns(_ newline: String) {
    let text = ((1...12).map(Self.lesson).joined()).replacingOccurrences(of: "\n", with: newline)
    let cut = Array(text.utf8).withUnsafeBufferPointer { MarkdownPieces($0, count: 4, minimumBytes: 1) }
    // A lone carriage return ends a line for cmark but not for the cuts.
    #expect((cut.pieces.count > 1) == (newline == "\r\n"))
    Self.expectSameTree(text)
  }

  @Test func smallFilesAndFewPiecesAreNotCut() {
    let text = (1...4).map(Self.lesson).joined()
    let bytes = Array(text.utf8)
    #expect(bytes.withUnsafeBufferPointer { MarkdownPieces($0, count: 8, minimumBytes: 1 << 20) }.pieces.count == 1)
    #expect(bytes.withUnsafeBufferPointer { MarkdownPieces($0, count: 1, minimumBytes: 1) }.pieces.count == 1)
    #expect(Self.split(bytes, pieces: 8, minimumPieceBytes: 64 << 10).1.count == 1)
    #expect(
      MarkdownDocument.parse(bytes: bytes, pieces: 8) { _, _, _ in () }.1.count == 1,
      "default pieces are 64 KiB or more")
  }

  /// Random files from pieces that open and close blocks in every order
  /// (unclosed fences, HTML blocks, lists, quotes, tables), with headings
  /// between them: whole and in pieces, the trees agree.
  @Test func randomFilesGiveTheSameTree() {
    let blocks = [
      "## 1. heading\n", "## x\n", "##  spaced\n", "### deeper\n", "paragraph ~~struck~~ www.example.com\n",
      "\n", "\n", "```\n", "~~~\n", "    indented\n", "<div>\n", "</div>\n", "<!--\n", "-->\n", "<pre>\n",
      "</pre>\n", "- item\n", "  continued\n", "1. ordered\n", "> quote\n", "| a | b |\n", "| - | - |\n",
      "lazy line\n", "***\n", "Setext\n", "---\n", "==\n", "<https://example.org>\n", "`code ## span`\n",
      "\\## escaped\n", "- ## heading in item\n",
    ]
    var random = SeededRandom(seed: 2_026_112_9)
    var kept = 0
    for _ in 0..<300 {
      var text = ""
      for _ in 0..<Int(random.next() % 60) + 5 { text += blocks[Int(random.next() % UInt64(blocks.count))] }
      if Self.expectSameTree(text, pieces: 1 + Int(random.next() % 12)) { kept += 1 }
    }
    #expect(kept > 30, "some random files were really cut (\(kept))")
  }

  /// In this build, as in the shipped binary, libcmark-gfm sets and clears
  /// the extensions' characters through `InlineCharacters`, so pieces read
  /// their inlines side by side instead of one at a time.
  @Test func piecesFinishSideBySide() {
    #expect(MarkdownDocument.finishesSideBySide)
  }

  /// Extensions that mark characters process-wide (`~` for strikethrough,
  /// `:` and `w` for autolinks) keep working while parsers finish on other
  /// threads.
  @Test func extensionsWorkInEveryPiece() {
    // Many small pieces: many chances for one to finish while another is
    // still reading its inlines.
    let text = (1...400).map(Self.lesson).joined()
    for _ in 0..<10 {
      let (document, starts) = Self.split(Array(text.utf8), pieces: 64)
      #expect(starts.count == 64)
      let html = document.html(document.root)
      #expect(html.components(separatedBy: "<del>").count - 1 == 800)
      #expect(html.components(separatedBy: "<a href=\"http://www.example.com/").count - 1 == 400)
      #expect(html.components(separatedBy: "<a href=\"https://example.org/x?").count - 1 == 400)
    }
  }
  /// In a file long enough for the site build to parse in pieces, what the
  /// build reports still points at the right line of the whole file.
  @Test func siteFindingsKeepTheirLinesInLongFiles() throws {
    var text = "# Lessons\n\n"
    for n in 1...700 { text += Self.lesson(n) }
    let bytes = Array(text.utf8)
    #expect(MarkdownDocument.parse(bytes: bytes, pieces: 4 * ParallelChunks.cores) { _, _, _ in () }.1.count > 1)
    let before = text.split(separator: "\n", omittingEmptySubsequences: false).count
    text += "## 701. Last\n\nSee Lesson 9999 and [a heading](#nowhere).\n\n## 650. Again\n"
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let error = try #require(try fixture.failure(text))
    #expect(error.step == .lessons)
    #expect(error.findings.map { $0.span?.start.line } == [before + 4])
    // Without the repeated number, the cross references are checked.
    let crossError = try #require(try fixture.failure(text.replacingOccurrences(of: "## 650. Again", with: "")))
    let positions = crossError.findings.map { "\($0.span?.start.line ?? 0):\($0.span?.start.column ?? 0)" }
    #expect(positions == ["\(before + 2):12", "\(before + 2):21"])
  }
  /// The outline read piece by piece while parsing is the outline of the
  /// file parsed whole: same pages, lines, ids, summaries and messages.
  @Test func outlineFromPartsIsTheWholeFilesOutline() throws {
    var text = "# Lessons\n\nIntro.\n\n## Setup\n\n### Setup\n\nText.\n\n"
    for n in 1...120 { text += Self.lesson(n) + (n % 7 == 0 ? "### Setup\n\nAgain.\n\n" : "") }
    let source = try LessonsSource(file: "lessons.md", bytes: Array(text.utf8))
    // (The parts point into the document's tree: it stays alive to the end.)
    let (split, parts) = MarkdownDocument.parse(bytes: source.bytes, pieces: 16, minimumPieceBytes: 1) {
      OutlinePart($0, lineOffset: $1, first: $2)
    }
    #expect(parts.count > 1)
    let fromParts = try LessonsOutline.make(parts: parts, source: source)
    let whole = MarkdownDocument(bytes: source.bytes)
    let fromWhole = try LessonsOutline.make(whole, source: source)
    func summary(_ outline: LessonsOutline) -> [String] {
      [outline.title, "\(outline.introHasTitle)", "\(outline.intro.count)"]
        + outline.entries.map {
          "\($0.title)|\($0.line)|\($0.number ?? -1)|\($0.path)|\($0.anchor)|\($0.summary)|\($0.status.label)|"
            + $0.errorMessages.joined(separator: ",") + "|\($0.nodes.count)"
        } + outline.anchors.map { "\($0.key)=\($0.value)" }.sorted()
    }
    #expect(summary(fromParts) == summary(fromWhole))
    #expect(fromParts.entries.count == 121)
    withExtendedLifetime(split) {}
  }
}
