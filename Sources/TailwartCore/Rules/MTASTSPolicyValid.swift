/// Structural: RFC 8461 bounds the MTA-STS record's id and the policy's
/// max_age. A sender that finds either out of bounds ignores the policy,
/// which quietly turns enforced TLS back into opportunistic TLS.
public enum MTASTSPolicyValid: Rule {
  public static let description = RuleDescription(
    id: "mta-sts-policy-valid",
    summary: "an MTA-STS id that is not 1–32 letters and digits, or a max_age over 31557600 seconds",
    lessons: [],
    rationale: """
      Senders read the `_mta-sts` TXT record's id to learn that the policy changed, and the \
      standard allows only 1 to 32 letters and digits there. The policy's max_age, how long \
      senders cache it, may be at most 31557600 seconds (a year). A sender that meets a value \
      out of bounds discards the policy, so mail falls back to opportunistic TLS without \
      anyone being told.
      """,
    fix: """
      Use a date stamp for the id, such as `id: "20260611"`, and change it whenever the policy \
      changes. Keep `max_age` at most 31557600; a week (604800) is common while testing.
      """,
    triggering: [
      RuleExample(
        "an id with punctuation",
        replacing: "  mta_sts: {id: \"20260611\"", with: "  mta_sts: {id: ↓\"2026-06-11\""),
      RuleExample(
        "an id longer than 32 characters",
        replacing: "  mta_sts: {id: \"20260611\"", with: "  mta_sts: {id: ↓\"20260611000000000000000000000000000\""),
      RuleExample(
        "a max_age over a year", replacing: "max_age: 604800}", with: "max_age: ↓31557601}"),
    ],
    nonTriggering: [
      RuleExample("the longest max_age allowed", replacing: "max_age: 604800}", with: "max_age: 31557600}"),
      RuleExample(
        "an id of letters and digits", replacing: "  mta_sts: {id: \"20260611\"", with: "  mta_sts: {id: \"v2026a\""),
    ])

  static let maxAge = 31_557_600

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    guard let policy = d.dns.mtaSTS else { return }
    let id = policy.id.value
    if !(1...32).contains(id.count) || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
      let cleaned = String(id.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(32))
      findings.report(
        policy.id.span, "MTA-STS id \"\(id)\" is not 1 to 32 letters and digits; senders discard the policy",
        help: cleaned.isEmpty ? "write a date stamp such as `id: \"20260611\"`" : "write `id: \"\(cleaned)\"`")
    }
    if policy.maxAge.value > Self.maxAge {
      findings.report(
        policy.maxAge.span,
        "MTA-STS max_age \(policy.maxAge.value) is over 31557600 seconds (a year); senders discard the policy",
        help: "write `max_age: 31557600` or less, e.g. `max_age: 604800`")
    }
  }
}
