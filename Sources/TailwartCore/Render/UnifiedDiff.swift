/// Unified diffs (as `diff -u` prints them) between two texts, so `render`
/// can show what a hand edit or a stale file differs in without calling an
/// external tool. Lines are matched with Myers' O(ND) algorithm.
public enum UnifiedDiff {
  private struct Line: Equatable {
    var text: Substring
    /// False only for a last line without a line break.
    var terminated: Bool
  }

  private enum Edit {
    case same(Int, Int)
    case delete(Int)
    case insert(Int)
  }

  /// The diff from `old` to `new`; empty when they are equal.
  public static func diff(
    old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3
  ) -> String {
    let a = lines(old)
    let b = lines(new)
    if a == b { return "" }
    let edits = script(a, b)
    var out = "--- \(oldLabel)\n+++ \(newLabel)\n"
    for hunk in hunks(edits, context: context) {
      out += render(hunk, a, b, edits)
    }
    return out
  }

  private static func lines(_ text: String) -> [Line] {
    var parts = text.split(separator: "\n", omittingEmptySubsequences: false)
    let terminated = parts.last == ""
    if terminated { parts.removeLast() }
    return parts.enumerated().map { index, part in
      Line(text: part, terminated: index < parts.count - 1 || terminated)
    }
  }

  /// The shortest edit script, in file order.
  private static func script(_ a: [Line], _ b: [Line]) -> [Edit] {
    let n = a.count
    let m = b.count
    let limit = n + m
    let offset = limit + 1
    var v = [Int](repeating: 0, count: 2 * limit + 3)
    var trace: [[Int]] = []
    search: for d in 0...limit {
      trace.append(v)
      for k in stride(from: -d, through: d, by: 2) {
        var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
        var y = x - k
        while x < n, y < m, a[x] == b[y] {
          x += 1
          y += 1
        }
        v[offset + k] = x
        if x >= n && y >= m { break search }
      }
    }
    var edits: [Edit] = []
    var x = n
    var y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let v = trace[d]
      let k = x - y
      let previousK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
      let previousX = v[offset + previousK]
      let previousY = previousX - previousK
      while x > previousX && y > previousY {
        edits.append(.same(x - 1, y - 1))
        x -= 1
        y -= 1
      }
      if d > 0 {
        edits.append(x == previousX ? .insert(y - 1) : .delete(x - 1))
        x = previousX
        y = previousY
      }
    }
    return edits.reversed()
  }

  /// Ranges of the edit script to print, each change with `context` lines
  /// around it; changes closer than twice that share a hunk.
  private static func hunks(_ edits: [Edit], context: Int) -> [ArraySlice<Edit>] {
    let changes = edits.indices.filter {
      if case .same = edits[$0] { return false }
      return true
    }
    var out: [ArraySlice<Edit>] = []
    var start: Int?
    var end = 0
    for index in changes {
      let from = max(0, index - context)
      if let s = start, from <= end {
        start = s
      } else {
        if let s = start { out.append(edits[s..<end]) }
        start = from
      }
      end = min(edits.count, index + context + 1)
    }
    if let s = start { out.append(edits[s..<end]) }
    return out
  }

  private static func render(_ hunk: ArraySlice<Edit>, _ a: [Line], _ b: [Line], _ edits: [Edit]) -> String {
    // Where the hunk begins in each file: the lines consumed before it.
    var oldStart = 0
    var newStart = 0
    for edit in edits[..<hunk.startIndex] {
      switch edit {
      case .same: (oldStart, newStart) = (oldStart + 1, newStart + 1)
      case .delete: oldStart += 1
      case .insert: newStart += 1
      }
    }
    var oldCount = 0
    var newCount = 0
    var body = ""
    func emit(_ prefix: String, _ line: Line) {
      body += prefix + line.text + "\n"
      if !line.terminated { body += "\\ No newline at end of file\n" }
    }
    for edit in hunk {
      switch edit {
      case .same(let i, _):
        oldCount += 1
        newCount += 1
        emit(" ", a[i])
      case .delete(let i):
        oldCount += 1
        emit("-", a[i])
      case .insert(let j):
        newCount += 1
        emit("+", b[j])
      }
    }
    return "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n" + body
  }

  /// `start,count` as diff prints it: 1-based; an empty range names the
  /// line before it.
  private static func range(_ start: Int, _ count: Int) -> String {
    if count == 0 { return "\(start),0" }
    return count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
  }
}
