/// Every rule, in the order `explain --list` and the site show them (by
/// lesson, structural rules last). A new rule is added here and nowhere else.
public enum RuleCatalog {
  public static let all: [any Rule.Type] = [
    HealthcheckWaitsForDatabase.self,
    NoSecretsInInventory.self,
    AutoBanAllowsEdge.self,
    ProxyTrustMatchesEdge.self,
    WildcardNeedsDNS01.self,
    WebEndpointsPassThrough.self,
    MagicDNSNotIPs.self,
    RelayNeedsReachableFamily.self,
    ULASubnetValid.self,
    RelayOverTailnet.self,
    ACLGrantsInitiator.self,
    RouteChangeNeedsRestart.self,
    MailAAAANeedsV6Edge.self,
    DNSKindsHaveOneWriter.self,
    ComposeNetworkMode.self,
    EdgeListenersConsistent.self,
    DNSRecordsValid.self,
    DKIMKeyValid.self,
    MTASTSPolicyValid.self,
    CAANamesAccount.self,
    SpaceshipAcceptsRecords.self,
    SPFAuthorisesRelay.self,
    StalwartVersionKnown.self,
    ReferenceValuesReplaced.self,
    RenderAccepts.self,
  ]

  public static var descriptions: [RuleDescription] { all.map { $0.description } }

  public static func rule(id: String) -> (any Rule.Type)? {
    all.first { $0.description.id == id }
  }

  /// Rule ids a mistyped or partial `id` probably meant: ids containing it
  /// first, then the nearest by edit distance.
  public static func suggestions(for id: String) -> [String] {
    let query = id.lowercased()
    let ids = descriptions.map(\.id)
    var out = query.isEmpty ? [] : ids.filter { $0.contains(query) }
    if let near = Fields.closest(to: query, in: ids), !out.contains(near) { out.append(near) }
    return Array(out.prefix(3))
  }

  /// The `see:` line for a finding: its rule's page and lesson numbers.
  public static func seeAlso(_ finding: Finding, siteURL: String) -> String? {
    guard let id = finding.ruleID, let rule = rule(id: id) else { return nil }
    let d = rule.description
    let lessons: String
    switch d.lessons.count {
    case 0: lessons = ""
    case 1: lessons = " (lesson \(d.lessons[0]))"
    default: lessons = " (lessons " + d.lessons.map(String.init).joined(separator: ", ") + ")"
    }
    return d.url(base: siteURL) + lessons
  }
}
