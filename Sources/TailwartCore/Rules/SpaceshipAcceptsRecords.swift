/// Structural: every record tailwart sends to Spaceship must meet the
/// provider's documented item constraints, judged here at the inventory
/// line each record comes from, so that `dns push` never learns of a
/// mistake from a 422 halfway through a change.
public enum SpaceshipAcceptsRecords: Rule {
  static let longText = String(repeating: "a", count: SpaceshipLimits.txtLength + 1)
  static let fullText = String(repeating: "a", count: SpaceshipLimits.txtLength)

  public static let description = RuleDescription(
    id: "spaceship-accepts-records",
    summary:
      "a record Spaceship's API refuses: a TXT value too long, an SRV without a port and host-name target, a CAA flag or tag it does not take",
    lessons: [],
    rationale: """
      Spaceship checks every item of a request and refuses the whole request (422) when one \
      of them breaks its constraints: names relative to the domain, a TTL from 60 to 3600, an \
      SRV port from 1 to 65535 with a host name as target, a CAA flag of 0 or 128 with the tag \
      issue, issuewild or iodef, an MX preference from 0 to 65535, TXT values of bounded \
      length, at most 500 items. RFC 2782's "not offered" SRV record (port 0, target `.`) is \
      one of the refused shapes, so a client service the deployment does not offer is left out \
      of the record set instead, and `dns/zone.db` names it in a comment.
      """,
    fix: """
      Shorten the TXT value (a DKIM key of 2048 bits fits; publish a longer one through \
      Stalwart), keep the record set under 500 records, and offer a client service by \
      forwarding its port at the edge to a Stalwart listener, or leave it out.
      """,
    triggering: [
      RuleExample(
        "a TXT value longer than Spaceship takes",
        replacing: "  caa:\n", with: "  extra:\n    - {name: big, type: TXT, value: ↓\(longText)}\n  caa:\n"),
      RuleExample(
        "an SPF record longer than Spaceship takes", replacing: "  spf: v=spf1 mx -all",
        with: "  spf: ↓v=spf1 mx \(longText) -all"),
    ],
    nonTriggering: [
      RuleExample(
        "a TXT value of the longest length Spaceship takes",
        replacing: "  caa:\n", with: "  extra:\n    - {name: big, type: TXT, value: \(fullText)}\n  caa:\n"),
      RuleExample(
        "POP3 not forwarded by the edge: its SRV records are left out, not sent as \"not offered\"",
        replacing: "    imaps: {port: 993, proxy_protocol: true}",
        with: "    imaps: {port: 993, proxy_protocol: true}\n    pop3s: {port: 995, proxy_protocol: true}"),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    guard d.dns.provider.value == "spaceship", let set = try? DNSRecordSet(deriving: d) else { return }
    var reported: Set<String> = []
    for record in set.records {
      let item = SpaceshipRecord(record, zone: set.zone)
      // The TTL range is dns-records-valid's to report, at the ttl.
      for problem in item.problems(zone: set.zone) where problem.field != "ttl" {
        guard reported.insert("\(record.source) \(problem.message)").inserted else { continue }
        findings.report(
          record.source, problem.message + "; Spaceship refuses the whole update (422)",
          help: help(problem))
      }
    }
    // More than 500 records: render-accepts reports it, with the rest of
    // what the renderers refuse.
  }

  static func help(_ problem: SpaceshipItemProblem) -> String {
    switch problem.field {
    case "value": "shorten it to at most \(SpaceshipLimits.txtLength) bytes"
    case "port", "target": "offer the service (forward its port at the edge to a Stalwart listener) or leave it out"
    case "tag", "flag": "use flag 0 with the tag issue, issuewild or iodef"
    default: "write a value Spaceship takes"
    }
  }
}
