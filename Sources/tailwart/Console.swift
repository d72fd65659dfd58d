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
      let errors = findings.filter { $0.severity == .error && $0.ignored == nil }.count
      let warnings = findings.filter { $0.severity == .warning && $0.ignored == nil }.count
      let ignored = findings.filter { $0.ignored != nil }.count
      if errors + warnings + ignored > 0 {
        // One summary per file the findings are about, in the commands' one style.
        let files = Array(Set(findings.map(\.file))).sorted()
        let subject = files.count == 1 ? TerminalText.safe(files[0]) : "\(files.count) files"
        let parts = [
          (errors, errors == 1 ? "error" : "errors"), (warnings, warnings == 1 ? "warning" : "warnings"),
          (ignored, "ignored"),
        ]
        StandardStreams.err(Summary.line(subject, parts) + "\n")
      }
    }
  }

  /// An error that stopped a command, said plainly: findings as
  /// diagnostics, anything else by its description, never a dump of a
  /// Swift value.
  func failure(_ error: any Error, sources: [String: String] = [:], siteURL: String? = nil) {
    if let found = error as? FindingsError {
      report(found.findings, sources: sources, siteURL: siteURL)
    } else if let failure = error as? SelfCheckError {
      status("tailwart: error: \(failure.description)")
    } else if let failure = error as? OutputWriter.Failure {
      status("tailwart: error: \(failure.description)")
    } else if let described = error as? any CustomStringConvertible {
      // Only errors that say themselves in words conform; a plain struct
      // would print as a Swift value.
      status("tailwart: error: \(described.description)")
    } else {
      status("tailwart: error: \(error.localizedDescription)")
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
