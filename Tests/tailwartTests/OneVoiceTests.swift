import Foundation
import Testing

/// check, render, site and pre-commit end with a summary in one style:
/// `<what it is about>: <counts> (<total>)`.
@Suite(.serialized)
struct OneVoiceTests {
  static func last(_ text: String) -> String {
    String(text.split(separator: "\n").last ?? "")
  }

  @Test func theSummariesSpeakAlike() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try TailwartProcess.run(["init", "--domain", "mail-ops.org"], in: dir).status == 0)

    let check = try TailwartProcess.run(["check"], in: dir)
    #expect(Self.last(check.stderr).range(of: #"^inventory.yaml: \d+ warnings$"#, options: .regularExpression) != nil, "\(check.stderr)")
    let render = try TailwartProcess.run(["render"], in: dir)
    #expect(Self.last(render.stderr).hasPrefix("deploy: "), "\(render.stderr)")
    let count = Self.files(in: dir, "deploy")
    #expect(Self.last(render.stderr) == "deploy: \(count) written, 0 unchanged (\(count) files)", "\(render.stderr)")
    let again = try TailwartProcess.run(["render"], in: dir)
    #expect(Self.last(again.stderr) == "deploy: 0 written, \(count) unchanged (\(count) files)", "\(again.stderr)")
    let site = try TailwartProcess.run(["site"], in: dir)
    #expect(Self.last(site.stderr).range(of: #"^_site: \d+ written, 0 unchanged \(\d+ files\)$"#, options: .regularExpression) != nil, "\(site.stderr)")

    try TailwartProcess.shell(["git", "init", "-q"], in: dir)
    try TailwartProcess.shell(["git", "add", "-A"], in: dir)
    let staged = try TailwartProcess.run(["pre-commit"], in: dir)
    #expect(Self.last(staged.stderr).hasPrefix("inventory.yaml (staged): passes ("), "\(staged.stderr)")

    // Every summary line: a subject, a colon, the outcome.
    for line in [check, render, again, site, staged].map({ Self.last($0.stderr) }) {
      #expect(line.range(of: #"^[^ :]+( \(staged\))?: [a-z0-9]"#, options: .regularExpression) != nil, "\(line)")
    }
  }

  /// The generated files in `folder` (the manifest not counted).
  static func files(in dir: URL, _ folder: String) -> Int {
    let walker = FileManager.default.enumerator(atPath: dir.appendingPathComponent(folder).path)
    var count = 0
    while let path = walker?.nextObject() as? String {
      var isFolder: ObjCBool = false
      FileManager.default.fileExists(atPath: dir.appendingPathComponent(folder + "/" + path).path, isDirectory: &isFolder)
      if !isFolder.boolValue && !path.hasSuffix(".tailwart-manifest.json") { count += 1 }
    }
    return count
  }
}
