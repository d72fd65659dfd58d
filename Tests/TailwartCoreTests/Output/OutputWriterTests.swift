import Foundation
import Testing

@testable import TailwartCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The writer against a real temporary folder: all or nothing, unchanged
/// files left alone, hand edits kept, nothing written outside the folder.
struct OutputWriterTests {
  static let outputs = [
    Output(path: "docker-compose.yml", text: "services: {}\n"),
    Output(path: "caddy/Caddyfile", text: "{\n}\n"),
    Output(path: "caddy/caddy.json", text: "{}\n"),
  ]

  /// A fresh folder under the system's temporary folder; removed by the
  /// caller's `defer`.
  static func scratch() throws -> String {
    let path = NSTemporaryDirectory() + "tailwart-writer-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Everything under `folder`: path → kind, content hash, inode and
  /// modification time, so any change at all shows.
  static func snapshot(_ folder: String) -> [String: String] {
    var out: [String: String] = [:]
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return out }
    for case let path as String in walker {
      let full = folder + "/" + path
      var info = stat()
      guard lstat(full, &info) == 0 else { continue }
      #if canImport(Darwin)
        let time = info.st_mtimespec
      #else
        let time = info.st_mtim
      #endif
      let stamp = "\(info.st_ino) \(time.tv_sec).\(time.tv_nsec) \(info.st_mode)"
      switch info.st_mode & S_IFMT {
      case S_IFDIR: out[path] = "dir \(stamp)"
      case S_IFLNK: out[path] = "link " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?")
      default: out[path] = "file \(SHA256.hex([UInt8](FileManager.default.contents(atPath: full) ?? Data()))) \(stamp)"
      }
    }
    return out
  }

  static func read(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
  }

  @Test func firstRenderWritesEveryFileAndTheManifest() throws {
    let folder = try Self.scratch() + "/deploy"
    defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
    let plan = try OutputWriter.plan(Self.outputs, folder: folder)
    #expect(plan.entries.map(\.state) == [.missing, .missing, .missing])
    let written = try OutputWriter.write(plan, force: false).written
    #expect(written == Self.outputs.map(\.path))
    for output in Self.outputs {
      #expect(Self.read(folder + "/" + output.path) == output.text)
    }
    let manifest = try #require(FileManager.default.contents(atPath: folder + "/" + GeneratedManifest.fileName))
    let files = try #require(GeneratedManifest.decode([UInt8](manifest))?.files)
    #expect(files == Dictionary(uniqueKeysWithValues: Self.outputs.map { ($0.path, SHA256.hex($0.bytes)) }))
    // Nothing else: no temporary files or backups left behind.
    #expect(
      Set(Self.snapshot(folder).keys) == [
        "docker-compose.yml", "caddy", "caddy/Caddyfile", "caddy/caddy.json", GeneratedManifest.fileName,
      ])
  }

  @Test func aSecondRenderChangesNothing() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(OutputWriter.plan(Self.outputs, folder: folder), force: false)
    let before = Self.snapshot(folder)
    usleep(20_000)
    let plan = try OutputWriter.plan(Self.outputs, folder: folder)
    #expect(plan.entries.allSatisfy { $0.state == .unchanged })
    #expect(plan.changes.isEmpty)
    #expect(try OutputWriter.write(plan, force: false) == OutputWriter.Report(written: [], removed: []))
    #expect(Self.snapshot(folder) == before, "inodes and modification times must stay")
  }

  @Test func onlyChangedFilesAreReplaced() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(OutputWriter.plan(Self.outputs, folder: folder), force: false)
    let before = Self.snapshot(folder)
    var next = Self.outputs
    next[2] = Output(path: "caddy/caddy.json", text: "{\"apps\": {}}\n")
    usleep(20_000)
    let plan = try OutputWriter.plan(next, folder: folder)
    #expect(plan.entries.map(\.state) == [.unchanged, .unchanged, .stale])
    #expect(plan.entries[2].diff(folder: "d").contains("+{\"apps\": {}}"))
    #expect(try OutputWriter.write(plan, force: false).written == ["caddy/caddy.json"])
    let after = Self.snapshot(folder)
    #expect(after["docker-compose.yml"] == before["docker-compose.yml"])
    #expect(after["caddy/Caddyfile"] == before["caddy/Caddyfile"])
    #expect(after["caddy/caddy.json"] != before["caddy/caddy.json"])
    #expect(Self.read(folder + "/caddy/caddy.json") == "{\"apps\": {}}\n")
  }

  @Test func aHandEditIsKeptUnlessForced() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(OutputWriter.plan(Self.outputs, folder: folder), force: false)
    try Data("services: {edited: {}}\n".utf8).write(to: URL(fileURLWithPath: folder + "/docker-compose.yml"))
    var next = Self.outputs
    next[1] = Output(path: "caddy/Caddyfile", text: "{\n\tdebug\n}\n")
    let before = Self.snapshot(folder)

    let plan = try OutputWriter.plan(next, folder: folder)
    #expect(plan.entries.map(\.state) == [.editedByHand, .stale, .unchanged])
    let diff = plan.conflicts[0].diff(folder: "deploy")
    #expect(diff.contains("--- deploy/docker-compose.yml (on disk)"))
    #expect(diff.contains("-services: {edited: {}}"))
    #expect(diff.contains("+services: {}"))
    #expect(throws: OutputWriter.Failure.self) { try OutputWriter.write(plan, force: false) }
    #expect(Self.snapshot(folder) == before, "a refused render writes nothing, not even the other changed file")

    #expect(try OutputWriter.write(plan, force: true).written == ["docker-compose.yml", "caddy/Caddyfile"])
    #expect(Self.read(folder + "/docker-compose.yml") == "services: {}\n")
    #expect(try OutputWriter.plan(next, folder: folder).changes.isEmpty)
  }

  @Test func aFileTailwartNeverWroteIsNotOverwritten() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try Data("# the operator's own compose file\n".utf8).write(to: URL(fileURLWithPath: folder + "/docker-compose.yml"))
    let before = Self.snapshot(folder)
    let plan = try OutputWriter.plan(Self.outputs, folder: folder)
    #expect(plan.entries[0].state == .notWrittenByTailwart)
    #expect(throws: OutputWriter.Failure.self) { try OutputWriter.write(plan, force: false) }
    #expect(Self.snapshot(folder) == before)
  }

  @Test func checkListsMissingAndStaleFiles() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(OutputWriter.plan(Array(Self.outputs.prefix(2)), folder: folder), force: false)
    var next = Self.outputs
    next[0] = Output(path: "docker-compose.yml", text: "services: {a: {}}\n")
    let plan = try OutputWriter.plan(next, folder: folder)
    #expect(plan.changes.map(\.output.path) == ["docker-compose.yml", "caddy/caddy.json"])
    #expect(plan.changes.map(\.state) == [.stale, .missing])
    #expect(plan.changes[1].diff(folder: folder).hasPrefix("--- /dev/null\n"))
  }

  @Test func aFailureWhileStagingLeavesTheFolderAsItWas() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(OutputWriter.plan([Self.outputs[0]], folder: folder), force: false)
    let before = Self.snapshot(folder)
    let next = [Output(path: "docker-compose.yml", text: "services: {b: {}}\n")] + Self.outputs.dropFirst()
    // The manifest, staged last, cannot be written: every other file is
    // staged by then and must be thrown away.
    var hooks = OutputWriter.Hooks()
    hooks.stageFault = { $0 == 4 ? ENOSPC : nil }
    let plan = try OutputWriter.plan(next, folder: folder)
    #expect(throws: OutputWriter.Failure.self) { try OutputWriter.write(plan, force: false, hooks: hooks) }
    #expect(Self.snapshot(folder) == before, "no new file, no temporary file, no created folder")
  }

  @Test func aFailureWhileRenamingPutsBackWhatWasThere() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(OutputWriter.plan([Self.outputs[0]], folder: folder), force: false)
    let before = Self.snapshot(folder)
    let next = [Output(path: "docker-compose.yml", text: "services: {c: {}}\n")] + Self.outputs.dropFirst()
    let plan = try OutputWriter.plan(next, folder: folder)
    // The third rename fails: two files are already in place by then.
    var hooks = OutputWriter.Hooks()
    hooks.renameFault = { $0 == 3 ? EIO : nil }
    #expect(throws: OutputWriter.Failure.self) { try OutputWriter.write(plan, force: false, hooks: hooks) }
    let after = Self.snapshot(folder)
    #expect(Self.read(folder + "/docker-compose.yml") == Self.outputs[0].text)
    // The restored file is the very same one (its inode and time), and
    // nothing else is left.
    #expect(after == before)
  }

  @Test func theModeOfAReplacedFileIsKept() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(OutputWriter.plan([Self.outputs[0]], folder: folder), force: false)
    chmod(folder + "/docker-compose.yml", 0o600)
    try OutputWriter.write(
      OutputWriter.plan([Output(path: "docker-compose.yml", text: "services: {d: {}}\n")], folder: folder), force: false
    )
    var info = stat()
    lstat(folder + "/docker-compose.yml", &info)
    #expect(info.st_mode & 0o777 == 0o600)
  }

  @Test func pathsThatCouldLeaveTheFolderAreNotOutputs() {
    for path in [
      "../x", "/etc/passwd", "a/../../b", "a//b", "./a", ".hidden", "a/.git/config", "a\\b", "a\0b", "", "/", ".",
      "..", "a/", "a/.", "a/..",
    ] {
      #expect(!OutputPath.isSafe(path), "\(path)")
    }
    for path in ["caddy/caddy.json", "lessons/1.html", "a.b/c..d", "é/ü.html", "a"] {
      #expect(OutputPath.isSafe(path), "\(path)")
    }
  }

  /// The file system reads bytes: a combining mark after a slash or a
  /// backslash does not hide it (as a `Character` it would).
  @Test func aCombiningMarkDoesNotHideASlash() {
    for path in ["/\u{301}etc/passwd", "\\\u{301}x", "a//\u{301}b", "\u{301}/../x"] {
      #expect(!OutputPath.isSafe(path), "\(path.debugDescription)")
    }
  }

  /// The byte scan agrees with the rule as written, on the path's bytes:
  /// every part between slashes non-empty, not "." or "..", not hidden; no
  /// backslash or NUL.
  @Test func theSafePathScanAgreesWithItsDefinition() {
    func bySplitting(_ path: String) -> Bool {
      let bytes = Array(path.utf8)
      guard !bytes.isEmpty, !bytes.contains(UInt8(ascii: "\\")), !bytes.contains(0) else { return false }
      return bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy { part in
        !part.isEmpty && !part.elementsEqual(".".utf8) && !part.elementsEqual("..".utf8)
          && part.first != UInt8(ascii: ".")
      }
    }
    var generator = SystemRandomNumberGenerator()
    let pieces = ["a", "b", ".", "/", "\\", "\0", "é", "\u{301}"]
    for _ in 0..<20_000 {
      let path = (0..<Int.random(in: 0...7, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
        .joined()
      #expect(OutputPath.isSafe(path) == bySplitting(path), "\(path.debugDescription)")
    }
  }

  @Test func symbolicLinksAreNeverWrittenThrough() throws {
    let base = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: base) }
    let elsewhere = base + "/elsewhere"
    try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
    let untouched = Self.snapshot(elsewhere)

    // The output folder itself is a link, however it is spelt.
    try FileManager.default.createSymbolicLink(atPath: base + "/linked", withDestinationPath: elsewhere)
    for folder in [base + "/linked", base + "/linked/", base + "/linked//"] {
      #expect(throws: OutputWriter.Failure.self) { try OutputWriter.plan(Self.outputs, folder: folder) }
      let plan = try OutputWriter.plan(Self.outputs, folder: base + "/deploy")
      #expect(throws: OutputWriter.Failure.self) {
        try OutputWriter.write(
          WritePlan(
            folder: folder, command: .render, protected: [], entries: plan.entries, removals: [],
            manifest: plan.manifest, previousManifest: nil, interrupted: false), force: false)
      }
    }

    // A folder inside it is a link.
    let deploy = base + "/deploy"
    try FileManager.default.createDirectory(atPath: deploy, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: deploy + "/caddy", withDestinationPath: elsewhere)
    #expect(throws: OutputWriter.Failure.self) { try OutputWriter.plan(Self.outputs, folder: deploy) }
    try FileManager.default.removeItem(atPath: deploy + "/caddy")

    // The file itself is a link.
    try FileManager.default.createSymbolicLink(
      atPath: deploy + "/docker-compose.yml", withDestinationPath: elsewhere + "/x")
    #expect(throws: OutputWriter.Failure.self) { try OutputWriter.plan(Self.outputs, folder: deploy) }

    // The manifest is a link.
    try FileManager.default.removeItem(atPath: deploy + "/docker-compose.yml")
    try FileManager.default.createSymbolicLink(
      atPath: deploy + "/" + GeneratedManifest.fileName, withDestinationPath: elsewhere + "/m")
    #expect(throws: OutputWriter.Failure.self) { try OutputWriter.plan(Self.outputs, folder: deploy) }

    #expect(Self.snapshot(elsewhere) == untouched)
  }

  @Test func anUnwritableOutputPathWritesNothing() throws {
    let base = try Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: base) }
    // A file stands where a folder of the output path must be.
    try Data("not a folder\n".utf8).write(to: URL(fileURLWithPath: base + "/file"))
    let before = Self.snapshot(base)
    let plan = try OutputWriter.plan(Self.outputs, folder: base + "/file/deploy")
    #expect(throws: OutputWriter.Failure.self) { try OutputWriter.write(plan, force: false) }
    #expect(Self.snapshot(base) == before)

    // A file stands where a folder inside the output folder must be.
    let deploy = base + "/deploy"
    try FileManager.default.createDirectory(atPath: deploy, withIntermediateDirectories: true)
    try Data("x\n".utf8).write(to: URL(fileURLWithPath: deploy + "/caddy"))
    let inside = Self.snapshot(base)
    #expect(throws: OutputWriter.Failure.self) { try OutputWriter.plan(Self.outputs, folder: deploy) }
    #expect(Self.snapshot(base) == inside)
  }
}
