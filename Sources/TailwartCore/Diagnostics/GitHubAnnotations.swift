/// Findings as GitHub Actions workflow commands: one
/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message` line
/// each (`::warning` and `::notice` for the other severities), which a
/// workflow step turns into annotations on the pull request's lines.
///
/// Escaping follows the runner's rules: in the message `%`, CR and LF become
/// `%25`, `%0D` and `%0A` (a multi-line message stays one command); in
/// property values `:` and `,` also become `%3A` and `%2C`, so a value can
/// never end its property or the command early. Other control characters
/// are shown as U+FFFD so a hostile value cannot drive the log viewer.
public enum GitHubAnnotations {
  public static func format(_ findings: [Finding], siteURL: String?, sources: [String: String] = [:]) -> String {
    findings.sortedForDisplay().map { line($0, siteURL: siteURL, source: sources[$0.file]) }.joined()
  }

  static func line(_ f: Finding, siteURL: String?, source: String?) -> String {
    var command: String
    switch f.severity {
    case .error: command = "error"
    case .warning: command = "warning"
    case .note: command = "notice"
    }
    // An ignored finding is shown, as a notice: it stops nothing.
    if f.ignored != nil { command = "notice" }
    // Every echoed value goes through TerminalText.safe first: secrets
    // masked, controls replaced (a CI log is read by many).
    let safe = { TerminalText.safe($0) }
    var properties = ["file=" + property(safe(f.file))]
    if let range = FindingRange(f, source: source) {
      properties += [
        "line=\(range.start.line)", "col=\(range.start.column)", "endLine=\(range.end.line)",
        "endColumn=\(range.end.column)",
      ]
    }
    let title = f.ruleID.map { "tailwart [\($0)]" } ?? "tailwart"
    properties.append("title=" + property(f.ignored == nil ? title : title + " (ignored)"))
    var text = safe(f.message)
    if let help = f.help { text += "\nhelp: " + safe(help) }
    for note in f.notes { text += "\nnote: " + safe(note) }
    if let reason = f.ignored { text += "\nignored: " + (reason.isEmpty ? "(no reason given)" : safe(reason)) }
    if let site = siteURL, let see = RuleCatalog.seeAlso(f, siteURL: site) { text += "\nsee: " + safe(see) }
    return "::\(command) \(properties.joined(separator: ","))::\(data(text))\n"
  }

  /// A message: `%`, CR and LF escaped.
  static func data(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "%": out += "%25"
      case "\r": out += "%0D"
      case "\n": out += "%0A"
      default:
        if (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value) {
          out.unicodeScalars.append("\u{FFFD}")
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// A property value: as a message, and `:` and `,` escaped too.
  static func property(_ text: String) -> String {
    data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
  }
}
