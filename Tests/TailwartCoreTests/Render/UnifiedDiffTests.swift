import Foundation
import Testing

@testable import TailwartCore

struct UnifiedDiffTests {
  @Test func equalTextsHaveNoDiff() {
    #expect(UnifiedDiff.diff(old: "a\nb\n", new: "a\nb\n", oldLabel: "x", newLabel: "y").isEmpty)
  }

  @Test func aChangedLineWithContext() {
    let old = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
    let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
    #expect(
      UnifiedDiff.diff(old: old, new: new, oldLabel: "a/f", newLabel: "b/f") == """
        --- a/f
        +++ b/f
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +line five
         line 6
         line 7
         line 8

        """)
  }

  @Test func aMissingFileAndAMissingFinalNewline() {
    #expect(
      UnifiedDiff.diff(old: "", new: "a\nb", oldLabel: "/dev/null", newLabel: "f") == """
        --- /dev/null
        +++ f
        @@ -0,0 +1,2 @@
        +a
        +b
        \\ No newline at end of file

        """)
  }

  /// Whatever the texts, `patch` turns the old one into the new one with
  /// the diff, and GNU diff agrees on which lines changed.
  @Test(arguments: 0..<24)
  func patchAppliesTheDiff(_ seed: Int) throws {
    var random = SeededRandom(seed: UInt64(seed) &+ 7)
    let words = ["alpha", "beta", "gamma", "delta", "", "  indented", "services:", "}"]
    let old = (0..<Int(random.next() % 40)).map { _ in words[Int(random.next() % UInt64(words.count))] }
    var new = old
    for _ in 0..<Int(random.next() % 8) {
      let roll = random.next() % 3
      if roll == 0 || new.isEmpty {
        new.insert(words[Int(random.next() % UInt64(words.count))], at: Int(random.next() % UInt64(new.count + 1)))
      } else if roll == 1 {
        new.remove(at: Int(random.next() % UInt64(new.count)))
      } else {
        new[Int(random.next() % UInt64(new.count))] = "changed \(random.next() % 100)"
      }
    }
    let oldText = old.map { $0 + "\n" }.joined() + (seed % 5 == 0 ? "tail" : "")
    let newText = new.map { $0 + "\n" }.joined() + (seed % 7 == 0 ? "end" : "")
    let diff = UnifiedDiff.diff(old: oldText, new: newText, oldLabel: "a/f", newLabel: "b/f")
    if oldText == newText {
      #expect(diff.isEmpty)
      return
    }
    let folder = NSTemporaryDirectory() + "tailwart-diff-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try Data(oldText.utf8).write(to: URL(fileURLWithPath: folder + "/f"))
    try Data(newText.utf8).write(to: URL(fileURLWithPath: folder + "/g"))
    let result = try ExternalTool.run(["patch", "-s", "--no-backup-if-mismatch", "f"], in: URL(fileURLWithPath: folder), input: Array(diff.utf8))
    #expect(result.status == 0, "patch: \(result.output)\n\(diff)")
    #expect(FileManager.default.contents(atPath: folder + "/f").map { String(decoding: $0, as: UTF8.self) } == newText, "\(diff)")

    // A shortest edit script changes as many lines as GNU diff's does.
    let ours = diff.split(separator: "\n").filter { ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
    try Data(oldText.utf8).write(to: URL(fileURLWithPath: folder + "/f"))
    let theirs = try ExternalTool.run(["diff", "-U0", "f", "g"], in: URL(fileURLWithPath: folder))
    let changed = theirs.output.split(separator: "\n").filter { ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
    #expect(ours.count == changed.count, "\(diff)\n\(theirs.output)")
  }
}
