/// The named steps of a site build, in order. An error names its step.
public enum SiteStep: String, Sendable, CustomStringConvertible {
  case parse
  case lessons
  case crossReferences = "cross references"
  case pages
  case write

  public var description: String { rawValue }
}

/// A site build that stopped: at which step, in which file, and why. When
/// it stops before `write`, nothing was written.
public struct SiteError: Error, Sendable, CustomStringConvertible {
  public var step: SiteStep
  public var file: String
  public var findings: [Finding]

  public init(step: SiteStep, file: String, findings: [Finding]) {
    self.step = step
    self.file = file
    self.findings = findings
  }

  public var description: String {
    let errors = findings.filter { $0.severity == .error }.count
    return "site build stopped at step '\(step)' (\(file)): \(errors) error\(errors == 1 ? "" : "s")"
  }
}

/// What a finished build did.
public struct SiteReport: Sendable {
  /// Warnings that did not stop the build (without `--strict`).
  public var warnings: [Finding]
  /// Pages and assets the site has.
  public var files: Int
  /// Of those, how many were new or changed and so written.
  public var written: Int
  /// Files an earlier build made that this one no longer does (a lesson
  /// removed or renumbered), removed.
  public var removed = 0
  /// Why the generated files' pages show no text (the inventory fails
  /// `check`, does not load, or was not given), or nil when they do.
  public var filesUnavailable: String?
}
