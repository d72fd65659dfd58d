import Foundation
import Testing

/// `tailwart init` in a new folder, then check, render and site with no
/// other file; never overwriting; a fresh ULA each time; asking on a
/// terminal only.
@Suite(.serialized)
struct InitCommandTests {
  @Test func anEmptyFolderBecomesAWorkingDeployment() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let initialised = try TailwartProcess.run(["init"], in: dir)
    #expect(initialised.status == 0, "\(initialised.stderr)")
    #expect(initialised.stderr.contains("placeholders to replace in inventory.yaml: domain (example.com)"))
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    #expect(names == [".gitignore", "inventory.schema.json", "inventory.yaml", "site"])
    #expect(try String(contentsOf: dir.appendingPathComponent(".gitignore"), encoding: .utf8).contains("_site/\n.tailwart/\n"))

    let check = try TailwartProcess.run(["check"], in: dir)
    #expect(check.status == 0, "\(check.stderr)")
    #expect(check.stderr.hasPrefix("inventory.yaml: no findings"), "\(check.stderr)")
    let render = try TailwartProcess.run(["render"], in: dir)
    #expect(render.status == 0, "\(render.stderr)")
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("deploy/docker-compose.yml").path))
    let site = try TailwartProcess.run(["site"], in: dir)
    #expect(site.status == 0, "\(site.stderr)")
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("_site/index.html").path))
  }

  @Test func theOperatorsValuesGoInAndCheckNamesThePlaceholderLeft() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try TailwartProcess.run(
      [
        "init", "ops", "--domain", "mail-ops.org", "--tailnet", "tail99ab12.ts.net", "--acme-account",
        "https://acme-v02.api.letsencrypt.org/acme/acct/55555",
      ], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("next: cd ops && tailwart check"))
    let text = try String(contentsOf: dir.appendingPathComponent("ops/inventory.yaml"), encoding: .utf8)
    #expect(text.contains("domain: mail-ops.org "))
    #expect(text.contains("hostname: mail.mail-ops.org "))
    #expect(text.contains("site_url: https://lessons.tail99ab12.ts.net "))
    #expect(text.contains("account_uri: https://acme-v02.api.letsencrypt.org/acme/acct/55555"))
    #expect(!text.contains("example.com") && !text.contains("tail7b1641") && !text.contains("1234567890"))
    let check = try TailwartProcess.run(["check", "-i", "ops/inventory.yaml", "--format", "json"], in: dir)
    #expect(check.status == 0, "warnings only: \(check.stdout)")
    let items = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [[String: Any]])
    #expect(!items.isEmpty)
    #expect(items.allSatisfy { $0["rule"] as? String == "reference-values-replaced" && $0["severity"] as? String == "warning" })
    // The edge's address and the relay's sending address are left as placeholders.
    #expect(
      items.allSatisfy {
        let message = $0["message"] as? String ?? ""
        return message.hasPrefix("203.0.113.10 is in 203.0.113.0/24") || message.hasPrefix("198.51.100.25 is in 198.51.100.0/24")
      })
  }

  @Test func everyInitDrawsAFreshULA() throws {
    var prefixes: Set<String> = []
    for _ in 0..<3 {
      let dir = try TailwartProcess.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: dir) }
      #expect(try TailwartProcess.run(["init"], in: dir).status == 0)
      let text = try String(contentsOf: dir.appendingPathComponent("inventory.yaml"), encoding: .utf8)
      let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("  subnet: ") })
      #expect(!line.contains("fd3c:91e2:5a07"))
      prefixes.insert(String(line))
      #expect(try TailwartProcess.run(["check", "--strict"], in: dir).status == 0)
    }
    #expect(prefixes.count == 3)
  }

  @Test func nothingIsEverOverwritten() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data("domain: mine.example\n".utf8).write(to: dir.appendingPathComponent("inventory.yaml"))
    let before = try TailwartProcess.snapshot(dir)
    let refused = try TailwartProcess.run(["init"], in: dir)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("inventory.yaml already exists; init never overwrites a file (nothing written)"))
    #expect(try TailwartProcess.snapshot(dir).mapValues(\.0) == before.mapValues(\.0))

    // A .gitignore and a lessons file of the operator's own are kept.
    try FileManager.default.removeItem(at: dir.appendingPathComponent("inventory.yaml"))
    try Data("node_modules/\n".utf8).write(to: dir.appendingPathComponent(".gitignore"))
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("site"), withIntermediateDirectories: true)
    try Data("## 1. Mine\n".utf8).write(to: dir.appendingPathComponent("site/lessons.md"))
    let kept = try TailwartProcess.run(["init"], in: dir)
    #expect(kept.status == 0, "\(kept.stderr)")
    #expect(kept.stderr.contains(".gitignore exists and is left as it is; add to it: _site/ .tailwart/"))
    #expect(try String(contentsOf: dir.appendingPathComponent(".gitignore"), encoding: .utf8) == "node_modules/\n")
    #expect(try String(contentsOf: dir.appendingPathComponent("site/lessons.md"), encoding: .utf8) == "## 1. Mine\n")
  }

  @Test func badOptionsAreUsageErrors() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try TailwartProcess.run(["init", "--tailnet", "example.com"], in: dir)
    #expect(run.status == 2)
    #expect(run.stderr.contains("--tailnet example.com is not a MagicDNS suffix"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
  }

  /// On a terminal (a pseudo-terminal from util-linux `script`), init asks
  /// for what was not given, asks again after a wrong answer, and keeps the
  /// placeholder for an empty one.
  @Test func onATerminalItAsks() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let binary = try TailwartProcess.binary().path
    let answers = "not a domain!\nmail-ops.org\n198.51.100.7\n\n"
    let run = try ExternalProgram("script").run(
      ["-qec", "\(binary) init --tailnet tail99ab12.ts.net", "/dev/null"], in: dir, input: answers)
    #expect(run.status == 0, "\(run.output)")
    #expect(run.output.contains("mail domain (e.g. example.org): "))
    #expect(run.output.contains("not valid here; try again"))
    #expect(!run.output.contains("tailnet MagicDNS suffix"), "a value given as an option is not asked for")
    let text = try String(contentsOf: dir.appendingPathComponent("inventory.yaml"), encoding: .utf8)
    #expect(text.contains("domain: mail-ops.org "))
    #expect(text.contains("public_ipv4: 198.51.100.7"))
    #expect(text.contains("# account_uri: set it"))
  }
}
