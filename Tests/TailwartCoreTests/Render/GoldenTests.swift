import Foundation
import Testing

@testable import TailwartCore

/// Every renderer's output for each golden inventory, compared byte for
/// byte with the files under Golden/<variant>/expected/. On a mismatch the
/// rendered bytes land in `<file>.actual` beside the expected one and the
/// failure shows the diff; `TAILWART_RECORD=1 swift test --filter Golden`
/// rewrites the expected files instead.
@Suite(.serialized)
struct GoldenTests {
  @Test(arguments: GoldenFiles.variants)
  func outputsMatchTheGoldenFiles(_ variant: GoldenFiles.Variant) throws {
    let outputs = try GoldenFiles.render(variant)
    let fm = FileManager.default
    let declared = Set(RenderCatalog.all.flatMap { $0.paths })
    #expect(Set(outputs.map(\.path)) == declared, "renderers must produce exactly the paths they declare")

    for output in outputs {
      let expected = variant.expected.appendingPathComponent(output.path)
      let actual = URL(fileURLWithPath: expected.path + ".actual")
      if GoldenFiles.recording {
        try fm.createDirectory(at: expected.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(output.bytes).write(to: expected)
        try? fm.removeItem(at: actual)
        continue
      }
      guard let data = fm.contents(atPath: expected.path) else {
        Issue.record("\(variant.name): no golden file \(output.path); record it with TAILWART_RECORD=1")
        try fm.createDirectory(at: actual.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(output.bytes).write(to: actual)
        continue
      }
      if [UInt8](data) == output.bytes {
        try? fm.removeItem(at: actual)
      } else {
        try Data(output.bytes).write(to: actual)
        let diff = UnifiedDiff.diff(
          old: String(decoding: data, as: UTF8.self), new: output.text,
          oldLabel: "\(variant.name)/expected/\(output.path)", newLabel: "\(output.path) (rendered)")
        Issue.record("\(variant.name): \(output.path) differs from its golden file (written beside it as .actual):\n\(diff)")
      }
    }

    // A golden file no renderer produces any more is stale.
    let produced = Set(outputs.map(\.path))
    if let walker = fm.enumerator(atPath: variant.expected.path) {
      for case let path as String in walker where !path.hasSuffix(".actual") {
        var isFolder: ObjCBool = false
        let exists = fm.fileExists(atPath: variant.expected.appendingPathComponent(path).path, isDirectory: &isFolder)
        if exists && !isFolder.boolValue && !produced.contains(path) {
          Issue.record("\(variant.name): golden file \(path) is produced by no renderer")
        }
      }
    }
  }

  @Test(arguments: GoldenFiles.variants)
  func renderingTwiceGivesTheSameBytes(_ variant: GoldenFiles.Variant) throws {
    #expect(try GoldenFiles.render(variant) == GoldenFiles.render(variant))
  }

  /// Compose v2 and the Compose Specification's JSON schema accept each
  /// golden docker-compose.yml; Compose v1 accepts everything in it but the
  /// two keys it never learnt (the project `name` and `depends_on: restart`).
  @Test(arguments: GoldenFiles.variants)
  func composeFilesPassTheComposeTools(_ variant: GoldenFiles.Variant) throws {
    let file = variant.expected.appendingPathComponent("docker-compose.yml")
    try #require(FileManager.default.fileExists(atPath: file.path), "no golden docker-compose.yml for \(variant.name)")
    let folder = file.deletingLastPathComponent()

    // The file refuses to start without each variable .env.example lists;
    // give compose every one, then take each away in turn.
    let example = try String(
      contentsOf: variant.expected.appendingPathComponent(EnvExampleRenderer.path), encoding: .utf8)
    let names = example.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.hasSuffix("=") }.map { String($0.dropLast()) }
    #expect(names.contains("TS_AUTHKEY"))
    var all: [String: String] = [:]
    for name in names { all[name] = "golden-test-value" }
    let v2 = try ExternalTool.composeV2()
    let compose = try v2.run(["-f", file.path, "config", "-q"], in: folder, environment: all)
    #expect(compose.status == 0, "docker-compose v2 config: \(compose.output)")
    for name in names {
      var missing = all
      missing[name] = ""
      let unset = try v2.run(["-f", file.path, "config", "-q"], in: folder, environment: missing)
      #expect(unset.status != 0, "compose must stop when \(name) is empty")
      #expect(unset.output.contains(name), "compose's message names \(name): \(unset.output)")
    }

    let v1 = try ExternalTool("docker-compose")
    let version = try v1.run(["version", "--short"])
    #expect(version.output.hasPrefix("1."), "PATH's docker-compose must be Debian's v1, found \(version.output)")
    let whole = try v1.run(["-f", file.path, "config", "-q"], in: folder, environment: all)
    #expect(whole.status != 0, "v1 is expected to refuse the v2-only keys")
    #expect(whole.output.contains("'name'") && whole.output.contains("'restart'"), "\(whole.output)")

    let text = try String(contentsOf: file, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let v1Only = lines.filter { !$0.hasPrefix("name: ") && $0.trimmingCharacters(in: .whitespaces) != "restart: true" }
    #expect(lines.count - v1Only.count == 2, "exactly the name and the depends_on restart lines are v2-only")
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tailwart-v1-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let v1File = scratch.appendingPathComponent("docker-compose.yml")
    try v1Only.joined(separator: "\n").write(to: v1File, atomically: true, encoding: .utf8)
    let rest = try v1.run(["-f", v1File.path, "config", "-q"], in: scratch, environment: all)
    #expect(rest.status == 0, "docker-compose v1 config (without the v2-only keys): \(rest.output)")

    let builtin = try ExternalTool.run(["check-jsonschema", "--builtin-schema", "vendor.compose-spec", file.path])
    #expect(builtin.status == 0, "check-jsonschema (builtin schema): \(builtin.output)")
  }
}
