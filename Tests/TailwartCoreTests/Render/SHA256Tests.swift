import Foundation
import Testing

@testable import TailwartCore

struct SHA256Tests {
  @Test func publishedTestVectors() {
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  /// Lengths around the 55/56/64-byte padding boundaries, checked against
  /// coreutils' sha256sum.
  @Test(arguments: [1, 55, 56, 57, 63, 64, 65, 119, 120, 1000])
  func agreesWithSha256sum(_ length: Int) throws {
    var random = SeededRandom(seed: UInt64(length))
    let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    let result = try ExternalTool.run(["sha256sum"], input: bytes)
    #expect(result.status == 0)
    #expect(result.output.hasPrefix(SHA256.hex(bytes) + " "))
  }
}
