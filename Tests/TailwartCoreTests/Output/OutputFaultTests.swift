import Foundation
import Testing

@testable import TailwartCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The folder writer under faults and hostile folders: a write stopped
/// half-way, a second writer, a folder swapped for a link mid-write, a
/// manifest that lists paths outside, folders that must never be written.
struct OutputFaultTests {
  typealias Fixture = OutputWriterTests

  static let changed = [
    Output(path: "docker-compose.yml", text: "services: {changed: {}}\n"),
    Output(path: "caddy/Caddyfile", text: "{\n\tdebug\n}\n"),
    Output(path: "caddy/caddy.json", text: "{\"apps\": {}}\n"),
  ]

  static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// A copy of the folder taken in the middle of a write is what a kill
  /// at that moment leaves. The next write finishes the first one before
  /// it plans, so files of the half-done write are tailwart's, not hand
  /// edits; nothing of the staging is left.
  @Test func aWriteStoppedBetweenItsRenamesIsFinishedByTheNext() throws {
    let base = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: base) }
    let folder = base + "/deploy"
    let copy = base + "/killed"
    try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
    var hooks = OutputWriter.Hooks()
    hooks.renameFault = { n in
      if n == 2 { try? FileManager.default.copyItem(atPath: folder, toPath: copy) }
      return nil
    }
    try OutputWriter.write(OutputWriter.plan(Self.changed, folder: folder), force: false, hooks: hooks)

    // The copy: one file new, two old, the old manifest, and the journal.
    #expect(Fixture.read(copy + "/docker-compose.yml") == Self.changed[0].text)
    #expect(Fixture.read(copy + "/caddy/Caddyfile") == Fixture.outputs[1].text)
    #expect(Self.exists(copy + "/.tailwart-staging/journal"))

    // The next write is of other outputs still (the first ones again).
    let plan = try OutputWriter.plan(Fixture.outputs, folder: copy)
    #expect(plan.interrupted)
    let report = try OutputWriter.write(plan, force: false)
    #expect(report.recovered == .finished)
    #expect(report.written == Fixture.outputs.map(\.path))
    for output in Fixture.outputs { #expect(Fixture.read(copy + "/" + output.path) == output.text) }
    #expect(
      Set(Fixture.snapshot(copy).keys) == [
        "docker-compose.yml", "caddy", "caddy/Caddyfile", "caddy/caddy.json", GeneratedManifest.fileName,
      ])
    #expect(try OutputWriter.plan(Fixture.outputs, folder: copy).changes.isEmpty)
  }

  /// After a power cut a staged file may have lost its bytes: then the
  /// write cannot be finished and is undone, back to the old files whole.
  @Test func aWriteWhoseStagedFileLostItsBytesIsUndone() throws {
    let base = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: base) }
    let folder = base + "/deploy"
    let copy = base + "/killed"
    try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
    var hooks = OutputWriter.Hooks()
    hooks.renameFault = { n in
      if n == 2 { try? FileManager.default.copyItem(atPath: folder, toPath: copy) }
      return nil
    }
    try OutputWriter.write(OutputWriter.plan(Self.changed, folder: folder), force: false, hooks: hooks)
    #expect(Fixture.read(copy + "/docker-compose.yml") == Self.changed[0].text)
    try Data().write(to: URL(fileURLWithPath: copy + "/.tailwart-staging/2.new"))

    let report = try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: copy), force: false)
    #expect(report.recovered == .undone)
    #expect(report.written.isEmpty, "the old files are back, and they are what was asked for")
    for output in Fixture.outputs { #expect(Fixture.read(copy + "/" + output.path) == output.text) }
    #expect(!Self.exists(copy + "/.tailwart-staging"))
  }

  /// Killed before the journal was committed: nothing in the folder
  /// changed, and the next write drops what was staged.
  @Test func aWriteStoppedBeforeItsCommitLeavesTheOldFiles() throws {
    let base = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: base) }
    let folder = base + "/deploy"
    let copy = base + "/killed"
    try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
    var hooks = OutputWriter.Hooks()
    hooks.stageFault = { n in
      if n == 3 { try? FileManager.default.copyItem(atPath: folder, toPath: copy) }
      return nil
    }
    try OutputWriter.write(OutputWriter.plan(Self.changed, folder: folder), force: false, hooks: hooks)
    #expect(Self.exists(copy + "/.tailwart-staging/0.new"))
    #expect(!Self.exists(copy + "/.tailwart-staging/journal"))
    let plan = try OutputWriter.plan(Self.changed, folder: copy)
    #expect(plan.entries.map(\.state) == [.stale, .stale, .stale], "the old generation, whole")
    let report = try OutputWriter.write(plan, force: false)
    #expect(report.recovered == nil)
    #expect(!Self.exists(copy + "/.tailwart-staging"))
  }

  /// The output folder swapped for a link once the write has begun: the
  /// writer keeps working in the folder it opened, and nothing lands in
  /// the link's target.
  @Test func theOutputFolderSwappedForALinkMidWriteSendsNothingElsewhere() throws {
    let base = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: base) }
    let folder = base + "/deploy"
    let elsewhere = base + "/elsewhere"
    try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
    try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
    var hooks = OutputWriter.Hooks()
    hooks.committed = {
      rename(folder, base + "/moved")
      symlink(elsewhere, folder)
    }
    try OutputWriter.write(OutputWriter.plan(Self.changed, folder: folder), force: false, hooks: hooks)
    #expect(Fixture.snapshot(elsewhere).isEmpty)
    for output in Self.changed { #expect(Fixture.read(base + "/moved/" + output.path) == output.text) }
    #expect(Set(Fixture.snapshot(base + "/moved").keys).count == 5, "no staging, no lock file")
  }

  /// A folder inside the output swapped for a link mid-write: the write
  /// stops, nothing lands in the link's target, and once the folder is
  /// back the next write finishes with every file as it should be.
  @Test func aFolderInsideSwappedForALinkMidWriteSendsNothingElsewhere() throws {
    let base = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: base) }
    let folder = base + "/deploy"
    let elsewhere = base + "/elsewhere"
    try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
    try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
    var hooks = OutputWriter.Hooks()
    hooks.committed = {
      rename(folder + "/caddy", base + "/caddy-moved")
      symlink(elsewhere, folder + "/caddy")
    }
    let error = #expect(throws: OutputWriter.Failure.self) {
      try OutputWriter.write(OutputWriter.plan(Self.changed, folder: folder), force: false, hooks: hooks)
    }
    #expect(error?.problem.contains("symbolic link") == true)
    #expect(Fixture.snapshot(elsewhere).isEmpty)
    #expect(Fixture.read(base + "/caddy-moved/Caddyfile") == Fixture.outputs[1].text)

    // While the link is there, the next write refuses too.
    #expect(throws: OutputWriter.Failure.self) {
      try OutputWriter.write(OutputWriter.plan(Self.changed, folder: folder), force: false)
    }
    #expect(Fixture.snapshot(elsewhere).isEmpty)
    try FileManager.default.removeItem(atPath: folder + "/caddy")
    try FileManager.default.moveItem(atPath: base + "/caddy-moved", toPath: folder + "/caddy")
    try OutputWriter.write(OutputWriter.plan(Self.changed, folder: folder), force: false)
    for output in Self.changed { #expect(Fixture.read(folder + "/" + output.path) == output.text) }
    #expect(!Self.exists(folder + "/.tailwart-staging"))
  }

  /// Two writers never interleave: the second is told the folder is busy
  /// and writes nothing; once the first lets go, it can write.
  @Test func aSecondWriterIsToldTheFolderIsBusy() throws {
    let folder = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
    let before = Fixture.snapshot(folder)
    let lock = try FolderLock(Folder.open(path: folder))
    let plan = try OutputWriter.plan(Self.changed, folder: folder)
    let error = #expect(throws: OutputWriter.Failure.self) { try OutputWriter.write(plan, force: false) }
    #expect(
      error?.description
        == "\(folder): is busy: another tailwart run is writing to it; run again once that one has finished")
    var after = Fixture.snapshot(folder)
    after[FolderLock.fileName] = nil
    #expect(after == before)
    lock.release()
    #expect(try OutputWriter.write(plan, force: false).written.count == 3)
    #expect(!Self.exists(folder + "/" + FolderLock.fileName))
  }

  /// A manifest that lists paths outside the folder, with the very hash
  /// of the file there, removes nothing outside; a file inside that it
  /// lists and that still holds those bytes is removed (a stale output),
  /// one edited since is kept.
  @Test func aManifestListingPathsOutsideRemovesNothingThere() throws {
    let base = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: base) }
    let folder = base + "/deploy"
    try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
    let keep = Array("keep\n".utf8)
    try Data(keep).write(to: URL(fileURLWithPath: base + "/victim"))
    try Data(keep).write(to: URL(fileURLWithPath: folder + "/stale.txt"))
    try Data("edited\n".utf8).write(to: URL(fileURLWithPath: folder + "/edited.txt"))
    try FileManager.default.createSymbolicLink(atPath: folder + "/away", withDestinationPath: base)
    let manifestPath = folder + "/" + GeneratedManifest.fileName
    var manifest = try #require(
      GeneratedManifest.decode(Array(try Data(contentsOf: URL(fileURLWithPath: manifestPath)))))
    for path in ["../victim", base + "/victim", "away/victim", "caddy/../../victim", "stale.txt", "edited.txt"] {
      manifest.files[path] = SHA256.hex(keep)
    }
    try Data(manifest.bytes).write(to: URL(fileURLWithPath: manifestPath))

    let plan = try OutputWriter.plan(Fixture.outputs, folder: folder)
    #expect(plan.removals.map(\.path) == ["stale.txt"])
    #expect(try OutputWriter.write(plan, force: false).removed == ["stale.txt"])
    #expect(Fixture.read(base + "/victim") == "keep\n")
    #expect(Fixture.read(folder + "/edited.txt") == "edited\n")
    #expect(!Self.exists(folder + "/stale.txt"))
    let rewritten = try #require(
      GeneratedManifest.decode(Array(try Data(contentsOf: URL(fileURLWithPath: manifestPath)))))
    #expect(Set(rewritten.files.keys) == Set(Fixture.outputs.map(\.path)), "what is not tailwart's is forgotten")
  }

  /// Manifests listing paths made of hostile pieces (dots, slashes,
  /// backslashes, absolute prefixes, a link out of the folder), each with
  /// the hash of the files outside: whatever is removed lies inside the
  /// folder, and nothing outside changes.
  @Test func randomManifestPathsNeverReachOutside() throws {
    let base = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: base) }
    let folder = base + "/deploy"
    let outside = base + "/outside"
    try FileManager.default.createDirectory(atPath: outside + "/a", withIntermediateDirectories: true)
    let keep = Array("keep\n".utf8)
    for path in ["/victim", "/a/victim", "/a/b"] {
      try Data(keep).write(to: URL(fileURLWithPath: outside + path))
    }
    try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
    try FileManager.default.createSymbolicLink(atPath: folder + "/away", withDestinationPath: outside)
    let untouched = Fixture.snapshot(outside)
    let manifestPath = folder + "/" + GeneratedManifest.fileName
    let pieces = ["..", ".", "/", "//", "\\", "a", "b", "victim", "away", "outside", base, "\u{301}", "%2e%2e", "\0"]
    var generator = SeededRandom(seed: 12)
    for _ in 0..<40 {
      var manifest = try #require(
        GeneratedManifest.decode(Array(try Data(contentsOf: URL(fileURLWithPath: manifestPath)))))
      for _ in 0..<25 {
        let path = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
          pieces.randomElement(using: &generator)!
        }.joined()
        manifest.files[path] = SHA256.hex(keep)
      }
      try Data(manifest.bytes).write(to: URL(fileURLWithPath: manifestPath))
      let report = try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
      for path in report.removed { #expect(OutputPath.isSafeFile(path), "\(path.debugDescription)") }
    }
    #expect(Fixture.snapshot(outside) == untouched)
    for output in Fixture.outputs { #expect(Fixture.read(folder + "/" + output.path) == output.text) }
  }

  /// `/`, the inventory's folder and the folders above it are refused
  /// as the output folder, however the path is spelt.
  @Test func rootAndTheInventoryFolderAreRefused() throws {
    let base = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: base) }
    let repo = base + "/repo"
    try FileManager.default.createDirectory(atPath: repo + "/sub", withIntermediateDirectories: true)
    for folder in ["/", "/.", base + "/../../../../../../../../../../.."] {
      let error = #expect(throws: OutputWriter.Failure.self) { try OutputWriter.plan(Fixture.outputs, folder: folder) }
      #expect(error?.problem.contains("is the root folder") == true, "\(folder)")
    }
    for folder in [repo, repo + "/", repo + "/sub/.."] {
      let error = #expect(throws: OutputWriter.Failure.self) {
        try OutputWriter.plan(Fixture.outputs, folder: folder, protecting: [repo])
      }
      #expect(error?.problem.contains("is the inventory's own folder") == true, "\(folder)")
    }
    let above = #expect(throws: OutputWriter.Failure.self) {
      try OutputWriter.plan(Fixture.outputs, folder: base, protecting: [repo + "/sub/.."])
    }
    #expect(above?.problem.contains("holds the inventory's folder") == true)
    let plan = try OutputWriter.plan(Fixture.outputs, folder: repo + "/deploy", protecting: [repo])
    #expect(try OutputWriter.write(plan, force: false).written.count == 3)
  }

  /// A folder one command owns is not another's: a site built into
  /// render's folder would take render's files for stale pages.
  @Test func aFolderOfRenderIsNotTheSites() throws {
    let folder = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
    let before = Fixture.snapshot(folder)
    let error = #expect(throws: OutputWriter.Failure.self) {
      try OutputWriter.plan([Output(path: "index.html", text: "<p>\n")], folder: folder, command: .site)
    }
    #expect(error?.problem == "holds the files of tailwart render; tailwart site writes into a folder of its own")
    #expect(Fixture.snapshot(folder) == before)
  }

  /// What versions before the journal left when killed (`.tmp` and `.old`
  /// beside render's files, `.tailwart-<pid>-<name>` beside the site's)
  /// goes with the next write; other dot files stay.
  @Test func leftoversOfAnEarlierWriterAreRemoved() throws {
    let folder = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(OutputWriter.plan(Fixture.outputs, folder: folder), force: false)
    let leftovers = [
      ".docker-compose.yml.tailwart-4242-0.tmp", ".docker-compose.yml.tailwart-4242-0.old",
      "caddy/.caddy.json.tailwart-17-2.tmp", "caddy/.tailwart-99-Caddyfile",
    ]
    let kept = [".env", "caddy/.keep", ".notes.tailwart-x-1.tmp", "caddy/.tailwart-notes"]
    for path in leftovers + kept { try Data("x\n".utf8).write(to: URL(fileURLWithPath: folder + "/" + path)) }
    try OutputWriter.write(OutputWriter.plan(Self.changed, folder: folder), force: false)
    for path in leftovers { #expect(!Self.exists(folder + "/" + path), "\(path)") }
    for path in kept { #expect(Self.exists(folder + "/" + path), "\(path)") }
  }
}

/// A site's pages through the folder writer (the binary's site command
/// is tested in OutputFolderCommandTests): all or none.
struct SiteOutputTests {
  typealias Fixture = OutputWriterTests

  static let pages =
    (1...12).map { Output(path: "lessons/\($0).html", text: "<p>lesson \($0)</p>\n") } + [
      Output(path: "index.html", text: "<p>index</p>\n"), Output(path: "assets/site.css", text: "p {}\n"),
    ]

  /// A write that fails part-way, while staging or once the renames
  /// began, leaves every page of the earlier build as it was.
  @Test func aWriteFailureLeavesTheOldSiteWhole() throws {
    let folder = try Fixture.scratch()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputWriter.write(Self.pages, folder: folder, command: .site, force: false)
    let before = Fixture.snapshot(folder)
    let next = Self.pages.map { Output(path: $0.path, text: "<p>new</p>\n") }
    var staging = OutputWriter.Hooks()
    staging.stageFault = { $0 == 3 ? ENOSPC : nil }
    #expect(throws: OutputWriter.Failure.self) {
      try OutputWriter.write(next, folder: folder, command: .site, force: false, protecting: [], hooks: staging)
    }
    #expect(Fixture.snapshot(folder) == before)

    // After the renames began: every old page is put back, the very same
    // file (the folders' own times do change).
    var renaming = OutputWriter.Hooks()
    renaming.renameFault = { $0 == 8 ? EIO : nil }
    #expect(throws: OutputWriter.Failure.self) {
      try OutputWriter.write(next, folder: folder, command: .site, force: false, protecting: [], hooks: renaming)
    }
    let files = { (snapshot: [String: String]) in snapshot.filter { $0.value.hasPrefix("file ") } }
    #expect(files(Fixture.snapshot(folder)) == files(before))
    #expect(Set(Fixture.snapshot(folder).keys) == Set(before.keys))
  }
}
