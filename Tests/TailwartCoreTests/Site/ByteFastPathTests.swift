import Testing

@testable import TailwartCore

/// Text the site reads thousands of times is read as bytes where that gives
/// the same answer as reading characters. Each fast path is checked against
/// the plain character-by-character reading, on hand-picked cases and on
/// many random strings built from the characters that could tell them
/// apart (combining marks, non-ASCII digits and spaces, CRLF).
struct ByteFastPathTests {
  /// Characters and pieces that make the random strings.
  static let pieces = [
    "1", "2", "0", "9", ".", " ", "\t", "a", "Z", "é", "e\u{301}", "\u{301}", "٦", "\u{00A0}", "\r\n", "<", ">", "&",
    "\"", "'", "\\", "\n", "\u{2028}", "日", "🚀", ":",
  ]

  /// A deterministic generator: failures reproduce.
  struct Random {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  static func strings(_ count: Int, seed: UInt64, maxPieces: Int = 8) -> [String] {
    var random = Random(state: seed)
    return (0..<count).map { _ in
      (0..<random.next(maxPieces + 1)).map { _ in pieces[random.next(pieces.count)] }.joined()
    }
  }

  /// How lesson numbers were read before the byte path: by characters.
  static func lessonNumberByCharacters(_ title: String) -> Int? {
    let digits = title.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, digits.count <= LessonReferenceScanner.maxDigits else { return nil }
    let rest = title.dropFirst(digits.count)
    guard rest.hasPrefix("."), rest.dropFirst().first?.isWhitespace ?? false else { return nil }
    return Int(digits)
  }

  @Test(arguments: [
    ("6. Title", 6), ("12.\tTab", 12), ("006. Padded", 6), ("6. ", 6), ("123456. Six digits", 123_456),
  ])
  func lessonNumbers(_ title: String, _ number: Int) {
    #expect(LessonsOutline.lessonNumber(title) == number)
  }

  @Test(arguments: [
    "6.Title", "6 . Title", "x6. Title", "6.", "", "1234567. Seven digits", "٦. Arabic digit",
    "6.\u{301} Dot with a mark",
    "6\u{301}. Digit with a mark",
  ])
  func notLessonNumbers(_ title: String) {
    #expect(LessonsOutline.lessonNumber(title) == nil)
  }

  @Test func lessonNumbersReadAsCharactersWouldBe() {
    var titles = Self.strings(3_000, seed: 1)
    // Mostly titles that start like a lesson's, so the interesting paths run.
    titles += Self.strings(3_000, seed: 2, maxPieces: 4).map { "7." + $0 }
    titles += Self.strings(3_000, seed: 3, maxPieces: 4).map { "42. " + $0 }
    for title in titles {
      #expect(
        LessonsOutline.lessonNumber(title) == Self.lessonNumberByCharacters(title),
        "\(title.unicodeScalars.map { String($0.value, radix: 16) })")
    }
  }

  /// How a Symptom paragraph's text was read before the byte path.
  static func symptomTextByCharacters(_ text: String) -> String? {
    for word in ["symptoms", "symptom"] where text.lowercased().hasPrefix(word) {
      let rest = text.dropFirst(word.count)
      guard rest.hasPrefix(":") else { return nil }
      return String(rest.dropFirst()).trimmed
    }
    return nil
  }

  @Test func symptomParagraphsReadAsCharactersWouldBe() {
    let heads = ["Symptom", "SYMPTOMS", "symptom", "Sympt", "Symptômes", "Symptom\u{301}", "Symptoms\u{301}"]
    var random = Random(state: 6)
    for tail in Self.strings(1_500, seed: 7, maxPieces: 6) {
      let head = heads[random.next(heads.count)]
      for text in [head + ":" + tail, head + tail, head + ": " + tail, tail] {
        #expect(LessonsOutline.symptomText(text) == Self.symptomTextByCharacters(text), "\(text)")
      }
    }
  }

  @Test(arguments: [
    ("RESOLVED (2026-06-11) held", "2026-06-11"), ("Resolved: it works", ""), ("RESOLVED 2026-6-11", ""),
    ("resolved on 2025-12-31.", "2025-12-31"),
  ])
  func resolvedNotes(_ text: String, _ date: String) {
    #expect(LessonsOutline.resolvedNote(text) == date)
  }

  @Test(arguments: ["Resolvedly", "RESOLVE", "Note: RESOLVED (2026-06-11)", ""])
  func notResolvedNotes(_ text: String) {
    #expect(LessonsOutline.resolvedNote(text) == nil)
  }

  /// Lesson references become one inline node holding HTML made here: it
  /// must be what cmark-gfm itself writes for the text and link nodes it
  /// replaces.
  @Test func runHTMLIsWhatCmarkWritesForTheNodes() throws {
    let document = MarkdownDocument("x [y](z)")
    let paragraph = try #require(document.root.firstChild)
    let text = try #require(paragraph.firstChild)
    let link = try #require(text.next)
    for sample in Self.strings(1_500, seed: 8, maxPieces: 10) + ["", "a & b < c > d \"e\" 'f'", "&amp; already"] {
      // A run's text never holds a line break: cmark makes those soft breaks.
      let literal = sample.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
      text.literal = literal
      link.url = "../lessons/12.html"
      link.title = literal
      var ours: [UInt8] = Array("<p>".utf8)
      CrossLinker.appendTextHTML(ArraySlice(literal.utf8), to: &ours)
      ours += CrossLinker.linkOpening(url: "../lessons/12.html", title: literal)
      ours += Array("y</a></p>\n".utf8)
      #expect(String(decoding: ours, as: UTF8.self) == document.html(paragraph), "\(literal)")
    }
  }

  /// Literals are read straight from cmark-gfm's node struct: the same
  /// bytes as its own getter gives, for every kind of node, read before
  /// the getter has made its copy.
  @Test func literalsReadFromTheNodeAreCmarksOwn() throws {
    var texts = [
      """
      # Title & *more*

      Text with `code`, ``a ` b``, `` (empty span: ` `), <span>inline</span>, &amp; &#35; &copy;
      and a soft break, a hard one\\
      here, ~~struck~~ and www.example.com and https://example.org/x?y=1.

          indented code

      ```yaml
      key: "value"   # comment
      ```

      ```
      ```

      <div>
      block html
      </div>

      | a | b |
      | --- | --- |
      | `c` | d <br> |

      - [ ] task
      - [x] done é ü 日本 🙂

      > quoted \u{0}NUL and \r\ncrlf
      """
    ]
    for path in ["site/lessons.md", "../shared/reference/LESSONS.md"] {
      if let text = try? String(contentsOfFile: path, encoding: .utf8) { texts.append(text) }
    }
    #expect(texts.count == 3, "the project's and the reference lessons are read from the package folder")
    var compared = 0
    for text in texts {
      let document = MarkdownDocument(text)
      var walk = MarkdownWalker(document.root)
      while let (node, entering) = walk.next() {
        guard entering else { continue }
        let ours = node.literal
        let bytes = node.withLiteralBytes { Array($0) }
        let cmarks = node.literalFromCmark
        #expect(ours == cmarks, "\(node.typeName) at line \(node.line)")
        #expect(bytes == Array((cmarks ?? "").utf8), "\(node.typeName) at line \(node.line)")
        if cmarks != nil { compared += 1 }
      }
    }
    #expect(compared > 500)
  }

  /// How an example's highlight was written before: character by character.
  static func markedByCharacters(_ text: String) -> String {
    var out = ""
    var highlight = false
    var opened = false
    for character in text {
      if character == RuleExample.marker {
        if highlight, opened { out += "</mark>" }
        highlight = true
        opened = false
        continue
      }
      if highlight, character.isWhitespace || ",]}".contains(character) {
        if opened { out += "</mark>" }
        highlight = false
      }
      if highlight, !opened {
        out += "<mark>"
        opened = true
      }
      out += HTML.escape(String(character))
    }
    if highlight, opened { out += "</mark>" }
    return out
  }

  @Test func highlightsAreWhatReadingCharactersGives() {
    var random = Random(state: 9)
    for text in Self.strings(3_000, seed: 10, maxPieces: 12) {
      // Markers at random places, some followed by a combining mark.
      var withMarkers = text
      for _ in 0..<random.next(4) {
        let scalars = Array(withMarkers.unicodeScalars)
        let at = random.next(scalars.count + 1)
        let marker = random.next(5) == 0 ? "\(RuleExample.marker)\u{301}" : "\(RuleExample.marker)"
        withMarkers =
          String(String.UnicodeScalarView(scalars[..<at])) + marker
          + String(String.UnicodeScalarView(scalars[at...]))
      }
      #expect(SitePages.marked(withMarkers) == Self.markedByCharacters(withMarkers), "\(withMarkers)")
    }
    #expect(SitePages.marked("a: ↓b, c") == "a: <mark>b</mark>, c")
    #expect(SitePages.marked("↓↓x↓ y↓") == "<mark>x</mark> y")
  }

  @Test func summariesAreWhatReadingScalarsGives() {
    let words = [
      "word", "Word", ".", "!", "?", " ", "  ", "\n", "\t", "\r\n", "x.", "A", "b", "\u{0B}", "é", "\u{00A0}",
    ]
    var random = Random(state: 11)
    for _ in 0..<3_000 {
      let text = (0..<random.next(120)).map { _ in words[random.next(words.count)] }.joined()
      #expect(OneLine.summary(text) == OneLine.scalarSummary(text), "\(text)")
    }
  }

  @Test func escapingBytesGivesWhatEscapingTheStringGives() {
    for text in Self.strings(2_000, seed: 4) + ["", "plain", "<a href=\"x\">Tom & Jerry's</a>"] {
      var bytes: [UInt8] = [0x2A]
      var copy = text
      copy.withUTF8 { HTML.appendEscaped($0, to: &bytes) }
      #expect(bytes == [0x2A] + Array(HTML.escape(text).utf8), "\(text)")
    }
  }

  /// Heading markup is built as bytes; it is what the interpolated strings
  /// (escaped ids) would be.
  @Test func headingMarkupIsTheInterpolatedMarkup() {
    for (k, id) in (Self.strings(500, seed: 5) + ["setup-1", "a\"b<c>&'d"]).enumerated() where !id.isEmpty {
      let level = 1 + k % 6
      let escaped = HTML.escape(id)
      var enter: [UInt8] = []
      var exit: [UInt8] = []
      LessonsOutline.appendHeadingStart(level: level, id: id, to: &enter)
      LessonsOutline.appendHeadingEnd(level: level, id: id, to: &exit)
      #expect(enter == Array("<h\(level) id=\"\(escaped)\">".utf8), "\(id)")
      #expect(
        exit
          == Array(
            " <a class=\"anchor\" href=\"#\(escaped)\" aria-label=\"Link to this heading\">#</a></h\(level)>".utf8),
        "\(id)")
    }
    // A heading with no text has no id, and no anchor to link to.
    var enter: [UInt8] = []
    var exit: [UInt8] = []
    LessonsOutline.appendHeadingStart(level: 2, id: "", to: &enter)
    LessonsOutline.appendHeadingEnd(level: 2, id: "", to: &exit)
    #expect(enter == Array("<h2>".utf8) && exit == Array("</h2>".utf8))
  }

  /// The search index's quoting, one scalar at a time.
  static func quoteByScalars(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "<", ">", "&", "\u{7F}", "\u{2028}", "\u{2029}",
        _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  @Test func quotingIsWhatEscapingEachScalarGives() {
    // Long strings, so that runs of eight bytes are scanned at once.
    for text in Self.strings(2_000, seed: 12, maxPieces: 40) + [String(repeating: "plain text ", count: 20)] {
      #expect(SearchIndex.quote(text) == Self.quoteByScalars(text), "\(text)")
    }
  }

  @Test func quotingWithALimitKeepsThatManyScalars() {
    for text in Self.strings(2_000, seed: 5, maxPieces: 12) {
      for limit in [0, 1, 3, 7] {
        var limited: [UInt8] = []
        SearchIndex.quote(text, into: &limited, limit: limit)
        var whole: [UInt8] = []
        SearchIndex.quote(String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))), into: &whole)
        #expect(limited == whole, "\(text) limit \(limit)")
      }
    }
  }

  @Test(arguments: [
    ("docker-compose.yml", "docker-compose.yml"), (" ./docker-compose.yml ", "docker-compose.yml"),
    ("./caddy/Caddyfile", "caddy/Caddyfile"), ("Caddyfile", "caddy/Caddyfile"), ("  Caddyfile", "caddy/Caddyfile"),
  ])
  func codeSpansNameFiles(_ literal: String, _ path: String) {
    let files = GeneratedFiles(paths: ["docker-compose.yml", "caddy/Caddyfile"], state: .unavailable("test"))
    #expect(files.pathNamed(by: literal) == path)
  }

  @Test(arguments: ["ip route", "docker-compose", ".docker-compose.yml", "/caddy/Caddyfile", ""])
  func otherCodeSpansNameNoFile(_ literal: String) {
    let files = GeneratedFiles(paths: ["docker-compose.yml", "caddy/Caddyfile"], state: .unavailable("test"))
    #expect(files.pathNamed(by: literal) == nil)
  }
}
