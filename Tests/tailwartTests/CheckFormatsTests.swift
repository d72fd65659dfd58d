import Foundation
import Testing

/// `tailwart check --format json|sarif|github`, run as a CI job runs it: the
/// findings on stdout, each with its start and end, the SARIF log valid
/// against the official schema.
struct CheckFormatsTests {
  static let schema = TailwartProcess.packageRoot.appendingPathComponent("Tests/Data/sarif-2.1.0/sarif-schema-2.1.0.json")

  /// A copy of the shipped inventory with the relay written as an address.
  func brokenInventory(in folder: URL) throws -> Int {
    let text = try String(contentsOf: TailwartProcess.packageRoot.appendingPathComponent("inventory.yaml"), encoding: .utf8)
    let bad = text.replacingOccurrences(of: "  host: mailbox  ", with: "  host: 100.79.87.80")
    try #require(bad != text)
    try bad.write(to: folder.appendingPathComponent("inventory.yaml"), atomically: true, encoding: .utf8)
    return bad.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("100.79.87.80") }! + 1
  }

  @Test func sarifIsValidAndPointsAtTheValue() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let line = try brokenInventory(in: dir)
    let run = try TailwartProcess.run(["check", "--format", "sarif"], in: dir)
    #expect(run.status == 1)
    try Data(run.stdout.utf8).write(to: dir.appendingPathComponent("check.sarif"))
    let validation = try ExternalProgram("check-jsonschema").run(
      ["--schemafile", Self.schema.path, "check.sarif"], in: dir)
    #expect(validation.status == 0, "\(validation.output)")
    #expect(run.stdout.contains("\"startLine\" : \(line)"))
    #expect(run.stdout.contains("\"startColumn\" : 9"))
    #expect(run.stdout.contains("\"endColumn\" : 21"))
    #expect(run.stdout.contains("\"helpUri\" : \"https://lessons.tail7b1641.ts.net/rules/magicdns-not-ips.html\""))

    // An inventory that does not load still gives a valid log.
    try Data("domain: [\n".utf8).write(to: dir.appendingPathComponent("broken.yaml"))
    let broken = try TailwartProcess.run(["check", "-i", "broken.yaml", "--format", "sarif"], in: dir)
    #expect(broken.status == 1)
    try Data(broken.stdout.utf8).write(to: dir.appendingPathComponent("broken.sarif"))
    let second = try ExternalProgram("check-jsonschema").run(["--schemafile", Self.schema.path, "broken.sarif"], in: dir)
    #expect(second.status == 0, "\(second.output)")
    #expect(broken.stdout.contains("\"uri\" : \"broken.yaml\""))
  }

  @Test func githubAnnotatesTheRange() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let line = try brokenInventory(in: dir)
    let run = try TailwartProcess.run(["check", "--format", "github"], in: dir)
    #expect(run.status == 1)
    #expect(
      run.stdout.hasPrefix(
        "::error file=inventory.yaml,line=\(line),col=9,endLine=\(line),endColumn=21,title=tailwart [magicdns-not-ips]::relay host 100.79.87.80 is a tailnet address"
      ), "\(run.stdout)")
    #expect(run.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") })
  }

  @Test func jsonCarriesTheEnd() throws {
    let dir = try TailwartProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let line = try brokenInventory(in: dir)
    let run = try TailwartProcess.run(["check", "--format", "json"], in: dir)
    let items = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
    let item = try #require(items.first { $0["rule"] as? String == "magicdns-not-ips" })
    #expect(item["line"] as? Int == line && item["endLine"] as? Int == line)
    #expect(item["column"] as? Int == 9 && item["endColumn"] as? Int == 21)
  }
}
