/// Prints findings the way compilers do: `file:line:col: severity: message`,
/// the source line, a caret under the span, then `help:`, notes and `see:`.
public struct DiagnosticPrinter: Sendable {
  /// ANSI colours: only on a terminal and never with `NO_COLOR` set (the
  /// caller decides).
  public var colour: Bool
  /// Source text per file name, for the quoted line and caret.
  public var sources: [String: String]
  /// The `see:` line for a finding (the rule's page on the lessons site).
  public var seeAlso: @Sendable (Finding) -> String?

  public init(
    colour: Bool = false, sources: [String: String] = [:],
    seeAlso: @escaping @Sendable (Finding) -> String? = { _ in nil }
  ) {
    self.colour = colour
    self.sources = sources
    self.seeAlso = seeAlso
  }

  public func format(_ findings: [Finding]) -> String {
    findings.map(format).joined()
  }

  public func format(_ finding: Finding) -> String {
    var out = ""
    var head = finding.file
    if let span = finding.span { head += ":\(span.start.line):\(span.start.column)" }
    var label: String
    switch finding.severity {
    case .error: label = paint("error:", "1;31")
    case .warning: label = paint("warning:", "1;35")
    case .note: label = paint("note:", "1;36")
    }
    // Kept by an `ignore:` entry: printed, but it stops nothing.
    if finding.ignored != nil { label = paint("ignored \(finding.severity.rawValue):", "1;90") }
    let rule = finding.ruleID.map { "[\($0)] " } ?? ""
    out += paint(head + ":", "1") + " " + label + " " + paint(rule + finding.message, "1") + "\n"
    if let span = finding.span, let text = sources[finding.file],
      let line = Self.line(span.start.line, of: text)
    {
      let number = String(span.start.line)
      let gutter = String(repeating: " ", count: max(4, number.count + 1))
      var shown = Self.printable(line)
      if finding.isSecret { shown = Self.masking(shown, span) }
      out += String(gutter.dropLast(number.count)) + number + " | " + shown + "\n"
      let scalars = Array(shown.unicodeScalars)
      let column = min(max(span.start.column - 1, 0), scalars.count)
      // Keep tabs so the caret lines up under tab-indented text.
      let pad = String(String.UnicodeScalarView(scalars[..<column].map { $0 == "\t" ? "\t" : " " }))
      let room = max(1, scalars.count - column)
      let length = min(span.length, room)
      let marker = "^" + String(repeating: "~", count: max(0, length - 1))
      out += gutter + " | " + pad + paint(marker, "1;32") + "\n"
    }
    if let help = finding.help { out += "  " + paint("help:", "1;36") + " " + help + "\n" }
    for note in finding.notes { out += "  " + paint("note:", "1;36") + " " + note + "\n" }
    if let reason = finding.ignored { out += "  ignored: " + (reason.isEmpty ? "(no reason given)" : reason) + "\n" }
    if let see = seeAlso(finding) { out += "  see: " + see + "\n" }
    return out
  }

  private func paint(_ text: String, _ code: String) -> String {
    colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// Line `n` (1-based) of `text`, without its line break.
  static func line(_ n: Int, of text: String) -> Substring? {
    guard n >= 1 else { return nil }
    var current = 1
    var start = text.startIndex
    var index = text.startIndex
    while index < text.endIndex {
      if text[index] == "\n" || text[index] == "\r\n" {
        if current == n { return text[start..<index] }
        current += 1
        start = text.index(after: index)
      }
      index = text.index(after: index)
    }
    return current == n ? text[start..<text.endIndex] : nil
  }

  /// `line` with the span's characters after the first four replaced by
  /// `•`, so a secret is recognisable to its owner but not usable.
  static func masking(_ line: String, _ span: SourceSpan) -> String {
    var scalars = Array(line.unicodeScalars)
    let start = span.start.column - 1 + 4
    let end = min(scalars.count, span.start.column - 1 + span.length)
    if start < end {
      for i in start..<end { scalars[i] = "•" }
    }
    return String(String.UnicodeScalarView(scalars))
  }

  /// Control characters (other than tab) shown as U+FFFD so a hostile file
  /// cannot drive the terminal.
  static func printable(_ line: Substring) -> String {
    String(
      String.UnicodeScalarView(
        line.unicodeScalars.map { scalar in
          (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
            ? "\u{FFFD}" : scalar
        }))
  }
}
