/// Deliberate exceptions: the inventory's `ignore:` list, read by the
/// decoder and applied by `Checker`. An entry names a rule, the key path of
/// the value its finding points at, and why. The finding is kept and
/// printed as ignored; it no longer counts as an error or a warning. An
/// entry without a reason, or one that matches no finding, is a warning
/// (an error with `--strict`).
public enum IgnoreList {
  /// Rules whose errors mean a file `render` would write is broken, or a
  /// secret would be written: they cannot be ignored.
  public static let unignorable: [String: String] = [
    "no-secrets-in-inventory": "a secret would be written into the generated files and the logs",
    "compose-network-mode": "Compose refuses a service with ports or networks in another's network namespace",
    "edge-listeners-consistent": "the edge would forward to ports nothing listens on",
    "dns-records-valid": "the zone and the provider's payload would hold invalid or conflicting records",
    "dkim-key-valid": "the published DKIM record would hold a key no receiver can use",
    "mta-sts-policy-valid": "the MTA-STS record would be one senders reject",
  ]

  /// Reads `ignore:` (a list of {rule, at, reason}).
  static func decode(_ top: Fields, _ problems: Problems) -> [IgnoreEntry] {
    let ids = RuleCatalog.descriptions.map(\.id)
    return top.list("ignore") { node, what -> IgnoreEntry? in
      guard let f = Fields.open(node, path: what, known: ["rule", "at", "reason"], problems: problems) else { return nil }
      defer { f.finish() }
      let rule = f.string("rule", "a rule id such as magicdns-not-ips")
      let at = f.string("at", "a key path such as edge.public_ipv4 or dns.hosts.mail[0]")
      let reason = f.string("reason", "the reason the exception is deliberate")
      if rule == nil && f.mapping["rule"] == nil { f.missing("rule", "a rule id") }
      if at == nil && f.mapping["at"] == nil { f.missing("at", "the key path of the value the finding points at") }
      guard let rule, let at else { return nil }
      guard ids.contains(rule.value) else {
        let guess = RuleCatalog.suggestions(for: rule.value).first
        problems.error(
          rule.span, "\(what).rule \"\(rule.value)\" is not a rule id",
          help: guess.map { "did you mean \"\($0)\"? (all rules: tailwart explain --list)" } ?? "all rules: tailwart explain --list")
        return nil
      }
      if let why = unignorable[rule.value] {
        problems.error(
          rule.span, "\(rule.value) cannot be ignored: \(why)",
          help: "fix the inventory instead (tailwart explain \(rule.value))")
        return nil
      }
      return IgnoreEntry(rule: rule, at: at, reason: reason, span: f.mapping.span, name: what)
    }?.value ?? []
  }

  /// The key path of every key and value in the document, by position;
  /// a value written where a block mapping starts takes its first key's path.
  static func keyPaths(in root: YAMLNode) -> [SourceLocation: String] {
    var out: [SourceLocation: String] = [:]
    func walk(_ node: YAMLNode, _ path: String) {
      if !path.isEmpty { out[node.span.start] = path }
      switch node {
      case .scalar: break
      case .sequence(let seq):
        for (i, item) in seq.items.enumerated() { walk(item, "\(path)[\(i)]") }
      case .mapping(let m):
        for entry in m.entries {
          let child = path.isEmpty ? entry.key.value : "\(path).\(entry.key.value)"
          walk(entry.value, child)
          out[entry.key.span.start] = child
        }
      }
    }
    walk(root, "")
    return out
  }

  /// `findings` with every one an entry matches marked as ignored, then a
  /// warning for each entry without a reason or without a match.
  static func apply(_ findings: [Finding], to deployment: Deployment) -> [Finding] {
    var used = Set<Int>()
    var out = findings.map { original -> Finding in
      var finding = original
      if finding.ruleID != nil, let start = finding.span?.start { finding.keyPath = deployment.keyPaths[start] }
      guard let rule = finding.ruleID, let path = finding.keyPath,
        let index = deployment.ignores.indices.first(where: {
          !used.contains($0) && deployment.ignores[$0].rule.value == rule && deployment.ignores[$0].at.value == path
        })
      else { return finding }
      used.insert(index)
      var ignored = finding
      ignored.ignored = deployment.ignores[index].reason?.value ?? ""
      return ignored
    }
    for (i, entry) in deployment.ignores.enumerated() {
      if entry.reason == nil || entry.reason?.value.trimmingCharacters(in: .whitespaces).isEmpty == true {
        out.append(
          Finding(
            .warning, file: deployment.file, at: entry.rule.span,
            "\(entry.name) keeps an exception to \(entry.rule.value) without a reason",
            help: "add `reason:` saying why the deviation is deliberate"))
      }
      if !used.contains(i) {
        out.append(
          Finding(
            .warning, file: deployment.file, at: entry.at.span,
            "\(entry.name) matches no finding of \(entry.rule.value) at \(entry.at.value)",
            help: "remove the entry, or write the key path the finding points at (`tailwart check --format json` gives each finding's path)"))
      }
    }
    return out
  }
}
