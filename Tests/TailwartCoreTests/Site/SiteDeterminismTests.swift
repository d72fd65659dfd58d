import Foundation
import Testing

@testable import TailwartCore

/// Same input, same bytes; and a rebuild leaves unchanged pages alone.
struct SiteDeterminismTests {
  /// The project's own lessons.
  static func referenceNotes() throws -> String {
    try String(contentsOf: SiteFixture.packageRoot.appendingPathComponent("site/lessons.md"), encoding: .utf8)
  }

  @Test func twoBuildsGiveIdenticalBytes() throws {
    let notes = try Self.referenceNotes()
    let files = try FakeRenderer.files()
    let a = try SiteFixture()
    let b = try SiteFixture()
    defer {
      a.remove()
      b.remove()
    }
    try a.build(notes, files: files)
    try b.build(notes, files: files)
    let first = try a.snapshot()
    #expect(first.count > 20)
    #expect(first == (try b.snapshot()))
  }

  @Test func rebuildWritesOnlyWhatChanged() throws {
    let notes = try Self.referenceNotes()
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let first = try fixture.build(notes)
    #expect(first.written == first.files)
    let page = fixture.output.appendingPathComponent("lessons/3.html")
    let old = Date(timeIntervalSince1970: 1_000_000)
    try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: page.path)

    let again = try fixture.build(notes)
    #expect(again.written == 0)
    #expect(again.files == first.files)
    let stamp = try FileManager.default.attributesOfItem(atPath: page.path)[.modificationDate] as? Date
    #expect(stamp == old, "an unchanged page keeps its modification time")

    // Lesson 7's Symptom starts with a new sentence: its summary changes.
    let seven = try #require(notes.range(of: "\n## 7. "))
    let symptom = try #require(notes.range(of: "**Symptom:** ", range: seven.upperBound..<notes.endIndex))
    var edited = notes
    edited.insert(contentsOf: "Edited first. ", at: symptom.upperBound)
    let third = try fixture.build(edited)
    // Lesson 7's page, the index (its summary) and the search index change.
    #expect(third.written == 3)
  }

  static let threeLessons =
    "# L\n\n## 1. A\n\nText.\n\n## 2. B\n\nText.\n\n## 3. C\n\nSee lesson 1.\n\n## Notes\n\nMore.\n"
  static let twoLessons = "# L\n\n## 1. A\n\nText.\n\n## 2. B\n\nText.\n"

  /// A lesson removed (or a section renamed) leaves no page behind; files
  /// the site never made stay, and the manifest lists the site as it is.
  @Test func pagesNoLongerMadeAreRemovedAndNothingElse() throws {
    let fixture = try SiteFixture()
    defer { fixture.remove() }
    let first = try fixture.build(Self.threeLessons)
    #expect(first.removed == 0)
    #expect(fixture.exists("lessons/3.html") && fixture.exists("lessons/notes.html"))
    let own = fixture.output.appendingPathComponent("lessons/own.html")
    try Data("mine".utf8).write(to: own)
    try Data("mine".utf8).write(to: fixture.output.appendingPathComponent("README.txt"))

    let second = try fixture.build(Self.twoLessons)
    #expect(second.removed == 2)
    #expect(!fixture.exists("lessons/3.html") && !fixture.exists("lessons/notes.html"))
    #expect(fixture.exists("lessons/2.html") && fixture.exists("README.txt"))
    #expect(try Data(contentsOf: own) == Data("mine".utf8))

    let manifest = try #require(GeneratedManifest.decode(Array(fixture.page(GeneratedManifest.fileName).utf8)))
    #expect(manifest.command == "site")
    let listed = manifest.files.keys.sorted()
    let onDisk = try fixture.snapshot().keys.filter {
      $0 != GeneratedManifest.fileName && $0 != "README.txt" && $0 != "lessons/own.html"
    }
    #expect(listed == onDisk.sorted())
    #expect(listed.count == second.files)
    #expect(try fixture.build(Self.twoLessons).removed == 0)
  }

  /// The manifest is read back from disk, so it is not trusted: a path
  /// outside the folder, or through a symbolic link, removes nothing.
  @Test func aTamperedManifestRemovesNothingOutside() throws {
    let fixture = try SiteFixture()
    let outside = try SiteFixture()
    defer {
      fixture.remove()
      outside.remove()
    }
    let victim = outside.output.appendingPathComponent("victim.html")
    try Data("keep".utf8).write(to: victim)
    try fixture.build(Self.twoLessons)
    // (A file the site never made, unlisted.)
    try Data("keep".utf8).write(to: fixture.output.appendingPathComponent("# README.txt"))
    let fm = FileManager.default
    try fm.createSymbolicLink(at: fixture.output.appendingPathComponent("away"), withDestinationURL: outside.output)
    try fm.createSymbolicLink(at: fixture.output.appendingPathComponent("link.html"), withDestinationURL: victim)
    // Every listed path carries the victim's very hash: only the path
    // keeps it safe.
    let manifestURL = fixture.output.appendingPathComponent(GeneratedManifest.fileName)
    var manifest = try #require(GeneratedManifest.decode(Array(try Data(contentsOf: manifestURL))))
    for path in [
      "../\(outside.output.lastPathComponent)/victim.html", victim.path, "away/victim.html", "link.html",
      "lessons/../../victim.html", ".hidden",
    ] {
      manifest.files[path] = SHA256.hex(Array("keep".utf8))
    }
    try Data(manifest.bytes).write(to: manifestURL)

    let again = try fixture.build(Self.twoLessons)
    #expect(again.removed == 0)
    #expect(try Data(contentsOf: victim) == Data("keep".utf8))
    #expect(fixture.exists("# README.txt"))
    #expect((try? fm.destinationOfSymbolicLink(atPath: fixture.output.appendingPathComponent("link.html").path)) != nil)
  }
}
