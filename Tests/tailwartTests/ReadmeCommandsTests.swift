import Foundation
import Testing

@testable import TailwartCore

/// The README's "Commands" table is what `--help` says: the same
/// subcommands, and for each the same options. Shell completion completes
/// rule ids for `explain`.
struct ReadmeCommandsTests {
  /// The README's Commands table: the usage cell of each row, by subcommand.
  static func readmeRows() throws -> [String: String] {
    let readme = try String(contentsOf: TailwartProcess.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.components(separatedBy: "\n## Commands\n").dropFirst().first)
    var rows: [String: String] = [:]
    for line in section.components(separatedBy: "\n## ")[0].split(separator: "\n") where line.hasPrefix("| `tailwart ") {
      // The first cell ends at " | " (a `\|` inside it is an escaped bar).
      let usage = line.dropFirst(2).components(separatedBy: " | ")[0]
      // The command's words: up to the first option or placeholder (`dns push`, `explain`).
      let words = usage.dropFirst("`tailwart ".count).split(whereSeparator: { $0 == " " || $0 == "`" })
      let name = words.prefix { $0.allSatisfy { $0.isLowercase || $0 == "-" } && !$0.hasPrefix("-") }
      rows[name.joined(separator: " ")] = usage
    }
    return rows
  }

  /// Subcommands from `tailwart --help`; one with subcommands of its own
  /// (`dns`) stands for each of them (`dns plan`, `dns push`).
  static func subcommands(of parent: [String] = []) throws -> [String] {
    let help = try TailwartProcess.run(parent + ["--help"]).stdout
    guard let list = help.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first else { return [] }
    var out: [String] = []
    for line in list.split(separator: "\n") where line.hasPrefix("  ") && !line.hasPrefix("   ") {
      let name = String(line.dropFirst(2).prefix { $0 != " " })
      guard !name.isEmpty, name != "See" else { continue }
      let nested = try subcommands(of: parent + [name])
      out += nested.isEmpty ? [(parent + [name]).joined(separator: " ")] : nested
    }
    return out
  }

  @Test func everySubcommandHasARowAndNoRowIsStale() throws {
    let rows = try Self.readmeRows()
    let commands = try Self.subcommands()
    #expect(!commands.isEmpty)
    #expect(Set(rows.keys) == Set(commands), "README rows \(rows.keys.sorted()) vs --help \(commands.sorted())")
  }

  @Test func everyRowNamesExactlyTheCommandsOptions() throws {
    let rows = try Self.readmeRows()
    for command in try Self.subcommands() {
      guard let usage = rows[command] else { continue }
      let help = try TailwartProcess.run(command.split(separator: " ").map(String.init) + ["--help"]).stdout
      let options = try #require(help.components(separatedBy: "OPTIONS:\n").dropFirst().first)
      var long: [String: String?] = [:]  // --long → -s
      for line in options.split(separator: "\n") where line.hasPrefix("  -") {
        let words = line.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
        guard let name = words.first(where: { $0.hasPrefix("--") }), name != "--help", name != "--version" else { continue }
        long[name] = words.first.flatMap { $0.hasPrefix("--") ? nil : $0 }
      }
      for (name, short) in long {
        #expect(usage.contains(name) || short.map { usage.contains($0 + " ") } == true, "README row of \(command) lacks \(name)")
      }
      let written = usage.split(whereSeparator: { " [`|/\\]".contains($0) }).filter { $0.hasPrefix("--") }
      for option in written {
        #expect(long.keys.contains(String(option)), "README row of \(command) names \(option), which --help does not")
      }
    }
  }

  @Test func theReadmeNamesTheRulesThatCannotBeIgnored() throws {
    let readme = try String(contentsOf: TailwartProcess.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.components(separatedBy: "## Deliberate exceptions").dropFirst().first)
    for id in IgnoreList.unignorable.keys { #expect(section.contains("`\(id)`"), "\(id)") }
    let page = try TailwartProcess.run(["explain", "dns-records-valid"]).stdout
    #expect(page.contains("\nIgnoring\n  Its findings cannot be ignored: "))
    let ignorable = try TailwartProcess.run(["explain", "magicdns-not-ips"]).stdout
    #expect(ignorable.contains("`rule: magicdns-not-ips`"))
  }

  /// bash completion, as bash runs it: `tailwart explain magic<TAB>`.
  @Test func bashCompletesRuleIdsForExplain() throws {
    let binary = try TailwartProcess.binary().path
    let script = """
      source <('\(binary)' --generate-completion-script bash)
      COMP_WORDS=(tailwart explain relay-o); COMP_CWORD=2
      COMP_LINE='tailwart explain relay-o'; COMP_POINT=${#COMP_LINE}
      _tailwart tailwart relay-o explain
      printf '%s\\n' "${COMPREPLY[@]}"
      """
    let run = try TailwartProcess.shell(["bash", "-c", script])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout == "relay-over-tailnet\n", "\(run.stdout)")
  }
}
