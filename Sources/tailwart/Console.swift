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
      StandardStreams.out(FindingsJSON.encode(findings, siteURL: siteURL, sources: sources) + "\n")
    case .sarif:
      StandardStreams.out(SARIFLog.encode(findings, siteURL: siteURL, sources: sources) + "\n")
    case .github:
      StandardStreams.out(GitHubAnnotations.format(findings, siteURL: siteURL, sources: sources))
    case .text:
      let printer = DiagnosticPrinter(colour: colour, sources: sources) { finding in
        siteURL.flatMap { RuleCatalog.seeAlso(finding, siteURL: $0) }
      }
      let text = printer.format(findings.sortedForDisplay(), limit: Self.shownFindings)
      StandardStreams.err(text)
      let errors = findings.filter { $0.severity == .error }.count
      let warnings = findings.filter { $0.severity == .warning }.count
      if errors + warnings > 0 {
        var parts: [String] = []
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        StandardStreams.err(parts.joined(separator: " and ") + " found\n")
      }
    }
  }

  /// Most findings printed as text; the rest are counted (JSON lists all).
  static let shownFindings = 200

  /// A status or error line; paths and values in it are input, so it is
  /// masked and cleaned like a diagnostic.
  func status(_ line: String) {
    StandardStreams.err(TerminalText.safe(line) + "\n")
  }
}
