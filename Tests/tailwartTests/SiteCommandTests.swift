import Foundation
import Testing

/// `tailwart site` as an operator runs it: the shipped inventory builds a
/// site whose rule pages are exactly the URLs `check` prints, and a lessons
/// file with a broken reference fails with file:line and writes nothing.
struct SiteCommandTests {
  @Test func everyURLCheckPrintsIsAPageOfTheSite() throws {
    let out = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: out) }
    let r = try TailwartProcess.run(["site", "-o", out.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
    let list = try TailwartProcess.run(["explain", "--list"])
    let ids = list.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
    #expect(ids.count > 10)
    for id in ids {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("rules/\(id).html").path), "\(id)")
    }
    for n in 1...13 {
      #expect(
        FileManager.default.fileExists(atPath: out.appendingPathComponent("lessons/\(n).html").path), "lesson \(n)")
    }
    // A second build writes nothing.
    let again = try TailwartProcess.run(["site", "-o", out.path])
    #expect(again.status == 0)
    #expect(again.stderr.contains("0 written"), "\(again.stderr)")
  }

  @Test func anInventoryThatFailsCheckStillBuildsAndSaysWhy() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let shipped = TailwartProcess.packageRoot.appendingPathComponent("inventory.yaml")
    let text = try String(contentsOf: shipped, encoding: .utf8)
    // A tailnet address where a MagicDNS name belongs: check refuses it.
    let broken = text.replacingOccurrences(of: "\n  host: the-record-prod ", with: "\n  host: 100.64.1.2      ")
    #expect(broken != text)
    try broken.write(to: dir.appendingPathComponent("inventory.yaml"), atomically: true, encoding: .utf8)
    let lessons = TailwartProcess.packageRoot.appendingPathComponent("site/lessons.md").path
    let r = try TailwartProcess.run(["site", "-i", "inventory.yaml", "--lessons", lessons, "-o", "out"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stderr.contains("note: inventory.yaml fails tailwart check (1 error); run tailwart check -i inventory.yaml"),
      "\(r.stderr)")
    let page = try String(
      contentsOf: dir.appendingPathComponent("out/files/docker-compose.yml.html"), encoding: .utf8)
    #expect(page.contains("fails tailwart check"))
  }

  @Test func aBrokenReferenceFailsWithItsLineAndWritesNothing() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let lessons = "# Notes\n\n## 1. First\n\n**Symptom:** see Lesson 42 for more.\n"
    try lessons.write(to: dir.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
    let inventory = TailwartProcess.packageRoot.appendingPathComponent("inventory.yaml").path
    let r = try TailwartProcess.run(["site", "-i", inventory, "--lessons", "notes.md", "-o", "out"], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr.contains("notes.md:5:"), "\(r.stderr)")
    #expect(r.stderr.contains("42"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
  }
}
