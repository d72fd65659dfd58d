import Foundation

/// Findings as JSON, for editors and CI annotations: a list of objects with
/// file, line, column, endLine, endColumn (just after the last character),
/// severity, rule, message, help, notes, url, path (the key path an
/// `ignore:` entry names) and ignored (its reason, on an ignored finding).
public enum FindingsJSON {
  struct Item: Encodable {
    var file: String
    var line: Int?
    var column: Int?
    var endLine: Int?
    var endColumn: Int?
    var severity: String
    var rule: String?
    var message: String
    var help: String?
    var notes: [String]
    var url: String?
    /// The key path of the value (what an `ignore:` entry names as `at`).
    var path: String?
    /// The reason of the `ignore:` entry that keeps this finding.
    var ignored: String?
  }

  public static func encode(_ findings: [Finding], siteURL: String?, sources: [String: String] = [:]) -> String {
    // Every text that may echo input is masked and cleaned, as on a
    // terminal: CI logs print this JSON too.
    let safe = { TerminalText.safe($0) }
    let items = findings.sortedForDisplay().map { f in
      let range = FindingRange(f, source: sources[f.file])
      return Item(
        file: safe(f.file), line: range?.start.line, column: range?.start.column, endLine: range?.end.line,
        endColumn: range?.end.column, severity: f.severity.rawValue,
        rule: f.ruleID, message: safe(f.message), help: f.help.map(safe), notes: f.notes.map(safe),
        url: f.ruleID.flatMap { id in siteURL.flatMap { RuleCatalog.rule(id: id)?.description.url(base: $0) } }.map(safe),
        path: f.keyPath.map(safe), ignored: f.ignored.map(safe))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(items)) ?? Data("[]".utf8)
    return String(decoding: data, as: UTF8.self)
  }
}
