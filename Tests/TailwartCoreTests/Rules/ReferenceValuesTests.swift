import Testing

@testable import TailwartCore

struct ReferenceValuesTests {
  @Test(arguments: [
    ("example.com", true), ("mail.example.org", true), ("example.net", true), ("shop.example", true),
    ("example.co.uk", false), ("myexample.com", false), ("example.com.au", false), ("mailhost.test", false),
  ])
  func exampleDomains(name: String, isExample: Bool) throws {
    #expect(ReferenceValuesReplaced.isExampleDomain(try #require(DomainName(name))) == isExample)
  }

  @Test(arguments: [
    ("192.0.2.1", "192.0.2.0/24"), ("198.51.100.0/25", "198.51.100.0/24"), ("2001:db8:1::5", "2001:db8::/32"),
    ("203.0.112.255", nil), ("100.64.0.0/10", nil), ("2001:db9::1", nil), ("mail.example.com", nil),
  ])
  func documentationRanges(text: String, range: String?) {
    #expect(ReferenceValuesReplaced.documentationRange(of: text)?.description == range)
  }
}
