/// How bad a finding is. Errors stop `check` and `render`; warnings are
/// printed and let both go on (unless `--strict`).
public enum Severity: String, Sendable, Codable, Comparable {
  case error
  case warning
  case note

  private var rank: Int {
    switch self {
    case .error: 2
    case .warning: 1
    case .note: 0
    }
  }

  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One problem found in a file: by the loader (syntax, types, limits) or by a
/// rule. Messages are lowercase, say what is wrong, and end without a period.
public struct Finding: Sendable, Equatable {
  public var severity: Severity
  /// The file the span points into (as given on the command line).
  public var file: String
  /// Where in `file`; nil for a problem with the file as a whole.
  public var span: SourceSpan?
  public var message: String
  /// The rule that produced the finding; nil for loader and usage errors.
  public var ruleID: String?
  /// What to write instead; exact text when the fix is certain.
  public var help: String?
  /// Further context, such as where a duplicate key was first defined.
  public var notes: [String]
  /// The text under `span` is a secret: printers mask it in the quoted
  /// source line (CI logs are read by many).
  public var isSecret: Bool = false
  /// Set when an `ignore:` entry keeps this finding deliberately: the
  /// entry's reason (empty when it gives none). An ignored finding is
  /// printed as such and stops nothing.
  public var ignored: String?
  /// The key path of the value the finding points at (`edge.public_ipv4`),
  /// what an `ignore:` entry names as `at`.
  public var keyPath: String?

  public init(
    _ severity: Severity, file: String, at span: SourceSpan?, _ message: String,
    rule ruleID: String? = nil, help: String? = nil, notes: [String] = []
  ) {
    self.severity = severity
    self.file = file
    self.span = span
    self.message = message
    self.ruleID = ruleID
    self.help = help
    self.notes = notes
  }
}

extension Array where Element == Finding {
  public var hasErrors: Bool { contains { $0.severity == .error && $0.ignored == nil } }

  /// Findings in file order, errors before warnings at the same place.
  public func sortedForDisplay() -> [Finding] {
    enumerated().sorted { a, b in
      let (x, y) = (a.element, b.element)
      if x.file != y.file { return x.file < y.file }
      let (sx, sy) = (x.span?.start ?? SourceLocation(line: 0, column: 0), y.span?.start ?? SourceLocation(line: 0, column: 0))
      if sx != sy { return sx < sy }
      if x.severity != y.severity { return x.severity > y.severity }
      return a.offset < b.offset
    }.map(\.element)
  }
}

/// Thrown when input cannot be loaded or checked; carries every finding.
public struct FindingsError: Error, Sendable {
  public var findings: [Finding]
  public init(_ findings: [Finding]) { self.findings = findings }
}
