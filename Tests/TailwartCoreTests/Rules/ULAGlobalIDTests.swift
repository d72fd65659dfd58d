import Testing

@testable import TailwartCore

/// The "not random" guess must catch the prefixes people pick by hand and
/// almost never a random one.
struct ULAGlobalIDTests {
  @Test(arguments: [
    "fd00::", "fd00:dead:beef::", "fd00:face:b00c::", "fd00:7a17:600d::", "fd12:3456:789a::", "fd11:1111:1111::",
    "fdca:fe00:1::", "fd00:0:1::", "fdc0:ffee::",
  ])
  func handPickedPrefixesAreNoticed(_ text: String) throws {
    let id = ULAGlobalID(try #require(IPv6Address(text)))
    #expect(id.notRandomReason != nil, "\(text)")
  }

  @Test func shippedPrefixLooksRandom() throws {
    let id = ULAGlobalID(try #require(IPv6Address("fd3c:91e2:5a07:1::")))
    #expect(id.notRandomReason == nil)
    #expect(id.prefix == "fd3c:91e2:5a07::/48")
  }

  @Test func randomGlobalIDsRarelyLookChosen() {
    var random = SeededRandom(seed: 20_260_611)
    var flagged = 0
    let draws = 20_000
    for _ in 0..<draws {
      var bytes = [UInt8](repeating: 0, count: 16)
      bytes[0] = 0xFD
      let value = random.next()
      for i in 1...5 { bytes[i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
      if ULAGlobalID(IPv6Address(bytes: bytes)).notRandomReason != nil { flagged += 1 }
    }
    // Under half a percent of random prefixes draw the warning.
    #expect(flagged * 200 < draws, "\(flagged) of \(draws)")
  }
}
