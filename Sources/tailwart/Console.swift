import Foundation
import TailwartCore

/// Where findings and messages go: text diagnostics on stderr (coloured on a
/// terminal unless NO_COLOR is set), or JSON, SARIF or GitHub workflow
/// commands on stdout.
struct Console {
  var format: OutputFormat = .text

  var colour: Bool {
    ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDERR_FILENO) == 1
      && ProcessInfo.processInfo.environment["TERM"] != "dumb"
  }

  func report(_ findings: [Finding], sources: [String: String], siteURL: String?) {
    switch format {
    case .json:
      print(FindingsJSON.encode(findings, siteURL: siteURL, sources: sources))
    case .sarif:
      print(SARIFLog.encode(findings, siteURL: siteURL, sources: sources))
    case .github:
      print(GitHubAnnotations.format(findings, siteURL: siteURL, sources: sources), terminator: "")
    case .text:
      let printer = DiagnosticPrinter(colour: colour, sources: sources) { finding in
        siteURL.flatMap { RuleCatalog.seeAlso(finding, siteURL: $0) }
      }
      let text = printer.format(findings.sortedForDisplay())
      FileHandle.standardError.write(Data(text.utf8))
      let errors = findings.filter { $0.severity == .error }.count
      let warnings = findings.filter { $0.severity == .warning }.count
      if errors + warnings > 0 {
        var parts: [String] = []
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        FileHandle.standardError.write(Data((parts.joined(separator: " and ") + " found\n").utf8))
      }
    }
  }

  func status(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}
