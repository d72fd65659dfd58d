/// Lesson 10: with a relay, outbound mail reaches the world from the
/// relay's address, not the mail host's. An SPF record that authorises only
/// the domain's own hosts (`v=spf1 mx -all`) then fails every message the
/// relay delivers, and with `-all` and a strict DMARC policy, receivers
/// reject it.
public enum SPFAuthorisesRelay: Rule {
  public static let description = RuleDescription(
    id: "spf-authorises-relay",
    summary: "an SPF record that does not authorise the address the relay sends from (relay.sends_from)",
    severity: .warning,
    lessons: [10],
    rationale: """
      Mail relayed through another host is delivered to recipients from that host's public \
      address. Receivers check that address against the domain's SPF record; `mx` and `a` cover \
      only the domain's own hosts, so a relay elsewhere fails SPF, and with `-all` and a DMARC \
      policy of reject the mail is refused. tailwart can judge this offline when the inventory \
      names the relay's sending addresses under `relay.sends_from` and the SPF record has no \
      `include:`, `exists:`, `ptr` or `redirect=` it cannot resolve.
      """,
    fix: """
      Add the relay's address to the SPF record (`ip4:198.51.100.25` before `-all`), or the \
      `include:` its operator publishes for it.
      """,
    triggering: [
      RuleExample(
        "the relay sends from an address the SPF record does not name",
        [
          .init(
            "relay:\n  host: mailbox\n  port: 587",
            "relay:\n  host: mailbox\n  port: 587\n  sends_from: [198.51.100.25]"),
          .init("  spf: v=spf1 mx -all", "  spf: ↓v=spf1 mx -all"),
        ]),
      RuleExample(
        "one of two sending addresses missing",
        [
          .init(
            "relay:\n  host: mailbox\n  port: 587",
            "relay:\n  host: mailbox\n  port: 587\n  sends_from: [198.51.100.25, 2001:db8:25::1]"),
          .init("  spf: v=spf1 mx -all", "  spf: ↓v=spf1 mx ip4:198.51.100.0/24 -all"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "the relay's address in the SPF record",
        [
          .init(
            "relay:\n  host: mailbox\n  port: 587",
            "relay:\n  host: mailbox\n  port: 587\n  sends_from: [198.51.100.25]"),
          .init("  spf: v=spf1 mx -all", "  spf: v=spf1 mx ip4:198.51.100.25 -all"),
        ]),
      RuleExample(
        "the relay sends from the mail host's own address, which mx covers",
        replacing: "relay:\n  host: mailbox\n  port: 587",
        with: "relay:\n  host: mailbox\n  port: 587\n  sends_from: [203.0.113.10]"),
      RuleExample(
        "an include tailwart cannot resolve offline",
        [
          .init(
            "relay:\n  host: mailbox\n  port: 587",
            "relay:\n  host: mailbox\n  port: 587\n  sends_from: [198.51.100.25]"),
          .init("  spf: v=spf1 mx -all", "  spf: v=spf1 mx include:_spf.relay.example.net -all"),
        ]),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    guard d.relay != nil, !d.relaySendsFrom.isEmpty else { return }
    guard let authorised = authorisedNetworks(d) else { return }
    let missing = d.relaySendsFrom.filter { address in !authorised.contains { $0.contains(address.value) } }
    guard !missing.isEmpty else { return }
    let terms = missing.map { ($0.value.bytes.count == 4 ? "ip4:" : "ip6:") + $0.value.description }
    let spf = d.dns.spf.value
    var words = spf.split(separator: " ").map(String.init)
    let allIndex = words.firstIndex { $0.hasSuffix("all") && ["-all", "~all", "?all", "all", "+all"].contains($0) }
    words.insert(contentsOf: terms, at: allIndex ?? words.count)
    findings.report(
      d.dns.spf.span,
      "the relay delivers from \(missing.map { $0.value.description }.joined(separator: ", ")), which this SPF record does not authorise; receivers fail SPF for relayed mail",
      help: "write `spf: \(words.joined(separator: " "))`",
      notes: missing.map { "relay.sends_from names \($0.value) at line \($0.span.start.line)" })
  }

  /// The networks the SPF record passes, as far as the inventory knows
  /// them; nil when it has a term that only a DNS lookup can resolve.
  static func authorisedNetworks(_ d: Deployment) -> [CIDR]? {
    let zone = d.domain.value
    func addresses(of name: String) -> [CIDR]? {
      guard let owner = DomainName(name), let relative = owner.relative(to: zone) else { return nil }
      let hosts = d.dns.hosts.filter { $0.name.value.relative == relative }.flatMap(\.addresses).map(\.value)
      let extra = d.dns.extra.filter {
        $0.name.value.relative == relative && ($0.type.value == .A || $0.type.value == .AAAA)
      }
      .compactMap { IPAddress($0.value.value) }
      return (hosts + extra).compactMap { CIDR($0.description) }
    }
    var out: [CIDR] = []
    for raw in d.dns.spf.value.split(separator: " ").dropFirst() {
      var term = Substring(raw.lowercased())
      if let first = term.first, "+-~?".contains(first) {
        if first != "+" { continue }
        term = term.dropFirst()
      }
      let (mechanism, argument) =
        term.firstIndex(where: { $0 == ":" || $0 == "/" }).map {
          (term[..<$0], term[$0...].hasPrefix(":") ? String(term[term.index(after: $0)...].prefix { $0 != "/" }) : "")
        } ?? (term, "")
      switch mechanism {
      case "ip4", "ip6":
        guard let network = CIDR(String(term.dropFirst(4))) else { return nil }
        out.append(network)
      case "a":
        guard let found = addresses(of: argument.isEmpty ? zone.text : argument) else { return nil }
        out += found
      case "mx":
        if argument.isEmpty || DomainName(argument) == zone {
          for mx in d.dns.mx {
            guard let found = addresses(of: mx.host.value.text) else { return nil }
            out += found
          }
        } else {
          return nil
        }
      case "all":
        return [CIDR("0.0.0.0/0")!, CIDR("::/0")!]
      case "include", "exists", "ptr":
        return nil
      default:
        // redirect= hands the whole decision to another record; exp= and
        // unknown modifiers authorise nothing.
        if term.hasPrefix("redirect=") { return nil }
      }
    }
    return out
  }
}
