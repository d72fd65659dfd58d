/// Where a finding starts and ends, 1-based, the end column just after the
/// last character (SARIF's convention), in Unicode scalars. With the file's
/// text at hand the end is kept inside the line, so a span a rule made
/// generously never points past what is there.
public struct FindingRange: Sendable, Equatable {
  public var start: SourceLocation
  public var end: SourceLocation

  public init(start: SourceLocation, end: SourceLocation) {
    self.start = start
    self.end = end
  }

  /// nil for a finding about the whole file.
  public init?(_ finding: Finding, source: String?) {
    guard let span = finding.span else { return nil }
    var end = span.end
    if let source, let line = DiagnosticPrinter.line(span.start.line, of: source) {
      let width = line.unicodeScalars.count
      end.column = max(span.start.column + 1, min(end.column, width + 1))
    }
    self.init(start: span.start, end: end)
  }
}
