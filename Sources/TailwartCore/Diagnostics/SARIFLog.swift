import Foundation

/// Findings as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange
/// Format), the file code-scanning services and review tools read. One run:
/// tailwart as the tool with every rule's metadata (summary, why, fix, the
/// page on the lessons site), then one result per finding with its range.
/// No source text is copied into the log: a quoted line could hold a secret.
public enum SARIFLog {
  public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

  public static func encode(_ findings: [Finding], siteURL: String?, sources: [String: String] = [:]) -> String {
    let rules = RuleCatalog.descriptions
    let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    let log = Log(
      schema: schemaURI, version: "2.1.0",
      runs: [
        Run(
          tool: Tool(
            driver: Driver(
              name: "tailwart", version: TailwartVersion.current, semanticVersion: TailwartVersion.current,
              rules: rules.map { rule($0, siteURL: siteURL) })),
          columnKind: "unicodeCodePoints",
          results: findings.sortedForDisplay().map { result($0, index: index, sources: sources) })
      ])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(log)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .note: "note"
    }
  }

  static func rule(_ d: RuleDescription, siteURL: String?) -> ReportingDescriptor {
    let severity: String
    switch d.severity {
    case .error: severity = "error"
    case .warning: severity = "warning"
    case .note: severity = "recommendation"
    }
    var tags = d.lessons.map { "lesson-\($0)" }
    if d.lessons.isEmpty { tags.append("structural") }
    return ReportingDescriptor(
      id: d.id, name: d.id, shortDescription: Text(text: d.summary), fullDescription: Text(text: d.rationale),
      help: Text(text: d.fix), helpUri: siteURL.map { d.url(base: $0) },
      defaultConfiguration: Configuration(level: level(d.severity)),
      properties: RuleProperties(tags: tags, lessons: d.lessons, problemSeverity: severity))
  }

  static func result(_ f: Finding, index: [String: Int], sources: [String: String]) -> Result {
    // Every echoed value goes through TerminalText.safe: secrets masked,
    // controls replaced.
    let safe = { TerminalText.safe($0) }
    var text = safe(f.message)
    if let help = f.help { text += "\nhelp: " + safe(help) }
    for note in f.notes { text += "\nnote: " + safe(note) }
    let region = FindingRange(f, source: sources[f.file]).map { range in
      Region(
        startLine: range.start.line, startColumn: range.start.column, endLine: range.end.line,
        endColumn: range.end.column)
    }
    // An ignored finding is a suppressed result: kept, with the reason,
    // and shown as such by SARIF viewers.
    let suppressions = f.ignored.map { reason in
      [Suppression(kind: "inSource", justification: reason.isEmpty ? nil : safe(reason))]
    }
    return Result(
      ruleId: f.ruleID, ruleIndex: f.ruleID.flatMap { index[$0] }, level: level(f.severity), message: Text(text: text),
      locations: [
        Location(physicalLocation: PhysicalLocation(artifactLocation: ArtifactLocation(uri: uri(safe(f.file))), region: region))
      ], suppressions: suppressions)
  }

  /// A file path as a relative URI reference (`my inventory.yaml` →
  /// `my%20inventory.yaml`); absolute paths become `file://` URIs.
  static func uri(_ path: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: ":")
    let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    return path.hasPrefix("/") ? "file://" + encoded : encoded
  }

  // MARK: the parts of the log tailwart writes (SARIF 2.1.0 §3)

  struct Log: Encodable {
    var schema: String
    var version: String
    var runs: [Run]
    enum CodingKeys: String, CodingKey {
      case schema = "$schema"
      case version, runs
    }
  }

  struct Run: Encodable {
    var tool: Tool
    var columnKind: String
    var results: [Result]
  }

  struct Tool: Encodable { var driver: Driver }

  struct Driver: Encodable {
    var name: String
    var version: String
    var semanticVersion: String
    var rules: [ReportingDescriptor]
  }

  struct Text: Encodable { var text: String }

  struct ReportingDescriptor: Encodable {
    var id: String
    var name: String
    var shortDescription: Text
    var fullDescription: Text
    var help: Text
    var helpUri: String?
    var defaultConfiguration: Configuration
    var properties: RuleProperties
  }

  struct Configuration: Encodable { var level: String }

  struct RuleProperties: Encodable {
    var tags: [String]
    var lessons: [Int]
    /// GitHub code scanning's severity for a rule.
    var problemSeverity: String
    enum CodingKeys: String, CodingKey {
      case tags, lessons
      case problemSeverity = "problem.severity"
    }
  }

  struct Result: Encodable {
    var ruleId: String?
    var ruleIndex: Int?
    var level: String
    var message: Text
    var locations: [Location]
    var suppressions: [Suppression]?
  }

  struct Suppression: Encodable {
    var kind: String
    var justification: String?
  }

  struct Location: Encodable { var physicalLocation: PhysicalLocation }

  struct PhysicalLocation: Encodable {
    var artifactLocation: ArtifactLocation
    var region: Region?
  }

  struct ArtifactLocation: Encodable { var uri: String }

  struct Region: Encodable {
    var startLine: Int
    var startColumn: Int
    var endLine: Int
    var endColumn: Int
  }
}
