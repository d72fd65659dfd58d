/// Lessons 5 and 11: the control plane runs the policy's tests whenever the
/// policy is applied and refuses the whole policy when one fails. tailwart
/// evaluates the tests its snippet carries against the snippet's grants
/// (`PolicyEvaluator`), so a policy that would be refused never leaves
/// `check`.
public enum PolicyTestsPass: Rule {
  public static let description = RuleDescription(
    id: "policy-tests-pass",
    summary:
      "a test in acl-snippet.hujson that fails against its own grants (the control plane would refuse the policy)",
    lessons: [5, 11],
    rationale: """
      acl-snippet.hujson carries tests: every connection the deployment needs is accepted, and \
      the connections it must never allow (the edge to the database or to Stalwart's admin \
      listener, the database to Stalwart) are denied. The control plane runs them whenever the \
      policy is applied and refuses the whole policy when one fails, so a grant that is too wide \
      or missing stops every later policy change too. The people named under `admin_access` \
      need their own grant to the admin listener: once the default allow-all grant is removed, \
      nothing else lets anyone reach it.
      """,
    fix: """
      Narrow the grant the finding points at (its `src`, `dst` or `ip`) so it no longer opens a \
      connection the deployment keeps closed, or name in `admin_access` only who may administer \
      Stalwart (never the edge's tag).
      """,
    triggering: [
      RuleExample(
        "the edge named among who may administer Stalwart",
        replacing: "output: deploy\n", with: "output: deploy\nadmin_access: ↓[autogroup:admin, tag:reverse-proxy]\n"),
      RuleExample(
        "the database named among who may administer Stalwart",
        replacing: "output: deploy\n", with: "output: deploy\nadmin_access: ↓[tag:database]\n"),
    ],
    nonTriggering: [
      RuleExample(
        "admins by group", replacing: "output: deploy\n", with: "output: deploy\nadmin_access: [group:mail-admins]\n"),
      RuleExample(
        "the admin port already granted in the inventory",
        replacing: "  - src: [tag:stalwart]\n    dst: [tag:mail]",
        with:
          "  - src: [autogroup:admin]\n    dst: [tag:stalwart]\n    ip: [tcp:8080]\n  - src: [tag:stalwart]\n    dst: [tag:mail]"
      ),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let (policy, connections) = ACLRenderer.policy(d)
    for outcome in PolicyEvaluator.evaluate(policy) {
      let test = "\(outcome.test.source) → \(outcome.target.value)"
      switch outcome.verdict {
      case .pass:
        continue
      case .fail(let rule):
        // Grants written in the inventory are judged by render-accepts at
        // the same line; this rule adds the grant `admin_access` makes.
        if outcome.expectation == .deny, let span = rule?.span, d.grants.contains(where: { $0.span == span }) {
          continue
        }
        if outcome.expectation == .deny {
          findings.report(
            rule?.span ?? outcome.target.span,
            "this grant lets \(test), which the policy's tests deny; the control plane would refuse the policy",
            help: "narrow the grant's src, dst or ip so that it no longer covers \(outcome.target.value)")
        } else {
          let connection = connections["\(outcome.test.source) \(outcome.target.value)"]
          if connection?.checkedBy != nil { continue }  // refused by that rule, at the same line
          findings.report(
            outcome.target.span,
            "no grant lets \(test), which the policy's tests accept; the control plane would refuse the policy",
            help:
              "add a grant {src: [\(outcome.test.source)], dst: [\(outcome.target.value.split(separator: ":").dropLast().joined(separator: ":"))], ip: [tcp:\(outcome.target.value.split(separator: ":").last ?? "")]}"
          )
        }
      case .undetermined(let rule, let reason):
        findings.warn(
          rule?.span ?? outcome.target.span,
          "tailwart cannot tell whether the policy test \(test) (\(outcome.expectation.rawValue)) holds: it depends on \(reason)",
          help: "the control plane decides it when the policy is applied")
      }
    }
  }
}
