import Foundation

/// Findings as JSON, for editors and CI annotations: a list of objects with
/// file, line, column, severity, rule, message, help, notes and url.
public enum FindingsJSON {
  struct Item: Encodable {
    var file: String
    var line: Int?
    var column: Int?
    var severity: String
    var rule: String?
    var message: String
    var help: String?
    var notes: [String]
    var url: String?
  }

  public static func encode(_ findings: [Finding], siteURL: String?) -> String {
    let items = findings.sortedForDisplay().map { f in
      Item(
        file: f.file, line: f.span?.start.line, column: f.span?.start.column, severity: f.severity.rawValue,
        rule: f.ruleID, message: f.message, help: f.help, notes: f.notes,
        url: f.ruleID.flatMap { id in siteURL.flatMap { RuleCatalog.rule(id: id)?.description.url(base: $0) } })
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(items)) ?? Data("[]".utf8)
    return String(decoding: data, as: UTF8.self)
  }
}
