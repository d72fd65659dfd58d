import Foundation
import Testing

@testable import TailwartCore

/// Same input, same bytes; and a rebuild leaves unchanged pages alone.
struct SiteDeterminismTests {
  static func referenceNotes() throws -> String {
    try String(
      contentsOf: SiteFixture.packageRoot.appendingPathComponent("../shared/reference/LESSONS.md"), encoding: .utf8)
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

    let edited = notes.replacingOccurrences(of: "crt.sh was flaky/empty all session.", with: "crt.sh was flaky.")
    let third = try fixture.build(edited)
    // Lesson 7's page, the index (its summary) and the search index change.
    #expect(third.written == 3)
  }
}
