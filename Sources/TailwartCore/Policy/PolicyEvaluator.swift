/// Runs a policy's `tests` locally, the way the control plane evaluates them
/// for network access: a test's source must be allowed by some grant or ACL
/// to reach each `accept` target, and by none to reach a `deny` target.
///
/// It resolves what the policy itself says: `*`, tags, users, groups listed
/// under `groups`, `hosts` aliases, IP addresses and CIDR blocks,
/// `autogroup:member` and `autogroup:tagged`, protocols and port ranges.
/// What the policy does not say (role autogroups such as `autogroup:admin`,
/// undefined groups, which device holds an address, device posture, `via`)
/// makes a match unknown: a test that depends on one is reported as
/// undetermined, never as passed.
public enum PolicyEvaluator {
  /// Three-valued: whether a selector covers an identity.
  enum Match: Comparable {
    case no, unknown, yes

    static func all(_ matches: [Match]) -> Match { matches.min() ?? .yes }
    static func any(_ matches: [Match]) -> Match { matches.max() ?? .no }
  }

  public enum Expectation: String, Sendable { case accept, deny }

  public enum Verdict: Sendable {
    case pass
    /// The test fails; for a deny, `rule` is one that allows the connection.
    case fail(rule: PolicyRule?)
    /// Whether it passes depends on something the evaluator cannot resolve.
    case undetermined(rule: PolicyRule?, reason: String)
  }

  public struct Outcome: Sendable {
    public var test: PolicyTestCase
    public var target: Located<String>
    public var expectation: Expectation
    public var verdict: Verdict

    public var failed: Bool {
      if case .fail = verdict { return true }
      return false
    }
  }

  public static func evaluate(_ policy: TailnetPolicy) -> [Outcome] {
    var out: [Outcome] = []
    for test in policy.tests {
      for (expectation, targets) in [(Expectation.accept, test.accept), (.deny, test.deny)] {
        for target in targets {
          out.append(
            Outcome(
              test: test, target: target, expectation: expectation,
              verdict: verdict(policy, test, target.value, expectation)))
        }
      }
    }
    return out
  }

  static func verdict(_ policy: TailnetPolicy, _ test: PolicyTestCase, _ target: String, _ expectation: Expectation)
    -> Verdict
  {
    guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else {
      return .undetermined(rule: nil, reason: "\(target) is not destination:port")
    }
    let destination = String(target[..<colon])
    var firstYes: PolicyRule?
    var firstUnknown: (PolicyRule, String)?
    for rule in policy.rules {
      let m = match(policy, rule, source: test.source, destination: destination, proto: test.proto, port: port)
      if m.match == .yes && firstYes == nil { firstYes = rule }
      if m.match == .unknown && firstUnknown == nil { firstUnknown = (rule, m.reason) }
    }
    switch expectation {
    case .accept:
      if firstYes != nil { return .pass }
      if let (rule, reason) = firstUnknown { return .undetermined(rule: rule, reason: reason) }
      return .fail(rule: nil)
    case .deny:
      if let firstYes { return .fail(rule: firstYes) }
      if let (rule, reason) = firstUnknown { return .undetermined(rule: rule, reason: reason) }
      return .pass
    }
  }

  static func match(
    _ policy: TailnetPolicy, _ rule: PolicyRule, source: String, destination: String, proto: String, port: Int
  ) -> (match: Match, reason: String) {
    var reasons: [String] = []
    let src = Match.any(
      rule.sources.map { selector in
        let m = covers(policy, selector, source)
        if m == .unknown { reasons.append("\(selector) as a source of \(source)") }
        return m
      })
    let dst = Match.any(
      rule.destinations.filter { $0.ports.contains { $0.allows(proto: proto, port: port) } }.map { d in
        let m = covers(policy, d.selector, destination)
        if m == .unknown { reasons.append("\(d.selector) as the destination \(destination)") }
        return m
      })
    var result = Match.all([src, dst])
    if result == .yes && !rule.unmodelled.isEmpty {
      result = .unknown
      reasons.append(rule.unmodelled.joined(separator: " and "))
    }
    return (result, reasons.joined(separator: "; "))
  }

  /// What kind of thing a selector or a test's identity names.
  enum Principal: Equatable {
    case any
    case tag(String)
    case user(String)
    case group(String)
    case autogroup(String)
    case address(CIDR)
    case other(String)

    init(_ text: String, hosts: [String: String]) {
      if text == "*" {
        self = .any
      } else if text.hasPrefix("tag:") {
        self = .tag(text)
      } else if text.hasPrefix("group:") {
        self = .group(text)
      } else if text.hasPrefix("autogroup:") {
        self = .autogroup(text)
      } else if let cidr = CIDR(text) {
        self = .address(cidr)
      } else if let alias = hosts[text], let cidr = CIDR(alias) {
        self = .address(cidr)
      } else if text.contains("@") {
        self = .user(text)
      } else {
        self = .other(text)
      }
    }
  }

  /// Whether `selector` (from a rule) covers `identity` (a test's source or
  /// the destination part of a target).
  static func covers(_ policy: TailnetPolicy, _ selector: String, _ identity: String) -> Match {
    if selector == identity { return .yes }
    let rule = Principal(selector, hosts: policy.hosts)
    let who = Principal(identity, hosts: policy.hosts)
    if rule == who { return .yes }
    switch (rule, who) {
    case (.any, _):
      return .yes
    case (.autogroup("autogroup:tagged"), .tag):
      return .yes
    case (.autogroup("autogroup:tagged"), .user), (.autogroup("autogroup:tagged"), .group):
      return .no
    case (.autogroup("autogroup:member"), .user), (.autogroup("autogroup:member"), .group):
      return .yes
    case (.autogroup("autogroup:member"), .tag):
      return .no
    case (.autogroup("autogroup:internet"), .tag), (.autogroup("autogroup:internet"), .user),
      (.autogroup("autogroup:internet"), .group):
      return .no
    case (.autogroup("autogroup:self"), .tag):
      // Tagged devices belong to no user, so they are never "self".
      return .no
    case (.autogroup, .tag):
      // Role autogroups (admin, owner, ...) name users, never tagged devices.
      return .no
    case (.autogroup, _):
      return .unknown
    case (.tag, .tag), (.tag, .user), (.tag, .group), (.user, .tag), (.group, .tag):
      return .no
    case (.user, .user):
      return .no
    case (.group(let g), .user(let u)):
      guard let members = policy.groups[g] else { return .unknown }
      return members.contains(u) ? .yes : .no
    case (.group(let g), .group(let h)):
      guard let outer = policy.groups[g], let inner = policy.groups[h], !inner.isEmpty else { return .unknown }
      if inner.allSatisfy(outer.contains) { return .yes }
      return inner.contains(where: outer.contains) ? .unknown : .no
    case (.user(let u), .group(let g)):
      guard let members = policy.groups[g] else { return .unknown }
      if members == [u] { return .yes }
      return members.contains(u) ? .unknown : .no
    case (.address(let a), .address(let b)):
      if a.contains(b) { return .yes }
      return a.overlaps(b) ? .unknown : .no
    case (.address(let a), _):
      // Which device holds which address is not in the policy: a block that
      // holds every tailnet address covers every device; one that holds
      // some may cover this one.
      if a.contains(CIDR.tailnetIPv4) || a.contains(CIDR.tailnetIPv6) { return .yes }
      return a.overlaps(CIDR.tailnetIPv4) || a.overlaps(CIDR.tailnetIPv6) ? .unknown : .no
    case (_, .address(let b)):
      return b.overlaps(CIDR.tailnetIPv4) || b.overlaps(CIDR.tailnetIPv6) ? .unknown : .no
    default:
      return .unknown
    }
  }
}
