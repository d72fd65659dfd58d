/// A deployment that passed every rule. Only `Checker.check` can make one,
/// and renderers accept nothing else: rendering without checking cannot be
/// written.
public struct CheckedDeployment: Sendable {
  public let deployment: Deployment
  /// Warnings the check printed; they do not stop rendering.
  public let warnings: [Finding]

  fileprivate init(deployment: Deployment, warnings: [Finding]) {
    self.deployment = deployment
    self.warnings = warnings
  }
}

public enum Checker {
  public struct Result: Sendable {
    /// Every finding of every rule, in file order.
    public let findings: [Finding]
    /// Present only when no finding is an error.
    public let checked: CheckedDeployment?
  }

  /// Runs every rule (all of them, even after errors) over `deployment`.
  /// With `strict`, warnings count as errors.
  public static func check(
    _ deployment: Deployment, rules: [any Rule.Type] = RuleCatalog.all, strict: Bool = false
  ) -> Result {
    var all: [Finding] = []
    for rule in rules {
      var findings = RuleFindings(rule: rule.description, file: deployment.file)
      rule.check(deployment, into: &findings)
      all += findings.findings
    }
    all = IgnoreList.apply(all, to: deployment)
    if strict {
      // Warnings count as errors, the ignore list's own included; an
      // ignored finding stays ignored.
      all = all.map { f in
        var f = f
        if f.severity == .warning && f.ignored == nil { f.severity = .error }
        return f
      }
    }
    all = all.sortedForDisplay()
    let checked = all.hasErrors ? nil : CheckedDeployment(deployment: deployment, warnings: all)
    return Result(findings: all, checked: checked)
  }
}
