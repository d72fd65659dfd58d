import Foundation
import Testing

@testable import TailwartCore

/// The record set derived from the model: what is published, what never is,
/// and what conflicts are refused.
struct DNSRecordSetTests {
  typealias F = DNSACLFixtures

  static func set(_ text: String) throws -> DNSRecordSet {
    try DNSRecordSet(try F.checked(text))
  }

  /// "owner TYPE data" for each record, as the zone writes the data.
  static func summary(_ set: DNSRecordSet) -> [String] {
    set.records.map { "\($0.name.relative) \($0.kind.rawValue) \(ZoneRenderer.rdata($0.data))" }
  }

  /// What the derivation refuses in `text`. `check` asks the same of the
  /// model first (render-accepts), so a refused set never reaches render.
  static func findings(_ text: String) throws -> [Finding] {
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    let result = Checker.check(loaded.deployment)
    guard let checked = result.checked else {
      let refused = result.findings.filter { $0.ruleID == "render-accepts" }
      #expect(refused.count == result.findings.filter { $0.severity == .error }.count, "\(result.findings)")
      return refused
    }
    do {
      _ = try DNSRecordSet(checked)
      return []
    } catch {
      return error.findings
    }
  }

  @Test func exampleInventoryPublishesTheMailRecords() throws {
    let records = Self.summary(try Self.set(ExampleInventory.text))
    let account = "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234567890"
    #expect(
      records == [
        "@ A 203.0.113.20",
        "@ AAAA 2001:db8::20",
        "@ MX 10 mail.example.com.",
        "@ TXT \"v=spf1 mx -all\"",
        "@ CAA 0 issue \"\(account)\"",
        "@ CAA 0 issuewild \"\(account)\"",
        "@ CAA 0 iodef \"mailto:postmaster@example.com\"",
        "202606e._domainkey TXT \"v=DKIM1; k=ed25519; h=sha256; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"",
        "_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:postmaster@example.com\"",
        "_imaps._tcp SRV 0 1 993 mail.example.com.",
        "_mta-sts TXT \"v=STSv1; id=20260611\"",
        "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:postmaster@example.com\"",
        "_submission._tcp SRV 0 1 587 mail.example.com.",
        "_submissions._tcp SRV 0 1 465 mail.example.com.",
        "autoconfig CNAME mail.example.com.",
        "autodiscover CNAME mail.example.com.",
        "mail A 203.0.113.10",
        "mail TXT \"v=spf1 a -all\"",
        "mta-sts CNAME mail.example.com.",
      ])
  }

  @Test func everyRecordTakesTheZoneTTL() throws {
    let set = try Self.set(ExampleInventory.text)
    #expect(set.records.allSatisfy { $0.ttl.value == 3600 })
    let short = try Self.set(try F.edit(ExampleInventory.text, "  ttl: 3600", "  ttl: 300"))
    #expect(short.records.allSatisfy { $0.ttl.value == 300 })
  }

  @Test func noAAAAOnTheMailHostUnlessTheEdgeListensOnIPv6() throws {
    let v4 = try Self.set(ExampleInventory.text)
    #expect(v4.records(named: "mail").map(\.kind) == [.A, .TXT])
    let v6 = try Self.set(try F.ipv6Edge())
    #expect(v6.records(named: "mail").map(\.kind) == [.A, .AAAA, .TXT])
    let aaaa = try #require(v6.records(named: "mail").first { $0.kind == .AAAA })
    #expect(aaaa.data == .aaaa(IPv6Address("2001:db8::10")!))
    #expect(aaaa.lessons == [13] && aaaa.rules == ["mail-aaaa-needs-v6-edge"])
  }

  @Test func stalwartsOwnRecordsNeverAppear() throws {
    for text in [ExampleInventory.text, try F.shippedInventory(), try F.ipv6Edge(), try F.noRelay(), try F.rsaDKIM()] {
      let labels = try Self.set(text).records.flatMap { $0.name.relative.split(separator: ".") }
      #expect(!labels.contains("_acme-challenge") && !labels.contains("_validation-persist"))
    }
    // Writing one as an extra record is refused before anything renders.
    let text = try F.withExtra(["{name: _acme-challenge, type: TXT, value: abc}"])
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    #expect(Checker.check(loaded.deployment).checked == nil)
  }

  @Test func caaPinsTheACMEAccount() throws {
    let caa = try Self.set(ExampleInventory.text).records.filter { $0.kind == .CAA }
    let value = "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234567890"
    #expect(
      caa.map(\.data) == [
        .caa(flags: 0, tag: "issue", value: value), .caa(flags: 0, tag: "issuewild", value: value),
        .caa(flags: 0, tag: "iodef", value: "mailto:postmaster@example.com"),
      ])
    #expect(caa[0].rules == ["dns-records-valid"] && caa[0].lessons == [5])
    // Without a known account the issuer alone; named hosts need no issuewild.
    var text = try F.edit(
      ExampleInventory.text, "    account_uri: https://acme-v02.api.letsencrypt.org/acme/acct/1234567890\n", "")
    text = try F.edit(
      text, "    hostnames: []",
      "    hostnames: [mail.example.com, mta-sts.example.com, autoconfig.example.com, autodiscover.example.com]")
    #expect(
      try Self.set(text).records.filter { $0.kind == .CAA }.map(\.data) == [
        .caa(flags: 0, tag: "issue", value: "letsencrypt.org"),
        .caa(flags: 0, tag: "iodef", value: "mailto:postmaster@example.com"),
      ])
  }

  @Test func webEndpointsFollowThePassthroughList() throws {
    let set = try Self.set(ExampleInventory.text)
    #expect(set.records.filter { $0.kind == .CNAME }.map(\.name.relative) == ["autoconfig", "autodiscover", "mta-sts"])
    // A name Stalwart serves that the edge does not pass through is refused
    // by check, so no record ever points clients at it.
    let text = try F.edit(
      ExampleInventory.text, "  passthrough: [mta-sts, autoconfig, autodiscover]", "  passthrough: [mta-sts]")
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    #expect(Checker.check(loaded.deployment).findings.contains { $0.ruleID == "web-endpoints-pass-through" })
  }

  /// The SRV target is sent as SNI and may not be a CNAME, so the
  /// autodiscover SRV needs the mail host itself passed through on :443.
  @Test func autodiscoverSRVOnlyWhenTheMailHostPassesThrough() throws {
    #expect(try Self.set(ExampleInventory.text).records(named: "_autodiscover._tcp").isEmpty)
    let text = try F.edit(
      ExampleInventory.text, "  passthrough: [mta-sts, autoconfig, autodiscover]",
      "  passthrough: [mta-sts, autoconfig, autodiscover, mail]")
    let set = try Self.set(text)
    #expect(
      set.records(named: "_autodiscover._tcp").map(\.data) == [
        .srv(priority: 0, weight: 1, port: 443, target: DomainName("mail.example.com")!)
      ])
    #expect(set.records(named: "mail").allSatisfy { $0.kind != .CNAME }, "the mail host never points at itself")
  }

  @Test func clientServicesFollowWhatTheEdgeForwards() throws {
    // Only 25, 993, 995 and 110 forwarded: submission and submissions are
    // not offered and left out (Spaceship takes no "0 0 0 ." record), as
    // is every service on :443 while the mail host is not passed through;
    // POP3 listened to and forwarded gets real records.
    var text = try F.edit(ExampleInventory.text, "  forward: [25, 465, 587, 993]", "  forward: [25, 993, 995, 110]")
    text = try F.edit(
      text, "    https: {port: 443}\n",
      "    https: {port: 443}\n    pop3s: {port: 995, proxy_protocol: true}\n    pop3: {port: 110, proxy_protocol: true}\n"
    )
    text = try F.edit(
      text, "tcp:25, tcp:465, tcp:587, tcp:993, tcp:443]", "tcp:25, tcp:993, tcp:443, tcp:995, tcp:110]")
    // Listeners the edge no longer forwards trust nobody (proxy-trust-matches-edge).
    text = try F.edit(text, "    submissions: {port: 465, proxy_protocol: true}", "    submissions: {port: 465}")
    text = try F.edit(text, "    submission: {port: 587, proxy_protocol: true}", "    submission: {port: 587}")
    let set = try Self.set(text)
    let srv = Self.summary(set).filter { $0.contains(" SRV ") }
    #expect(
      srv == [
        "_imaps._tcp SRV 0 1 993 mail.example.com.",
        "_pop3._tcp SRV 0 1 110 mail.example.com.",
        "_pop3s._tcp SRV 0 1 995 mail.example.com.",
      ])
    #expect(
      set.notOffered == [
        "_submissions._tcp", "_submission._tcp", "_imap._tcp", "_jmap._tcp", "_caldavs._tcp", "_carddavs._tcp",
      ])
  }

  /// `_pop3s` follows the same policy as every other client service: left
  /// out while not offered, published once the edge forwards 995 to a
  /// Stalwart listener.
  @Test func pop3sFollowsTheSamePolicy() throws {
    let without = try Self.set(ExampleInventory.text)
    #expect(without.notOffered.contains("_pop3s._tcp") && without.notOffered.contains("_pop3._tcp"))
    #expect(without.records(named: "_pop3s._tcp").isEmpty)
    var text = try F.edit(
      ExampleInventory.text, "  forward: [25, 465, 587, 993]", "  forward: [25, 465, 587, 993, 995]")
    text = try F.edit(
      text, "    https: {port: 443}\n", "    https: {port: 443}\n    pop3s: {port: 995, proxy_protocol: true}\n")
    text = try F.edit(text, "tcp:993, tcp:443]", "tcp:993, tcp:443, tcp:995]")
    let with = try Self.set(text)
    #expect(Self.summary(with).contains("_pop3s._tcp SRV 0 1 995 mail.example.com."))
    #expect(!with.notOffered.contains("_pop3s._tcp"))
    // Listened to but not forwarded: still not offered.
    var listening = try F.edit(text, "  forward: [25, 465, 587, 993, 995]", "  forward: [25, 465, 587, 993]")
    listening = try F.edit(listening, "    pop3s: {port: 995, proxy_protocol: true}", "    pop3s: {port: 995}")
    listening = try F.edit(listening, "tcp:993, tcp:443, tcp:995]", "tcp:993, tcp:443]")
    #expect(try Self.set(listening).notOffered.contains("_pop3s._tcp"))
  }

  /// JMAP, CalDAV and CardDAV are reached on :443 under the mail host's
  /// name; once the edge passes that name through they are published, as
  /// Stalwart publishes them.
  @Test func httpsServicesNeedTheMailHostPassedThrough() throws {
    let text = try F.edit(
      ExampleInventory.text, "  passthrough: [mta-sts, autoconfig, autodiscover]",
      "  passthrough: [mta-sts, autoconfig, autodiscover, mail]")
    let srv = Self.summary(try Self.set(text)).filter { $0.contains(" 443 ") }
    #expect(
      srv == [
        "_autodiscover._tcp SRV 0 1 443 mail.example.com.",
        "_caldavs._tcp SRV 0 1 443 mail.example.com.",
        "_carddavs._tcp SRV 0 1 443 mail.example.com.",
        "_jmap._tcp SRV 0 1 443 mail.example.com.",
      ])
  }

  /// `ua-auto-config` (Stalwart v0.16's client configuration document) is
  /// a name on :443 like autoconfig: a CNAME to the mail host once the edge
  /// passes it through. Its `_ua-auto-config` TXT is Stalwart's.
  @Test func uaAutoConfigIsAWebEndpoint() throws {
    #expect(try Self.set(ExampleInventory.text).records(named: "ua-auto-config").isEmpty)
    let text = try F.edit(
      ExampleInventory.text, "  passthrough: [mta-sts, autoconfig, autodiscover]",
      "  passthrough: [mta-sts, autoconfig, autodiscover, ua-auto-config]")
    let set = try Self.set(text)
    #expect(set.records(named: "ua-auto-config").map(\.data) == [.cname(DomainName("mail.example.com")!)])
    #expect(set.records(named: "_ua-auto-config").isEmpty)
  }

  @Test func extraRecordsArePublishedAsGiven() throws {
    let set = try Self.set(
      try F.withExtra([
        "{name: www, type: A, value: 203.0.113.30}",
        "{name: www, type: AAAA, value: \"2001:db8::30\"}",
        "{name: docs, type: CNAME, value: www}",
        "{name: \"@\", type: TXT, value: \"google-site-verification=abc\", ttl: 3600}",
      ]))
    #expect(
      set.records(named: "www").map(\.data) == [.a(IPv4Address("203.0.113.30")!), .aaaa(IPv6Address("2001:db8::30")!)])
    #expect(set.records(named: "docs").map(\.data) == [.cname(DomainName("www.example.com")!)])
    #expect(set.records(named: "@").filter { $0.kind == .TXT }.count == 2)
  }

  @Test func anExtraSPFAtTheMailHostReplacesTheDefault() throws {
    let set = try Self.set(try F.withExtra(["{name: mail, type: TXT, value: \"v=spf1 ip4:203.0.113.10 -all\"}"]))
    #expect(
      set.records(named: "mail").compactMap { if case .txt(let t) = $0.data { t } else { nil } } == [
        "v=spf1 ip4:203.0.113.10 -all"
      ])
  }

  @Test func noRecordIsPublishedTwice() throws {
    let set = try Self.set(try F.shippedInventory())
    let keys = set.records.map { "\($0.name.relative) \($0.data)" }
    #expect(Set(keys).count == keys.count)
    // Writing one twice in the inventory is refused before rendering.
    let text = try F.withExtra(["{name: mail, type: A, value: 203.0.113.10}"])
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    #expect(Checker.check(loaded.deployment).findings.map(\.ruleID) == ["dns-records-valid"])
  }

  @Test func derivationIsStable() throws {
    let a = try Self.set(try F.shippedInventory())
    let b = try Self.set(try F.shippedInventory())
    #expect(a.records == b.records)
    #expect(a.records == a.records.sorted(by: DNSRecord.precedes))
    #expect(a.records.first?.name.relative == "@")
  }

  // MARK: conflicts

  @Test func aCNAMEBesideOtherDataIsRefused() throws {
    let findings = try Self.findings(try F.withExtra(["{name: autoconfig, type: TXT, value: hello}"]))
    #expect(
      findings.map(\.message) == [
        "autoconfig.example.com has a CNAME and other records; a name with a CNAME can hold nothing else"
      ])
    #expect(findings.first?.span?.start.line != nil)
  }

  @Test func twoSPFRecordsAtOneNameAreRefusedByCheck() throws {
    let text = try F.withExtra(["{name: \"@\", type: TXT, value: \"v=spf1 -all\"}"])
    let loaded = try Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    let findings = Checker.check(loaded.deployment).findings
    #expect(findings.map(\.ruleID) == ["dns-records-valid"])
    #expect(findings.first?.message.contains("two SPF records") == true)
  }

  @Test func differentTTLsInOneRecordSetAreRefused() throws {
    let text = try F.withExtra(["{name: mail, type: A, value: 203.0.113.11, ttl: 300}"])
    let findings = try Self.findings(text)
    #expect(
      findings.map(\.message) == [
        "mail.example.com A records have different TTLs (3600 and 300); one record set has one TTL"
      ])
    let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("ttl: 300") }! + 1
    #expect(findings.first?.span?.start.line == line)
  }

  @Test func unreadableExtraValuesPointAtTheValue() throws {
    let text = try F.withExtra([
      "{name: www, type: A, value: \"2001:db8::1\"}", "{name: ftp, type: CNAME, value: \"not a name\"}",
    ])
    let findings = try Self.findings(text)
    #expect(findings.map(\.message) == ["\"2001:db8::1\" is not an IPv4 address", "\"not a name\" is not a DNS name"])
    #expect(findings.allSatisfy { $0.file == "inventory.yaml" && $0.span != nil && $0.help != nil })
  }

  // MARK: Stalwart's recommendations

  /// The records take the form Stalwart recommends for its own domains
  /// (v0.16, `build_bind_dns_records`): DKIM tags `v`, `k`, `h`, `p` in
  /// that order; `v=STSv1; id=…` for MTA-STS; SPF `mx -all` at the apex and
  /// `a -all` at each MX host; client SRV records with priority 0 and
  /// weight 1; the web endpoints as CNAMEs of the mail host; CAA `issue`
  /// naming the CA. Written out here as facts (Stalwart's test file is
  /// AGPL-3.0 and is not copied).
  @Test func recordsTakeStalwartsForm() throws {
    let set = try Self.set(try F.rsaDKIM())
    func text(_ owner: String) -> [String] {
      set.records(named: owner).compactMap { if case .txt(let t) = $0.data { t } else { nil } }
    }
    func redacted(_ value: String?) -> String? {
      value?.replacingOccurrences(of: #"p=.*$"#, with: "p=REDACTED", options: .regularExpression)
    }
    #expect(redacted(text("202606e._domainkey").first) == "v=DKIM1; k=ed25519; h=sha256; p=REDACTED")
    #expect(redacted(text("202606r._domainkey").first) == "v=DKIM1; k=rsa; h=sha256; p=REDACTED")
    #expect(text("_mta-sts").first == "v=STSv1; id=20260611")
    #expect(text("@").contains("v=spf1 mx -all"))
    #expect(text("mail") == ["v=spf1 a -all"])
    // Stalwart points these web endpoints at the mail host.
    let stalwartWebNames: Set<String> = ["autoconfig", "autodiscover", "mta-sts", "ua-auto-config"]
    let cnames = Set(set.records.filter { $0.kind == .CNAME }.map(\.name.relative))
    #expect(!cnames.isEmpty && cnames.isSubset(of: stalwartWebNames))
    // Client SRV records: priority 0, weight 1, the service's port.
    for (owner, expectedPort) in [("_submissions._tcp", 465), ("_imaps._tcp", 993)] {
      let mine = try #require(set.records(named: owner).first)
      guard case .srv(let priority, let weight, let port, _) = mine.data else {
        Issue.record("\(owner) is not SRV")
        continue
      }
      #expect(priority == 0 && weight == 1 && Int(port) == expectedPort)
    }
    // CAA: the issue tag naming the CA, with the account added.
    #expect(
      set.records(named: "@").contains {
        $0.data
          == .caa(
            flags: 0, tag: "issue",
            value: "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234567890")
      })
  }
}
