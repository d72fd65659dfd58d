import Testing

@testable import TailwartCore

/// The local test evaluator on small policies: what it resolves, and what
/// it leaves undetermined rather than passing.
struct PolicyEvaluatorTests {
  static func verdicts(_ text: String) throws -> [String] {
    let bytes = Array(text.utf8)
    let policy = try TailnetPolicy.read(try HuJSON.parseLocated(bytes), lines: LineTable(bytes))
    return PolicyEvaluator.evaluate(policy).map { outcome in
      let v: String
      switch outcome.verdict {
      case .pass: v = "pass"
      case .fail(let rule): v = "fail@\(rule?.span?.start.line ?? 0)"
      case .undetermined: v = "unknown"
      }
      return "\(outcome.target.value) \(outcome.expectation.rawValue) \(v)"
    }
  }

  @Test func groupsHostsPortRangesAndProtocols() throws {
    let verdicts = try Self.verdicts(
      """
      {
        "groups": {"group:ops": ["alice@example.com"]},
        "hosts": {"nas": "100.101.102.103"},
        "grants": [
          {"src": ["group:ops"], "dst": ["nas"], "ip": ["tcp:5000-5010"]},
          {"src": ["tag:a"], "dst": ["tag:b"], "ip": ["udp:53"]},
        ],
        "acls": [
          {"action": "accept", "src": ["tag:a"], "dst": ["tag:c:22,80-81"]},
        ],
        "tests": [
          {"src": "alice@example.com", "accept": ["nas:5005"], "deny": ["nas:22"]},
          {"src": "bob@example.com", "deny": ["nas:5005"]},
          {"src": "tag:a", "accept": ["tag:c:81"], "deny": ["tag:b:53", "tag:c:82"]},
          {"src": "tag:a", "proto": "udp", "accept": ["tag:b:53"]},
        ],
      }
      """)
    #expect(
      verdicts == [
        "nas:5005 accept pass", "nas:22 deny pass", "nas:5005 deny pass", "tag:c:81 accept pass", "tag:b:53 deny pass",
        "tag:c:82 deny pass", "tag:b:53 accept pass",
      ])
  }

  @Test func whatItCannotResolveIsUndeterminedNeverPassed() throws {
    let verdicts = try Self.verdicts(
      """
      {
        "grants": [
          {"src": ["group:undefined"], "dst": ["tag:b"], "ip": ["tcp:22"]},
          {"src": ["tag:a"], "dst": ["tag:c"], "ip": ["tcp:22"], "srcPosture": ["posture:latest"]},
          {"src": ["*"], "dst": ["tag:d"], "ip": ["*"]},
        ],
        "tests": [
          {"src": "alice@example.com", "deny": ["tag:b:22"]},
          {"src": "tag:a", "accept": ["tag:c:22"]},
          {"src": "tag:a", "deny": ["tag:d:443"]},
          {"src": "tag:a", "accept": ["tag:b:22"]},
        ],
      }
      """)
    #expect(
      verdicts == [
        "tag:b:22 deny unknown", "tag:c:22 accept unknown", "tag:d:443 deny fail@5", "tag:b:22 accept fail@0",
      ])
  }
}
