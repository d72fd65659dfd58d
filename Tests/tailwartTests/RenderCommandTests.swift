import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `tailwart render` and `tailwart install-hook` run as the operator runs
/// them: the built binary, a real folder, a real git repository.
struct RenderCommandTests {
  @Test func aFailingCheckLeavesTheOutputFolderExactlyAsItWas() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()
    #expect(try TailwartProcess.run(["render"], in: folder.url).status == 0)
    let before = folder.snapshot()
    // A tailnet address as the relay: magicdns-not-ips refuses it.
    try folder.edit("inventory.yaml", "  host: mailbox ", "  host: 100.79.87.80 ")
    let result = try TailwartProcess.run(["render"], in: folder.url)
    #expect(result.status == 1)
    #expect(result.stderr.contains("inventory.yaml:"))
    #expect(result.stderr.contains("error: [magicdns-not-ips]"))
    #expect(folder.snapshot().filter { $0.key != "inventory.yaml" } == before.filter { $0.key != "inventory.yaml" })
  }

  @Test func renderThenCheckThenAHandEdit() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()

    let missing = try TailwartProcess.run(["render", "--check"], in: folder.url)
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("missing: deploy/docker-compose.yml"))
    #expect(!FileManager.default.fileExists(atPath: folder.path("deploy")), "--check writes nothing")

    let first = try TailwartProcess.run(["render"], in: folder.url)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("wrote deploy/caddy/caddy.json"))
    let written = folder.snapshot()

    let second = try TailwartProcess.run(["render"], in: folder.url)
    #expect(second.status == 0)
    #expect(!second.stderr.contains("wrote "))
    #expect(folder.snapshot() == written, "a second render changes nothing")
    #expect(try TailwartProcess.run(["render", "--check"], in: folder.url).status == 0)

    try folder.edit("deploy/caddy/Caddyfile", "abort", "respond 404")
    let stale = try TailwartProcess.run(["render", "--check"], in: folder.url)
    #expect(stale.status == 1)
    #expect(stale.stderr.contains("edited by hand: deploy/caddy/Caddyfile"))
    #expect(stale.stdout.contains("-\trespond 404"))
    #expect(stale.stdout.contains("+\tabort"))

    let refused = try TailwartProcess.run(["render"], in: folder.url)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("deploy/caddy/Caddyfile was edited by hand"))
    #expect(refused.stderr.contains("help: make the change in the inventory"), "says how to keep a change")
    #expect(try folder.read("deploy/caddy/Caddyfile").contains("respond 404"))

    #expect(try TailwartProcess.run(["render", "--force"], in: folder.url).status == 0)
    #expect(try !folder.read("deploy/caddy/Caddyfile").contains("respond 404"))
  }

  @Test func aRelayChangeSaysToRestartStalwart() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()
    #expect(try TailwartProcess.run(["render", "-o", "out"], in: folder.url).status == 0)
    try folder.setRelayPort(from: 587, to: 465)
    try folder.edit("inventory.yaml", "    ip: [tcp:587]\n", "    ip: [tcp:465]\n")
    let result = try TailwartProcess.run(["render", "-o", "out"], in: folder.url)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("out/docker-compose.yml:"))
    #expect(result.stderr.contains("note: [route-change-needs-restart]"))
    #expect(result.stderr.contains("apply the Stalwart plan: its last line reloads the settings"))
    #expect(result.stderr.contains("stalwart-cli apply --file out/stalwart/plan.ndjson"))
  }

  /// Stalwart reads its settings and its variables from nowhere on disk:
  /// render says to apply the plan and fill in .env when they change, and
  /// says nothing when they did not.
  @Test func renderSaysToApplyStalwartsSettingsWhenTheyChange() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()
    let first = try TailwartProcess.run(["render"], in: folder.url)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("stalwart-cli apply --file deploy/stalwart/plan.ndjson"))
    #expect(first.stderr.contains("deploy/.env.example changed"))
    let again = try TailwartProcess.run(["render"], in: folder.url)
    #expect(again.status == 0)
    #expect(!again.stderr.contains("stalwart-cli apply") && !again.stderr.contains(".env.example changed"))
    try folder.edit("inventory.yaml", "auto_ban_allow: [100.64.0.0/10, 203.0.113.10]", "auto_ban_allow: [100.64.0.0/10, 203.0.113.0/24]")
    let changed = try TailwartProcess.run(["render"], in: folder.url)
    #expect(changed.stderr.contains("wrote deploy/stalwart/plan.ndjson"))
    #expect(changed.stderr.contains("stalwart-cli apply --file deploy/stalwart/plan.ndjson"))
    #expect(!changed.stderr.contains(".env.example changed"))
  }

  @Test func installHookWritesAWorkingHookAndKeepsForeignOnes() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()
    #expect(try folder.git(["init", "-q"]).status == 0)
    #expect(try TailwartProcess.run(["render"], in: folder.url).status == 0)

    let installed = try TailwartProcess.run(["install-hook"], in: folder.url)
    #expect(installed.status == 0, "\(installed.stderr)")
    let hook = folder.path(".git/hooks/pre-commit")
    let text = try folder.read(".git/hooks/pre-commit")
    #expect(text.contains("pre-commit -i inventory.yaml"))
    #expect(FileManager.default.isExecutableFile(atPath: hook))
    // Installing again replaces tailwart's own hook.
    #expect(try TailwartProcess.run(["install-hook"], in: folder.url).status == 0)

    // The hook passes on what is staged when it is consistent, and refuses
    // a staged hand edit (StagedCommitTests runs it through git commit).
    let environment = ["TAILWART": try TailwartProcess.binary().path]
    #expect(try folder.git(["add", "-A"]).status == 0)
    #expect(try TailwartProcess.shell(["sh", hook], in: folder.url, environment: environment).status == 0)
    try folder.edit("deploy/docker-compose.yml", "retries: 12", "retries: 3")
    #expect(try TailwartProcess.shell(["sh", hook], in: folder.url, environment: environment).status == 0)
    #expect(try folder.git(["add", "-A"]).status == 0)
    #expect(try TailwartProcess.shell(["sh", hook], in: folder.url, environment: environment).status != 0)

    // A hook someone else wrote is never replaced.
    try Data("#!/bin/sh\nexit 0\n".utf8).write(to: URL(fileURLWithPath: hook))
    let refused = try TailwartProcess.run(["install-hook"], in: folder.url)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("was not written by tailwart"))
    #expect(try folder.read(".git/hooks/pre-commit") == "#!/bin/sh\nexit 0\n")
  }
}

/// The output folder under faults, with the real binary: a run killed
/// between its renames, a second run while one writes, folders that must
/// never be an output.
struct OutputFolderCommandTests {
  /// Killed (SIGKILL) after one file of a changed render is in place: the
  /// next render, of another inventory, finishes the write first, so the
  /// files it finds are tailwart's, not hand edits, and nothing is left.
  @Test func aRenderKilledBetweenItsRenamesIsFinishedByTheNext() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()
    #expect(try TailwartProcess.run(["render"], in: folder.url).status == 0)
    let route = ("    ip: [tcp:587]\n", "    ip: [tcp:465]\n")
    try folder.setRelayPort(from: 587, to: 465)
    try folder.edit("inventory.yaml", route.0, route.1)
    let killed = try TailwartProcess.run(
      ["render"], in: folder.url, environment: ["TAILWART_TEST_KILL_BEFORE_RENAME": "2"])
    #expect(killed.status != 0)
    #expect(!killed.stderr.contains("wrote "))
    #expect(FileManager.default.fileExists(atPath: folder.path("deploy/.tailwart-staging")), "killed mid-write")

    try folder.setRelayPort(from: 465, to: 587)
    try folder.edit("inventory.yaml", route.1, route.0)
    let next = try TailwartProcess.run(["render"], in: folder.url)
    #expect(next.status == 0, "\(next.stderr)")
    #expect(!next.stderr.contains("edited by hand"))
    #expect(next.stderr.contains("finished a write"))
    #expect(try TailwartProcess.run(["render", "--check"], in: folder.url).status == 0)
    // Nothing but the outputs and the manifest: no staging, lock,
    // temporary or backup file.
    let names = folder.snapshot().keys.filter { $0.hasPrefix("deploy/") }
    #expect(names.contains("deploy/docker-compose.yml"))
    let strays = names.filter {
      ($0.contains("/.tailwart") && !$0.hasSuffix("/.tailwart-manifest.json")) || $0.hasSuffix(".tmp")
        || $0.hasSuffix(".old")
    }
    #expect(strays.isEmpty, "\(strays)")
  }

  /// The site likewise: killed half-way through its renames, the next
  /// build (of the earlier lessons again) finishes the write, then builds,
  /// with no page taken for a hand edit and nothing left behind.
  @Test func aSiteKilledBetweenItsRenamesIsFinishedByTheNext() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()
    let shipped = try String(
      contentsOf: TailwartProcess.packageRoot.appendingPathComponent("site/lessons.md"), encoding: .utf8)
    try Data(shipped.utf8).write(to: folder.url.appendingPathComponent("lessons.md"))
    let arguments = ["site", "-i", "inventory.yaml", "--lessons", "lessons.md", "-o", "out"]
    let first = try TailwartProcess.run(arguments, in: folder.url)
    #expect(first.status == 0, "\(first.stderr)")

    try Data((shipped + "\n## 99. A lesson added later\n\nSee Lesson 1.\n").utf8)
      .write(to: folder.url.appendingPathComponent("lessons.md"))
    let killed = try TailwartProcess.run(
      arguments, in: folder.url, environment: ["TAILWART_TEST_KILL_BEFORE_RENAME": "3"])
    #expect(killed.status != 0)
    #expect(FileManager.default.fileExists(atPath: folder.path("out/.tailwart-staging/journal")), "killed mid-write")

    try Data(shipped.utf8).write(to: folder.url.appendingPathComponent("lessons.md"))
    let next = try TailwartProcess.run(arguments, in: folder.url)
    #expect(next.status == 0, "\(next.stderr)")
    let names = folder.snapshot().keys.filter { $0.hasPrefix("out/") }
    #expect(!names.contains("out/lessons/99.html"))
    let strays = names.filter {
      ($0.contains("/.tailwart") && !$0.hasSuffix("/.tailwart-manifest.json")) || $0.hasSuffix(".tmp")
        || $0.hasSuffix(".old")
    }
    #expect(strays.isEmpty, "\(strays)")
    let again = try TailwartProcess.run(arguments, in: folder.url)
    #expect(again.stderr.contains("0 written"), "\(again.stderr)")
  }

  /// A site build whose write fails part-way (the disk fills up while the
  /// pages are staged, or a rename fails once they are going into place)
  /// leaves every page of the earlier build as it was, and says so.
  @Test func aSiteWriteFailureLeavesTheOldSiteWhole() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()
    let shipped = try String(
      contentsOf: TailwartProcess.packageRoot.appendingPathComponent("site/lessons.md"), encoding: .utf8)
    try Data(shipped.utf8).write(to: folder.url.appendingPathComponent("lessons.md"))
    let arguments = ["site", "-i", "inventory.yaml", "--lessons", "lessons.md", "-o", "out"]
    #expect(try TailwartProcess.run(arguments, in: folder.url).status == 0)
    // Files only: a folder's own time changes when a page goes in and out.
    let files = { folder.snapshot().filter { $0.key.hasPrefix("out/") && !$0.value.hasSuffix(" -") } }
    let before = files()
    #expect(before.count > 20)

    try Data((shipped + "\n## 99. A lesson added later\n\nSee Lesson 1.\n").utf8)
      .write(to: folder.url.appendingPathComponent("lessons.md"))
    for fault in ["TAILWART_TEST_FAIL_STAGE": "3", "TAILWART_TEST_FAIL_BEFORE_RENAME": "5"] {
      let failed = try TailwartProcess.run(arguments, in: folder.url, environment: [fault.key: fault.value])
      #expect(failed.status == 1, "\(fault.key)")
      #expect(failed.stderr.contains("step 'write'"), "\(fault.key): \(failed.stderr)")
      #expect(files() == before, "\(fault.key)")
    }
    let built = try TailwartProcess.run(arguments, in: folder.url)
    #expect(built.status == 0, "\(built.stderr)")
    #expect(FileManager.default.fileExists(atPath: folder.path("out/lessons/99.html")))
  }

  /// A file that shares a page's name and that the site did not write is
  /// kept, and nothing else is written, unless --force.
  @Test func aFileTheSiteDidNotWriteIsKeptUnlessForced() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()
    let lessons = TailwartProcess.packageRoot.appendingPathComponent("site/lessons.md").path
    try Data(try Data(contentsOf: URL(fileURLWithPath: lessons))).write(
      to: folder.url.appendingPathComponent("lessons.md"))
    try FileManager.default.createDirectory(atPath: folder.path("out"), withIntermediateDirectories: true)
    let own = "<p>the operator's own page</p>\n"
    try Data(own.utf8).write(to: folder.url.appendingPathComponent("out/index.html"))
    let arguments = ["site", "-i", "inventory.yaml", "--lessons", "lessons.md", "-o", "out"]

    let refused = try TailwartProcess.run(arguments, in: folder.url)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("error: was not written by tailwart; rerun with --force"), "\(refused.stderr)")
    #expect(folder.snapshot().keys.filter { $0.hasPrefix("out/") }.sorted() == ["out/index.html"])
    #expect(try folder.read("out/index.html") == own)

    // A folder an earlier tailwart built (a bare list, no hashes) is
    // named as such.
    try Data("index.html\n".utf8).write(to: folder.url.appendingPathComponent("out/.tailwart-site"))
    let earlier = try TailwartProcess.run(arguments, in: folder.url)
    #expect(earlier.status == 1)
    #expect(earlier.stderr.contains("built by an earlier tailwart"), "\(earlier.stderr)")

    let forced = try TailwartProcess.run(arguments + ["--force"], in: folder.url)
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(try folder.read("out/index.html") != own)
  }

  /// While another run holds the folder's lock, render refuses at once,
  /// says why and writes nothing.
  @Test func aSecondRunIsToldTheFolderIsBusy() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()
    #expect(try TailwartProcess.run(["render"], in: folder.url).status == 0)
    try folder.setRelayPort(from: 587, to: 465)
    try folder.edit("inventory.yaml", "    ip: [tcp:587]\n", "    ip: [tcp:465]\n")
    let before = folder.snapshot()

    let fd = open(folder.path("deploy/.tailwart.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    try #require(fd >= 0)
    try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
    let busy = try TailwartProcess.run(["render"], in: folder.url)
    #expect(busy.status == 1)
    #expect(busy.stderr.contains("deploy: is busy: another tailwart run is writing to it"))
    #expect(folder.snapshot().filter { !$0.key.hasSuffix("/.tailwart.lock") } == before)
    close(fd)

    let after = try TailwartProcess.run(["render"], in: folder.url)
    #expect(after.status == 0, "\(after.stderr)")
    #expect(after.stderr.contains("wrote deploy/docker-compose.yml"))
    #expect(!FileManager.default.fileExists(atPath: folder.path("deploy/.tailwart.lock")))
  }

  /// `/`, the inventory's folder and a folder above it are never an
  /// output folder, for render (with --check too) and for the site.
  @Test func rootAndTheInventoryFolderAreRefused() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    try folder.copyInventory()
    let before = folder.snapshot()
    for arguments in [
      ["render", "-o", "/"], ["render", "--check", "-o", "/"], ["render", "-o", "/", "--force"],
    ] {
      let r = try TailwartProcess.run(arguments, in: folder.url)
      #expect(r.status == 1, "\(arguments)")
      #expect(r.stderr.contains("/: is the root folder"), "\(arguments): \(r.stderr)")
    }
    for output in [".", folder.url.path, "./"] {
      let r = try TailwartProcess.run(["render", "-o", output, "--force"], in: folder.url)
      #expect(r.status == 1)
      #expect(r.stderr.contains("is the inventory's own folder"), "\(output): \(r.stderr)")
    }
    let above = try TailwartProcess.run(["render", "-o", "..", "--force"], in: folder.url)
    #expect(above.status == 1)
    #expect(above.stderr.contains("holds the inventory's folder"), "\(above.stderr)")
    let lessons = TailwartProcess.packageRoot.appendingPathComponent("site/lessons.md").path
    let site = try TailwartProcess.run(
      ["site", "-i", "inventory.yaml", "--lessons", lessons, "-o", ".", "--force"], in: folder.url)
    #expect(site.status == 1)
    #expect(site.stderr.contains("is the inventory's own folder"), "\(site.stderr)")
    #expect(folder.snapshot() == before)
  }
}

/// A temporary folder holding a copy of the repository's inventory.yaml.
private struct Scratch {
  let url: URL

  init() throws {
    url = URL(fileURLWithPath: NSTemporaryDirectory() + "tailwart-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

  func remove() { try? FileManager.default.removeItem(at: url) }

  func copyInventory() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    try FileManager.default.copyItem(
      at: root.appendingPathComponent("inventory.yaml"), to: url.appendingPathComponent("inventory.yaml"))
  }

  func read(_ relative: String) throws -> String {
    String(decoding: try Data(contentsOf: url.appendingPathComponent(relative)), as: UTF8.self)
  }

  func edit(_ relative: String, _ find: String, _ replace: String) throws {
    let text = try read(relative)
    try #require(text.components(separatedBy: find).count == 2, "\(find) must occur once in \(relative)")
    try Data(text.replacingOccurrences(of: find, with: replace).utf8).write(to: url.appendingPathComponent(relative))
  }

  /// Changes the port of the inventory's `relay:` block, whatever comment
  /// follows it on its line.
  func setRelayPort(from old: Int, to new: Int) throws {
    let text = try read("inventory.yaml")
    let block = try #require(text.range(of: "\nrelay:"), "the inventory has a relay block")
    let port = try #require(
      text.range(of: "\n  port: \(old)", range: block.upperBound..<text.endIndex), "relay port \(old)")
    try Data(text.replacingCharacters(in: port, with: "\n  port: \(new)").utf8)
      .write(to: url.appendingPathComponent("inventory.yaml"))
  }

  func git(_ arguments: [String]) throws -> TailwartProcess.Result {
    try TailwartProcess.shell(["git"] + arguments, in: url)
  }

  /// Every file and folder under the scratch folder with its bytes, inode
  /// and modification time.
  func snapshot() -> [String: String] {
    var out: [String: String] = [:]
    guard let walker = FileManager.default.enumerator(atPath: url.path) else { return out }
    for case let relative as String in walker where !relative.hasPrefix(".git/") && relative != ".git" {
      let attributes = (try? FileManager.default.attributesOfItem(atPath: path(relative))) ?? [:]
      // A folder is recorded by its name only: its time changes whenever a
      // run takes and drops the output folder's lock, which is not a write.
      if attributes[.type] as? FileAttributeType == .typeDirectory {
        out[relative] = "folder"
        continue
      }
      let data = FileManager.default.contents(atPath: path(relative)).map { $0.base64EncodedString() } ?? "-"
      out[relative] = "\(attributes[.systemFileNumber] ?? "") \(attributes[.modificationDate] ?? "") \(data)"
    }
    return out
  }
}

/// The repository's own generated files, as an operator commits them next to
/// inventory.yaml, must be what `render` would write now.
struct ShippedOutputsTests {
  @Test func deployFolderIsUpToDate() throws {
    let r = try TailwartProcess.run(["render", "--check"])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
  }
}
