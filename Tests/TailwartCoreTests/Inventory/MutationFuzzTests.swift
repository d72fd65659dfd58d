import Testing

@testable import TailwartCore

/// Thousands of small random corruptions of a valid inventory (seeded, so a
/// failure reproduces): none may crash the loader, decoder, rules or
/// printer, and every finding must point inside the file.
struct MutationFuzzTests {
  static let alphabet = Array(":-[]{}&*!|>'\"#\t\n ,?%@`\\0123456789abcz.~")

  static func mutate(_ text: String, _ rng: inout SeededRandom) -> [UInt8] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
      let i = Int.random(in: 0..<lines.count, using: &rng)
      switch Int.random(in: 0..<6, using: &rng) {
      case 0: lines.remove(at: i)
      case 1: lines.insert(lines[i], at: i)
      case 2:
        let j = Int.random(in: 0..<lines.count, using: &rng)
        lines.swapAt(i, j)
      case 3 where !lines[i].isEmpty:
        var chars = Array(lines[i])
        chars.remove(at: Int.random(in: 0..<chars.count, using: &rng))
        lines[i] = String(chars)
      default:
        var chars = Array(lines[i])
        chars.insert(alphabet.randomElement(using: &rng)!, at: Int.random(in: 0...chars.count, using: &rng))
        lines[i] = String(chars)
      }
      if lines.isEmpty { lines = [""] }
    }
    return Array(lines.joined(separator: "\n").utf8)
  }

  @Test(arguments: 0..<4)
  func corruptedInventoriesNeverCrash(batch: Int) {
    var rng = SeededRandom(seed: UInt64(batch + 1))
    var refused = 0
    for _ in 0..<500 {
      let bytes = Self.mutate(ExampleInventory.text, &rng)
      let text = String(decoding: bytes, as: UTF8.self)
      let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
      let findings: [Finding]
      do {
        let loaded = try Inventory.load(bytes: bytes, file: "inventory.yaml")
        findings = Checker.check(loaded.deployment).findings
      } catch {
        findings = error.findings
        refused += 1
        #expect(!findings.isEmpty)
      }
      for finding in findings {
        if let span = finding.span {
          #expect((1...lineCount).contains(span.start.line), "\(finding.message) at \(span) in a \(lineCount)-line file")
          #expect(span.start.column >= 1)
        }
      }
      _ = DiagnosticPrinter(sources: ["inventory.yaml": text]).format(findings)
    }
    #expect(refused > 100, "the mutations should break most inventories")
  }
}
