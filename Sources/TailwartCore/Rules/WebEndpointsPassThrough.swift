/// Lesson 5: MTA-STS, autoconfig and autodiscover are served by Stalwart on
/// :443 under its own certificate. CAA pins issuance for the domain to
/// Stalwart's ACME account, so the edge cannot get a certificate for those
/// names and must not terminate TLS for them: it passes the connection
/// through by SNI, which the tailnet policy must allow on tcp:443.
public enum WebEndpointsPassThrough: Rule {
  public static let description = RuleDescription(
    id: "web-endpoints-pass-through",
    summary:
      "mta-sts, autoconfig or autodiscover terminated at the edge instead of passed through by SNI; no edge→Stalwart tcp:443 grant",
    lessons: [5],
    rationale: """
      The MTA-STS policy and the autoconfig and autodiscover documents are served by Stalwart \
      over HTTPS, with the certificate Stalwart holds. The domain's CAA record lets only \
      Stalwart's ACME account obtain certificates, so Caddy on the edge cannot get one for these \
      names and cannot terminate TLS for them. The edge has to hand the TLS connection to \
      Stalwart untouched, choosing by SNI, and the tailnet policy has to let the edge open \
      tcp:443 to Stalwart. A name passed through must also be one Stalwart's certificate covers.
      """,
    fix: """
      List the names under `edge.passthrough` (`[mta-sts, autoconfig, autodiscover]`), never \
      under `edge.sites`, and add `tcp:443` to the grant from the edge's tag to Stalwart's. Keep \
      Stalwart's certificate covering them: a wildcard (empty `acme.hostnames`) does.
      """,
    triggering: [
      RuleExample(
        "MTA-STS left out of the passthrough list",
        replacing: "  passthrough: [mta-sts, autoconfig, autodiscover]",
        with: "  passthrough: [↓autoconfig, autodiscover]"),
      RuleExample(
        "MTA-STS served as one of the edge's own sites",
        replacing: "  passthrough: [mta-sts, autoconfig, autodiscover]",
        with: "  passthrough: [autoconfig, autodiscover]\n  sites: [{name: ↓mta-sts.example.com, upstream: {host: 127.0.0.1, port: 8080}}]"),
      RuleExample(
        "the edge's grant without tcp:443",
        [
          .init("    ip: [tcp:25, tcp:465, tcp:587, tcp:993, tcp:443]", "    ip: [tcp:25, tcp:465, tcp:587, tcp:993]"),
          .init(
            "  passthrough: [mta-sts, autoconfig, autodiscover]", "  passthrough: [↓mta-sts, autoconfig, autodiscover]"),
        ]),
      RuleExample(
        "an edge site in the domain while CAA pins Stalwart's account",
        replacing: "  passthrough: [mta-sts, autoconfig, autodiscover]",
        with: "  passthrough: [mta-sts, autoconfig, autodiscover]\n  sites: [{name: ↓www.example.com, upstream: {host: 127.0.0.1, port: 8080}}]"),
      RuleExample(
        "a passed-through name the wildcard does not cover",
        replacing: "  passthrough: [mta-sts, autoconfig, autodiscover]",
        with: "  passthrough: [mta-sts, autoconfig, autodiscover, ↓webmail.eu]"),
    ],
    nonTriggering: [
      RuleExample(
        "an edge site outside the mail domain",
        replacing: "  passthrough: [mta-sts, autoconfig, autodiscover]",
        with: "  passthrough: [mta-sts, autoconfig, autodiscover]\n  sites: [{name: status.example.net, upstream: {host: 127.0.0.1, port: 8080}}]"),
      RuleExample(
        "no MTA-STS policy, so no mta-sts name to pass through",
        [
          .init("  passthrough: [mta-sts, autoconfig, autodiscover]", "  passthrough: [autoconfig, autodiscover]"),
          .init("  mta_sts: {id: \"20260611\", mode: enforce, max_age: 604800}\n", ""),
        ]),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let zone = d.domain.value
    let passthrough = d.edge.passthrough
    let passed = Set(passthrough.map { $0.value.absolute(in: zone) })
    var required = ["autoconfig", "autodiscover"]
    if d.dns.mtaSTS != nil { required.insert("mta-sts", at: 0) }
    let requiredNames = Set(required.map { "\($0).\(zone)" })

    var missing: [String] = []
    for name in required where !passed.contains("\(name).\(zone)") {
      if !d.edge.sites.contains(where: { $0.name.value.text == "\(name).\(zone)" }) { missing.append(name) }
    }
    if !missing.isEmpty {
      let all = passthrough.map(\.value.relative) + missing
      for name in missing {
        findings.report(
          passthrough.first?.span ?? d.edge.node.span,
          "the edge does not pass \(name).\(zone) through to Stalwart; Stalwart serves it on :443 with a certificate only it can get",
          help: "write `passthrough: [\(all.joined(separator: ", "))]` under edge")
      }
    }

    let pinned = d.dns.caa != nil && d.stalwart.acme.accountURI != nil
    for entry in d.edge.sites {
      let site = entry.name
      let name = site.value.text
      if passed.contains(name) || requiredNames.contains(name) {
        let relative = site.value.relative(to: zone) ?? name
        let rest = d.edge.sites.filter { $0.name.value != site.value }.map(\.name.value.text)
        findings.report(
          site.span,
          "the edge serves \(name) as its own HTTPS site; Caddy cannot get a certificate for it, Stalwart must answer it",
          help: (rest.isEmpty ? "remove `sites` from edge" : "remove \(name) from `edge.sites`")
            + (passed.contains(name)
              ? "; it is already passed through" : " and add `\(relative)` to `edge.passthrough`"))
      } else if pinned && site.value.isWithin(zone) {
        findings.report(
          site.span,
          "the edge serves \(name) as its own HTTPS site, but CAA lets only Stalwart's ACME account issue certificates in \(zone)",
          help:
            "serve it under a name outside \(zone), or pass it through to Stalwart by adding it to `edge.passthrough`")
      }
    }

    for entry in passthrough where !certificateCovers(entry.value.absolute(in: zone), d) {
      let name = entry.value.absolute(in: zone)
      findings.report(
        entry.span, "Stalwart's certificate does not cover \(name); clients passed through to it get a name mismatch",
        help: d.stalwart.acme.isWildcard
          ? "a wildcard covers one label below \(zone) only: use a name such as \(entry.value.relative.split(separator: ".").first!).\(zone)"
          : "add \(name) to `acme.hostnames`")
    }

    if let first = passthrough.first, let edgeTag = d.node(named: d.edge.node.value.text)?.tag.value {
      let grant = RequiredGrant(source: edgeTag, destination: d.sidecar.tag.value, port: 443)
      if !grant.isGranted(by: d.grants) {
        findings.report(
          first.span,
          "the edge passes TLS through to Stalwart on tcp:443, but no grant lets \(edgeTag) reach \(d.sidecar.tag.value) there; "
            + "the tailnet drops it",
          help: grant.help(grants: d.grants))
      }
    }
  }

  /// The names Stalwart's certificate holds: its hostname, and either the
  /// listed hostnames or, for a wildcard, the domain and one label below.
  static func certificateCovers(_ name: String, _ d: Deployment) -> Bool {
    if name == d.stalwart.hostname.value.text { return true }
    let acme = d.stalwart.acme
    if acme.isWildcard {
      guard let relative = DomainName(name)?.relative(to: d.domain.value) else { return false }
      return !relative.contains(".")
    }
    return acme.hostnames.value.contains { $0.value.text == name }
  }
}
