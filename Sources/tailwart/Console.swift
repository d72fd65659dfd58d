import Foundation
import TailwartCore

/// Where findings and messages go: text diagnostics on stderr (coloured on a
/// terminal unless NO_COLOR is set), or JSON on stdout.
struct Console {
  var format: OutputFormat = .text

  var colour: Bool {
    ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDERR_FILENO) == 1
      && ProcessInfo.processInfo.environment["TERM"] != "dumb"
  }

  func report(_ findings: [Finding], sources: [String: String], siteURL: String?) {
    switch format {
    case .json:
      StandardStreams.out(FindingsJSON.encode(findings, siteURL: siteURL) + "\n")
    case .text:
      let printer = DiagnosticPrinter(colour: colour, sources: sources) { finding in
        siteURL.flatMap { RuleCatalog.seeAlso(finding, siteURL: $0) }
      }
      let text = printer.format(findings.sortedForDisplay())
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

  func status(_ line: String) {
    StandardStreams.err(line + "\n")
  }
}
