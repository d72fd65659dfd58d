import Foundation
import Testing

/// The pre-commit check run the ways an operator meets it: `git commit` with
/// the hook `install-hook` writes, `tailwart pre-commit` by hand, and the
/// pre-commit framework with the repository's `.pre-commit-hooks.yaml`. A
/// real git repository in a temporary folder and the built binary; only
/// what is staged decides.
@Suite(.serialized)
struct StagedCommitTests {
  @Test func theGitHookRefusesAnInventoryStagedWithoutItsFiles() throws {
    let repo = try Repository()
    defer { repo.remove() }
    try repo.start()
    #expect(try repo.tailwart(["install-hook"]).status == 0)
    let first = try repo.commit("the deployment")
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("inventory.yaml (staged): passes (") && first.stderr.contains(" generated files staged and up to date)"), "\(first.stderr)")

    // The inventory changes and is staged; its files are not rendered.
    try repo.edit("inventory.yaml", "  ttl: 3600 ", "  ttl: 1800 ")
    try repo.git(["add", "inventory.yaml"])
    let refused = try repo.commit("shorter ttl")
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("tailwart: error: deploy/dns/zone.db is staged but out of date"), "\(refused.stderr)")
    #expect(refused.stderr.contains("help: run `tailwart render -i inventory.yaml`, then: git add deploy/dns/zone.db"))
    #expect(!refused.stderr.contains("docker-compose.yml"), "an unchanged file is not named")
    #expect(try repo.commits() == 1)

    // Rendered but not staged: the working tree is right, the commit is not.
    #expect(try repo.tailwart(["render"]).status == 0)
    let unstaged = try repo.commit("shorter ttl")
    #expect(unstaged.status != 0)
    #expect(
      unstaged.stderr.contains(
        "help: the working tree holds the rendered files; stage them: git add deploy/dns/zone.db deploy/dns/spaceship.json deploy/.tailwart-manifest.json"
      ), "\(unstaged.stderr)")
    #expect(try repo.commits() == 1)

    try repo.git(["add", "deploy"])
    let passed = try repo.commit("shorter ttl")
    #expect(passed.status == 0, "\(passed.stderr)")
    #expect(try repo.commits() == 2)
  }

  @Test func unstagedEditsNeverDecide() throws {
    let repo = try Repository()
    defer { repo.remove() }
    try repo.start()
    #expect(try repo.tailwart(["install-hook"]).status == 0)
    #expect(try repo.commit("the deployment").status == 0)

    // A broken inventory and a hand-edited file in the working tree, not
    // staged: what is staged is consistent, so the commit goes ahead.
    try repo.edit("inventory.yaml", "  host: mailbox ", "  host: 100.79.87.80 ")
    try repo.edit("deploy/docker-compose.yml", "retries: 12", "retries: 3")
    try repo.write("notes.txt", "unrelated\n")
    try repo.git(["add", "notes.txt"])
    let passed = try repo.commit("notes")
    #expect(passed.status == 0, "\(passed.stderr)")
    #expect(passed.stderr.contains("checking the staged version"), "\(passed.stderr)")
    #expect(try repo.commits() == 2)

    // The other way round: the broken inventory staged, the working tree
    // fixed again. The staged one decides.
    try repo.git(["add", "inventory.yaml"])
    try repo.edit("inventory.yaml", "  host: 100.79.87.80 ", "  host: mailbox ")
    try repo.git(["checkout", "--", "deploy/docker-compose.yml"])
    let refused = try repo.commit("relay by address")
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("error: [magicdns-not-ips]"), "\(refused.stderr)")
    #expect(refused.stderr.contains("host: 100.79.87.80"), "the staged line is quoted")
    #expect(refused.stderr.contains("commit refused: the staged inventory.yaml does not pass tailwart check"))
    #expect(try repo.commits() == 2)
  }

  @Test func aStagedHandEditIsRefusedWithWhereToKeepIt() throws {
    let repo = try Repository()
    defer { repo.remove() }
    try repo.start()
    #expect(try repo.git(["commit", "-q", "-m", "the deployment"]).status == 0)
    try repo.edit("deploy/docker-compose.yml", "retries: 12", "retries: 3")
    try repo.git(["add", "deploy/docker-compose.yml"])
    let refused = try repo.tailwart(["pre-commit"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("deploy/docker-compose.yml is staged with a hand edit"), "\(refused.stderr)")
    #expect(refused.stderr.contains("docker-compose.override.yml"))

    // The same change kept in Compose's override file passes: render never
    // touches it, and the generated file stays as rendered.
    try repo.git(["checkout", "HEAD", "--", "deploy/docker-compose.yml"])
    try repo.write("deploy/docker-compose.override.yml", "services:\n  ts-stalwart:\n    healthcheck:\n      retries: 3\n")
    try repo.git(["add", "deploy/docker-compose.override.yml"])
    let passed = try repo.tailwart(["pre-commit"])
    #expect(passed.status == 0, "\(passed.stderr)")
    #expect(try repo.tailwart(["render"]).status == 0)
    #expect(try repo.read("deploy/docker-compose.override.yml").contains("retries: 3"))
  }

  @Test func nothingToCompareWhenTheInventoryOrTheOutputIsNotCommitted() throws {
    let repo = try Repository()
    defer { repo.remove() }
    try repo.copyInventory()
    try repo.git(["init", "-q"])
    let unstaged = try repo.tailwart(["pre-commit"])
    #expect(unstaged.status == 0)
    #expect(unstaged.stderr.contains("inventory.yaml: not staged (nothing to check)"))

    try repo.write(".gitignore", "deploy/\n")
    try repo.git(["add", "inventory.yaml", ".gitignore"])
    let ignored = try repo.tailwart(["pre-commit"])
    #expect(ignored.status == 0, "\(ignored.stderr)")
    #expect(ignored.stderr.contains("deploy is ignored by git, not compared"), "\(ignored.stderr)")

    let outside = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: outside) }
    let noRepository = try TailwartProcess.run(["pre-commit"], in: outside, environment: ["GIT_CEILING_DIRECTORIES": outside.deletingLastPathComponent().path])
    #expect(noRepository.status == 2)
    #expect(noRepository.stderr.contains("not inside a git working tree"), "\(noRepository.stderr)")
  }

  /// The pre-commit framework, with this repository's manifest, gives the
  /// same answers as the git hook in the same states.
  @Test func thePreCommitFrameworkGivesTheSameAnswers() throws {
    let hooks = try Repository()
    defer { hooks.remove() }
    try hooks.git(["init", "-q"])
    try FileManager.default.copyItem(
      at: TailwartProcess.packageRoot.appendingPathComponent(".pre-commit-hooks.yaml"),
      to: hooks.url.appendingPathComponent(".pre-commit-hooks.yaml"))
    try hooks.git(["add", "."])
    try hooks.git(["commit", "-q", "-m", "hooks"])
    let rev = try hooks.git(["rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

    let repo = try Repository()
    defer { repo.remove() }
    try repo.start()
    try repo.write(
      ".pre-commit-config.yaml",
      "repos:\n  - repo: \(hooks.url.path)\n    rev: \(rev)\n    hooks:\n      - id: tailwart\n")
    try repo.git(["add", ".pre-commit-config.yaml"])
    let home = hooks.url.appendingPathComponent("pre-commit-home").path
    let binFolder = try TailwartProcess.binary().deletingLastPathComponent().path
    let path = binFolder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    let framework = try ExternalProgram("pre-commit")
    func run() throws -> (framework: Int32, direct: Int32, output: String) {
      let direct = try repo.tailwart(["pre-commit"])
      let viaFramework = try framework.run(
        ["run", "--hook-stage", "pre-commit"], in: repo.url, environment: ["PATH": path, "PRE_COMMIT_HOME": home])
      return (viaFramework.status, direct.status, viaFramework.output)
    }

    let clean = try run()
    #expect(clean.framework == 0 && clean.direct == 0, "\(clean.output)")

    try repo.edit("inventory.yaml", "  ttl: 3600 ", "  ttl: 1800 ")
    try repo.git(["add", "inventory.yaml"])
    let stale = try run()
    #expect(stale.framework == 1 && stale.direct == 1, "\(stale.output)")
    #expect(stale.output.contains("git add deploy/dns/zone.db"), "\(stale.output)")

    #expect(try repo.tailwart(["render"]).status == 0)
    try repo.git(["add", "deploy"])
    // An unstaged, broken edit: the framework stashes it, tailwart reads the
    // index; both pass.
    try repo.edit("inventory.yaml", "  host: mailbox ", "  host: 100.79.87.80 ")
    let staged = try run()
    #expect(staged.framework == 0 && staged.direct == 0, "\(staged.output)")
    #expect(try repo.read("inventory.yaml").contains("100.79.87.80"), "the framework puts unstaged edits back")
  }
}

/// A program found on PATH or in the tests' venv; missing is a failure.
struct ExternalProgram {
  let url: URL

  init(_ name: String) throws {
    var folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
    folders.append(TailwartProcess.packageRoot.appendingPathComponent(".build-tools/venv/bin").path)
    let found = folders.map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    url = try #require(found, "\(name) is not installed (scripts/setup --test installs it)")
  }

  /// Runs it; stdout and stderr together, through a file.
  func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:], input: String? = nil) throws -> (
    status: Int32, output: String
  ) {
    let scratch = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let log = scratch.appendingPathComponent("output")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    defer { try? handle.close() }
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardOutput = handle
    process.standardError = handle
    let stdin = scratch.appendingPathComponent("input")
    try Data((input ?? "").utf8).write(to: stdin)
    process.standardInput = try FileHandle(forReadingFrom: stdin)
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: try Data(contentsOf: log), as: UTF8.self))
  }
}

/// A git repository in a temporary folder, with its own identity and no
/// global or system configuration.
struct Repository {
  let url: URL

  init() throws { url = try TailwartProcess.temporaryDirectory() }

  func remove() { try? FileManager.default.removeItem(at: url) }

  static let environment = [
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_AUTHOR_NAME": "Operator",
    "GIT_AUTHOR_EMAIL": "operator@example.com", "GIT_COMMITTER_NAME": "Operator",
    "GIT_COMMITTER_EMAIL": "operator@example.com",
  ]

  /// The repository's inventory and its rendered files, all staged.
  func start() throws {
    try copyInventory()
    try git(["init", "-q"])
    #expect(try tailwart(["render"]).status == 0)
    try git(["add", "-A"])
  }

  func copyInventory() throws {
    try FileManager.default.copyItem(
      at: TailwartProcess.packageRoot.appendingPathComponent("inventory.yaml"),
      to: url.appendingPathComponent("inventory.yaml"))
  }

  @discardableResult
  func git(_ arguments: [String]) throws -> TailwartProcess.Result {
    let result = try TailwartProcess.shell(["git"] + arguments, in: url, environment: Self.environment)
    #expect(result.status == 0 || arguments.first == "commit", "git \(arguments): \(result.stderr)")
    return result
  }

  /// `git commit` with the hook finding the built binary.
  func commit(_ message: String) throws -> TailwartProcess.Result {
    var environment = Self.environment
    environment["TAILWART"] = try TailwartProcess.binary().path
    return try TailwartProcess.shell(["git", "commit", "-q", "-m", message], in: url, environment: environment)
  }

  func commits() throws -> Int {
    Int(try git(["rev-list", "--count", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
  }

  func tailwart(_ arguments: [String]) throws -> TailwartProcess.Result {
    try TailwartProcess.run(arguments, in: url, environment: Self.environment)
  }

  func read(_ relative: String) throws -> String {
    String(decoding: try Data(contentsOf: url.appendingPathComponent(relative)), as: UTF8.self)
  }

  func write(_ relative: String, _ text: String) throws {
    try Data(text.utf8).write(to: url.appendingPathComponent(relative))
  }

  func edit(_ relative: String, _ find: String, _ replace: String) throws {
    let text = try read(relative)
    try #require(text.components(separatedBy: find).count == 2, "\(find) must occur once in \(relative)")
    try write(relative, text.replacingOccurrences(of: find, with: replace))
  }
}
