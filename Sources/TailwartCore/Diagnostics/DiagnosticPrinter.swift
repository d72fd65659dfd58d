import Synchronization

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

  /// Widest quoted line, in characters: a longer one is cut around the
  /// column, with `…` where text was left out.
  public static let quoteWidth = 120

  /// Every finding, in order. Each file's line index is built once, so the
  /// work grows with the number of findings, not with its square.
  public func format(_ findings: [Finding]) -> String {
    var indexes: [String: LineIndex] = [:]
    var out = ""
    for finding in findings {
      out += format(finding, index: index(for: finding.file, in: &indexes))
    }
    return out
  }

  /// The first `limit` findings, then one line saying how many more there
  /// are (a file with thousands of errors would otherwise print megabytes).
  public func format(_ findings: [Finding], limit: Int) -> String {
    guard findings.count > limit else { return format(findings) }
    let rest = findings.count - limit
    return format(Array(findings.prefix(limit)))
      + "... and \(rest) more finding\(rest == 1 ? "" : "s") not shown (--format json lists every one)\n"
  }

  public func format(_ finding: Finding) -> String {
    format(finding, index: sources[finding.file].map(LineIndex.init))
  }

  private func index(for file: String, in indexes: inout [String: LineIndex]) -> LineIndex? {
    if let known = indexes[file] { return known }
    guard let text = sources[file] else { return nil }
    let index = LineIndex(text)
    indexes[file] = index
    return index
  }

  static func safe(_ text: String) -> String { TerminalText.safe(text) }

  private func format(_ finding: Finding, index: LineIndex?) -> String {
    var out = ""
    var head = Self.safe(finding.file)
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
    out += paint(head + ":", "1") + " " + label + " " + paint(rule + Self.safe(finding.message), "1") + "\n"
    if let span = finding.span, let line = index?.line(span.start.line) {
      let number = String(span.start.line)
      let gutter = String(repeating: " ", count: max(4, number.count + 1))
      // A long line is cut to a window around the column. The secrets are
      // masked in a wider stretch first, so one cut by the window's edge is
      // still recognised (and a megabyte line is not searched whole).
      var raw = Array(line.unicodeScalars)
      let total = raw.count
      var column = min(max(span.start.column - 1, 0), total)
      var (from, to, offset) = (0, total, 0)
      if total > Self.quoteWidth {
        from = max(0, min(column - Self.quoteWidth / 3, total - Self.quoteWidth))
        to = min(total, from + Self.quoteWidth)
        offset = max(0, from - 512)
        raw = Array(raw[offset..<min(total, to + 512)])
      }
      // Every secret in the line is masked (`safe`); a finding about a
      // secret the shapes do not know has its whole span masked too.
      let text = String(String.UnicodeScalarView(raw))
      var shown = Self.safe(text)
      if finding.isSecret && shown == TerminalText.clean(text) {
        shown = Self.masking(shown, SourceSpan(line: span.start.line, column: column - offset + 1, length: span.length))
      }
      var scalars = Array(Array(shown.unicodeScalars)[(from - offset)..<(to - offset)])
      if from > 0 { scalars.insert("…", at: 0) }
      if to < total { scalars.append("…") }
      column = column - from + (from > 0 ? 1 : 0)
      shown = String(String.UnicodeScalarView(scalars))
      out += String(gutter.dropLast(number.count)) + number + " | " + shown + "\n"
      // Keep tabs so the caret lines up under tab-indented text.
      let pad = String(String.UnicodeScalarView(scalars[..<column].map { $0 == "\t" ? "\t" : " " }))
      let room = max(1, scalars.count - column)
      let length = min(span.length, room)
      let marker = "^" + String(repeating: "~", count: max(0, length - 1))
      out += gutter + " | " + pad + paint(marker, "1;32") + "\n"
    }
    if let help = finding.help { out += "  " + paint("help:", "1;36") + " " + Self.safe(help) + "\n" }
    for note in finding.notes { out += "  " + paint("note:", "1;36") + " " + Self.safe(note) + "\n" }
    if let reason = finding.ignored {
      out += "  ignored: " + (reason.isEmpty ? "(no reason given)" : Self.safe(reason)) + "\n"
    }
    if let see = seeAlso(finding) { out += "  see: " + Self.safe(see) + "\n" }
    return out
  }

  private func paint(_ text: String, _ code: String) -> String {
    colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// Line `n` (1-based) of `text`, without its line break. The index of
  /// the last text asked about is kept: callers ask finding by finding
  /// about the same file, and rescanning it each time made thousands of
  /// findings quadratic.
  static func line(_ n: Int, of text: String) -> Substring? {
    let index = lastIndex.withLock { cached in
      if let known = cached, known.text == text { return known }
      let index = LineIndex(text)
      cached = index
      return index
    }
    return index.line(n)
  }

  private static let lastIndex = Mutex<LineIndex?>(nil)

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
}

/// Where each line of a text starts and ends, found in one pass. Lines end
/// at LF, CRLF or a lone CR (a file saved with old Mac line ends is still
/// quoted line by line, as libyaml counts its lines).
struct LineIndex: Sendable {
  let text: String
  private var starts: [String.Index] = []
  private var ends: [String.Index] = []

  init(_ text: String) {
    self.text = text
    let utf8 = text.utf8
    var i = utf8.startIndex
    starts.append(i)
    while i < utf8.endIndex {
      let byte = utf8[i]
      if byte == 0x0A || byte == 0x0D {
        ends.append(i)
        var next = utf8.index(after: i)
        if byte == 0x0D, next < utf8.endIndex, utf8[next] == 0x0A { next = utf8.index(after: next) }
        starts.append(next)
        i = next
      } else {
        i = utf8.index(after: i)
      }
    }
    ends.append(utf8.endIndex)
  }

  /// Line `n` (1-based), without its line break; nil past the end.
  func line(_ n: Int) -> Substring? {
    guard n >= 1, n <= starts.count else { return nil }
    if n == starts.count, starts[n - 1] == text.endIndex, n > 1 { return nil }
    return text[starts[n - 1]..<ends[n - 1]]
  }
}
