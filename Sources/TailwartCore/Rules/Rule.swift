/// A lesson made executable. One type per rule, one file per type; the
/// type's `description` is its documentation, its `check` its behaviour, and
/// its examples its tests (see `RuleExamplesTests`).
public protocol Rule: Sendable {
  static var description: RuleDescription { get }
  /// Reports problems into `findings`; never throws, never reads files.
  static func check(_ deployment: Deployment, into findings: inout RuleFindings)
  /// For notices (`kind == .notice`): what `render` says when the deployment
  /// changes from `previous` to `current`. Refusals report nothing here.
  static func notices(previous: CheckedDeployment, current: CheckedDeployment, context: RenderContext) -> [Finding]
}

extension Rule {
  public static func notices(
    previous: CheckedDeployment, current: CheckedDeployment, context: RenderContext
  ) -> [Finding] { [] }
}

/// What a rule is about, shown by `tailwart explain` and on its site page.
public struct RuleDescription: Sendable {
  /// Whether the rule stops `check` or only tells something at render time.
  public enum Kind: String, Sendable {
    /// Reports problems in the inventory (the usual rule).
    case refusal
    /// Never reports from the inventory alone; `render` prints it when the
    /// files it writes change in a way that needs a hand on the deployment.
    /// Its triggering examples describe such changes.
    case notice
  }

  /// Stable, kebab-case, never reused (`magicdns-not-ips`).
  public let id: String
  /// One line: what the rule refuses.
  public let summary: String
  /// The severity of its usual finding (a rule may also emit warnings).
  public let severity: Severity
  public let kind: Kind
  /// The lesson numbers behind it (empty for structural rules).
  public let lessons: [Int]
  /// Why it matters, a short paragraph in plain text.
  public let rationale: String
  /// How to fix what it reports, a short paragraph.
  public let fix: String
  /// Edits of the example inventory that must trigger the rule; `↓` in an
  /// edit's replacement marks where each finding must point.
  public let triggering: [RuleExample]
  /// Edits that must not trigger it (the unedited example is always one).
  public let nonTriggering: [RuleExample]

  public init(
    id: String, summary: String, severity: Severity = .error, kind: Kind = .refusal, lessons: [Int], rationale: String,
    fix: String, triggering: [RuleExample], nonTriggering: [RuleExample] = []
  ) {
    self.id = id
    self.summary = summary
    self.severity = severity
    self.kind = kind
    self.lessons = lessons
    self.rationale = rationale
    self.fix = fix
    self.triggering = triggering
    self.nonTriggering = nonTriggering
  }

  /// The rule's page on the lessons site.
  public func url(base: String) -> String { "\(base)/rules/\(id).html" }
}

/// An example inventory for a rule: `ExampleInventory.text` with some lines
/// replaced. Each `find` must occur exactly once in the base text.
public struct RuleExample: Sendable {
  public struct Edit: Sendable {
    public let find: String
    public let replace: String
    public init(_ find: String, _ replace: String) {
      self.find = find
      self.replace = replace
    }
  }

  /// Marks where a finding must point; removed before the text is checked.
  public static let marker: Character = "↓"

  public let title: String
  public let edits: [Edit]

  public init(_ title: String, _ edits: [Edit]) {
    self.title = title
    self.edits = edits
  }

  public init(_ title: String, replacing find: String, with replace: String) {
    self.init(title, [Edit(find, replace)])
  }

  /// The inventory text with the edits applied and the markers in place;
  /// nil when an edit's `find` is not found exactly once.
  public var markedText: String? { markedText(base: ExampleInventory.text) }

  /// `base` with the edits applied and the markers in place; nil when an
  /// edit's `find` is not found exactly once.
  public func markedText(base: String) -> String? {
    var text = base
    for edit in edits {
      let parts = text.components(separatedBy: edit.find)
      guard parts.count == 2 else { return nil }
      text = parts[0] + edit.replace + parts[1]
    }
    return text
  }

  /// The inventory text to check, without markers.
  public var text: String? { markedText.map { $0.filter { $0 != Self.marker } } }

  /// Where findings must point: one location per marker, 1-based.
  public var expectedLocations: [SourceLocation] {
    markedText.map(Self.markerLocations) ?? []
  }

  /// Where the markers in `marked` sit, 1-based, columns in Unicode scalars
  /// of the text without markers.
  public static func markerLocations(in marked: String) -> [SourceLocation] {
    var out: [SourceLocation] = []
    var line = 1
    var column = 1
    for scalar in marked.unicodeScalars {
      if Character(scalar) == marker {
        out.append(SourceLocation(line: line, column: column))
        continue
      }
      if scalar == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return out
  }
}

/// Collects one rule's findings, stamping each with the rule id and file.
public struct RuleFindings: Sendable {
  public let rule: RuleDescription
  public let file: String
  public private(set) var findings: [Finding] = []

  public init(rule: RuleDescription, file: String) {
    self.rule = rule
    self.file = file
  }

  public mutating func report(
    _ span: SourceSpan?, _ message: String, help: String? = nil, notes: [String] = [], severity: Severity? = nil,
    isSecret: Bool = false
  ) {
    var finding = Finding(severity ?? rule.severity, file: file, at: span, message, rule: rule.id, help: help, notes: notes)
    finding.isSecret = isSecret
    findings.append(finding)
  }

  public mutating func warn(_ span: SourceSpan?, _ message: String, help: String? = nil, notes: [String] = []) {
    report(span, message, help: help, notes: notes, severity: .warning)
  }
}
