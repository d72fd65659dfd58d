/// The parts of a tailnet policy that decide network access, as the local
/// evaluator reads them: groups, hosts, grants and ACLs (both as
/// `PolicyRule`), and the `tests`. Built from a policy file (`parse`) or
/// from the inventory (`ACLRenderer.policy`); every rule and test remembers
/// where it was written.
public struct TailnetPolicy: Sendable {
  public var groups: [String: [String]] = [:]
  public var hosts: [String: String] = [:]
  public var rules: [PolicyRule] = []
  public var tests: [PolicyTestCase] = []

  public init() {}
}

/// Protocols and ports a rule allows on a destination.
public struct PolicyPorts: Sendable, Hashable, CustomStringConvertible {
  /// nil: every protocol the rule's form covers.
  public var proto: String?
  /// nil: every port.
  public var ports: ClosedRange<Int>?

  public init(proto: String?, ports: ClosedRange<Int>?) {
    self.proto = proto
    self.ports = ports
  }

  /// A grant's `ip` entry (`tcp:25`, `25`, `tcp:1000-2000`, `*`).
  public init?(grantEntry text: String) {
    guard let parsed = GrantPorts(text) else { return nil }
    self.init(proto: parsed.proto, ports: parsed.ports)
  }

  /// An ACL destination's port list item (`22`, `80-90`, `*`), for `proto`.
  init?(aclPort text: Substring, proto: String?) {
    if text == "*" {
      self.init(proto: proto, ports: nil)
      return
    }
    let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
    guard (1...2).contains(bounds.count), bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }),
      let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), (0...65535).contains(low),
      (low...65535).contains(high)
    else { return nil }
    self.init(proto: proto, ports: low...high)
  }

  public func allows(proto p: String, port: Int) -> Bool {
    (proto == nil || proto == p) && (ports.map { $0.contains(port) } ?? true)
  }

  public var description: String {
    let portText =
      ports.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" } ?? "*"
    return proto.map { "\($0):\(portText)" } ?? portText
  }
}

/// One grant or ACL: `sources` may open connections to each destination on
/// its ports.
public struct PolicyRule: Sendable {
  public enum Kind: String, Sendable { case grant, acl }

  public struct Destination: Sendable {
    public var selector: String
    public var ports: [PolicyPorts]
  }

  public var kind: Kind
  public var sources: [String]
  public var destinations: [Destination]
  /// Where the rule was written (the inventory or the policy file).
  public var span: SourceSpan?
  /// The file `span` is in; empty for the inventory being checked.
  public var file: String = ""
  /// Byte range in the policy file it was read from.
  public var range: Range<Int>? = nil
  /// Conditions the evaluator does not model (`srcPosture`, `via`): the rule
  /// may or may not apply, so it never decides a test by itself.
  public var unmodelled: [String] = []

  public init(kind: Kind, sources: [String], destinations: [Destination], span: SourceSpan?) {
    self.kind = kind
    self.sources = sources
    self.destinations = destinations
    self.span = span
  }

  /// The text of the default allow-all grant or ACL, if this is one.
  public var allowsEverything: Bool {
    sources.contains("*")
      && destinations.contains { $0.selector == "*" && $0.ports.contains { $0.proto == nil && $0.ports == nil } }
  }
}

/// One entry of the policy's `tests`: `source` must reach each of `accept`
/// and must not reach any of `deny` (targets are `destination:port`).
public struct PolicyTestCase: Sendable {
  public var source: String
  /// `tcp` unless the test names another protocol.
  public var proto: String
  public var accept: [Located<String>]
  public var deny: [Located<String>]
  public var span: SourceSpan?
  /// The file `span` is in; empty for the inventory being checked.
  public var file: String = ""
  /// Byte range in the policy file it was read from.
  public var range: Range<Int>? = nil

  public init(
    source: String, proto: String = "tcp", accept: [Located<String>], deny: [Located<String>], span: SourceSpan?
  ) {
    self.source = source
    self.proto = proto
    self.accept = accept
    self.deny = deny
    self.span = span
  }
}

/// Why a policy file could not be read as a policy.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
  public var location: SourceLocation
  public var message: String
  public var description: String { "\(location): \(message)" }
}

extension TailnetPolicy {
  /// Reads the sections that decide network access out of a parsed policy
  /// file; positions come from `document`, lines from `lines`.
  public static func read(_ document: LocatedHuJSON, lines: LineTable) throws(PolicyError) -> TailnetPolicy {
    func span(_ node: LocatedHuJSON) -> SourceSpan { SourceSpan(lines.location(of: node.range.lowerBound)) }
    func fail(_ node: LocatedHuJSON, _ message: String) -> PolicyError {
      PolicyError(location: lines.location(of: node.range.lowerBound), message: message)
    }
    func strings(_ node: LocatedHuJSON?, _ what: String, in parent: LocatedHuJSON) throws(PolicyError) -> [String] {
      guard let node else { throw fail(parent, "\(what) is missing") }
      guard let list = node.value.stringArray else { throw fail(node, "\(what) must be a list of strings") }
      return list
    }

    guard document.value.objectValue != nil else { throw fail(document, "a policy file is one object") }
    var policy = TailnetPolicy()
    if let groups = document["groups"] {
      for member in groups.members {
        guard let users = member.value.value.stringArray else {
          throw fail(member.value, "group \(member.name) must list users")
        }
        policy.groups[member.name] = users
      }
    }
    if let hosts = document["hosts"] {
      for member in hosts.members {
        guard let address = member.value.value.stringValue else {
          throw fail(member.value, "host \(member.name) must be an address")
        }
        policy.hosts[member.name] = address
      }
    }
    for grant in document["grants"]?.items ?? [] {
      let sources = try strings(grant["src"], "a grant's src", in: grant)
      let destinations = try strings(grant["dst"], "a grant's dst", in: grant)
      // A grant with only `app` capabilities opens no network access.
      guard let ip = grant["ip"] else { continue }
      var ports: [PolicyPorts] = []
      for entry in try strings(ip, "a grant's ip", in: grant) {
        guard let p = PolicyPorts(grantEntry: entry) else {
          throw fail(ip, "\(HuJSON.quote(entry)) is not a protocol and port")
        }
        ports.append(p)
      }
      var rule = PolicyRule(
        kind: .grant, sources: sources, destinations: destinations.map { .init(selector: $0, ports: ports) },
        span: span(grant))
      rule.range = grant.range
      if grant["srcPosture"] != nil { rule.unmodelled.append("srcPosture") }
      if grant["via"] != nil { rule.unmodelled.append("via") }
      policy.rules.append(rule)
    }
    for acl in document["acls"]?.items ?? [] {
      guard acl["action"]?.value.stringValue == "accept" else { throw fail(acl, "an ACL's action must be \"accept\"") }
      let sources = try strings(acl["src"] ?? acl["users"], "an ACL's src", in: acl)
      let proto = acl["proto"]?.value.stringValue
      var destinations: [PolicyRule.Destination] = []
      for target in try strings(acl["dst"] ?? acl["ports"], "an ACL's dst", in: acl) {
        guard let colon = target.lastIndex(of: ":") else { throw fail(acl, "ACL destination \(target) has no :ports") }
        var ports: [PolicyPorts] = []
        for item in target[target.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false) {
          guard let p = PolicyPorts(aclPort: item, proto: proto) else {
            throw fail(acl, "ACL destination \(target) has bad ports")
          }
          ports.append(p)
        }
        destinations.append(.init(selector: String(target[..<colon]), ports: ports))
      }
      var rule = PolicyRule(kind: .acl, sources: sources, destinations: destinations, span: span(acl))
      rule.range = acl.range
      if acl["srcPosture"] != nil { rule.unmodelled.append("srcPosture") }
      policy.rules.append(rule)
    }
    for test in document["tests"]?.items ?? [] {
      guard let source = test["src"]?.value.stringValue else { throw fail(test, "a test needs a src") }
      func targets(_ key: String) throws(PolicyError) -> [Located<String>] {
        guard let node = test[key] else { return [] }
        guard node.value.stringArray != nil else { throw fail(node, "a test's \(key) must be a list of strings") }
        return node.items.map { Located($0.value.stringValue ?? "", at: span($0)) }
      }
      var entry = PolicyTestCase(
        source: source, proto: test["proto"]?.value.stringValue ?? "tcp", accept: try targets("accept"),
        deny: try targets("deny"), span: span(test))
      entry.range = test.range
      policy.tests.append(entry)
    }
    return policy
  }
}
