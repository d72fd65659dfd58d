import Testing

@testable import TailwartCore

/// One parser per kind of value; these pin down what each accepts.
struct ValuesTests {
  @Test(arguments: ["203.0.113.10", "0.0.0.0", "255.255.255.255"])
  func ipv4Accepts(_ text: String) { #expect(IPv4Address(text)?.description == text) }

  @Test(arguments: ["203.0.113.300", "1.2.3", "1.2.3.4.5", "", " 1.2.3.4", "1.2.3.4/32", "::1", "a.b.c.d"])
  func ipv4Refuses(_ text: String) { #expect(IPv4Address(text) == nil) }

  @Test func ipv6IsNormalised() {
    #expect(IPv6Address("2001:DB8:0:0:0:0:0:10")?.description == "2001:db8::10")
    #expect(IPv6Address("fd7a:115c:a1e0::53")?.isTailnet == true)
    #expect(IPv6Address("fd7a:115c:a1e1::53")?.isTailnet == false)
    #expect(IPv6Address("2001:db8::g") == nil)
    #expect(IPv6Address("2001:db8:::1") == nil)
  }

  @Test func tailnetRangeBoundaries() {
    #expect(IPv4Address("100.64.0.0")?.isTailnet == true)
    #expect(IPv4Address("100.127.255.255")?.isTailnet == true)
    #expect(IPv4Address("100.128.0.0")?.isTailnet == false)
    #expect(IPv4Address("100.63.255.255")?.isTailnet == false)
  }

  @Test func cidr() throws {
    let block = try #require(CIDR("100.64.0.0/10"))
    #expect(block.isNetworkAddress)
    #expect(block.contains(CIDR("100.100.100.100")!))
    #expect(!block.contains(CIDR("10.0.0.0/8")!))
    #expect(CIDR("fd3c:91e2:5a07:1::/64")!.overlaps(CIDR("fd3c:91e2:5a07::/48")!))
    #expect(!CIDR("fd3c:91e2:5a07:1::/64")!.overlaps(CIDR.tailnetIPv6))
    #expect(CIDR("10.0.0.1/8")?.isNetworkAddress == false)
    for bad in ["100.64.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/0x8", "host/24"] {
      #expect(CIDR(bad) == nil, "\(bad)")
    }
    #expect(CIDR("203.0.113.10")?.isHost == true)
  }

  @Test func domainNames() {
    #expect(DomainName("Mail.Example.COM.")?.text == "mail.example.com")
    for bad in ["mail..example.com", "-mail.example.com", "mail_.example.com", "203.0.113.10", "", String(repeating: "a", count: 64) + ".com"] {
      #expect(DomainName(bad) == nil, "\(bad)")
    }
    let zone = DomainName("example.com")!
    #expect(DomainName("mail.example.com")?.relative(to: zone) == "mail")
    #expect(DomainName("example.com")?.relative(to: zone) == "@")
    #expect(DomainName("mail.example.org")?.relative(to: zone) == nil)
    #expect(DomainName("badexample.com")?.relative(to: zone) == nil)
  }

  @Test func recordNames() {
    let zone = DomainName("example.com")!
    #expect(RecordName("_dmarc", zone: zone)?.relative == "_dmarc")
    #expect(RecordName("202606e._domainkey.example.com.", zone: zone)?.relative == "202606e._domainkey")
    #expect(RecordName("example.com", zone: zone)?.relative == "@")
    #expect(RecordName("bad name", zone: zone) == nil)
  }

  @Test func tagsAndMachines() {
    #expect(TailscaleTag("tag:reverse-proxy")?.name == "reverse-proxy")
    #expect(TailscaleTag("stalwart") == nil)
    #expect(TailscaleTag("tag:") == nil)
    #expect(TailscaleTag("tag:1abc") == nil)
    #expect(MachineName("the-record-prod") != nil)
    #expect(MachineName("the.record") == nil)
    #expect(TailnetName("tail7b1641.ts.net")?.magicDNSName(of: "stalwart") == "stalwart.tail7b1641.ts.net")
    #expect(TailnetName("example.com") == nil)
  }

  @Test func grantPorts() {
    #expect(GrantPorts("tcp:587")?.allows(proto: "tcp", port: 587) == true)
    #expect(GrantPorts("tcp:587")?.allows(proto: "udp", port: 587) == false)
    #expect(GrantPorts("tcp:8000-8080")?.allows(proto: "tcp", port: 8080) == true)
    #expect(GrantPorts("587")?.allows(proto: "tcp", port: 587) == true)
    #expect(GrantPorts("*")?.allows(proto: "tcp", port: 1) == true)
    #expect(GrantPorts("tcp:*")?.description == "tcp:*")
    for bad in ["tcp:0", "tcp:70000", "tcp:80-10", "http:80", "tcp:a", "tcp:1:2"] {
      #expect(GrantPorts(bad) == nil, "\(bad)")
    }
  }

  @Test func durationsAndPorts() {
    #expect(ComposeDuration("1m30s")?.milliseconds == 90_000)
    #expect(ComposeDuration("500ms")?.milliseconds == 500)
    #expect(ComposeDuration("10") == nil)
    #expect(ComposeDuration("s") == nil)
    #expect(Port(0) == nil && Port(65536) == nil && Port(25) != nil)
  }

  @Test func environmentVariableNames() {
    #expect(EnvironmentVariableName("TS_AUTHKEY") != nil)
    #expect(EnvironmentVariableName("tskey-auth-abc") == nil)
    #expect(EnvironmentVariableName("1ABC") == nil)
  }
}
