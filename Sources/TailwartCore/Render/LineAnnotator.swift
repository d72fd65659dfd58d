/// Marks the lines of a rendered file that a lesson or rule is about, by
/// what the line says, so templates stay free of bookkeeping. Every rule id
/// must exist in `RuleCatalog` (OutputAnnotationTests checks it): the site
/// links every id it is given.
struct LineAnnotator {
  struct Mark {
    var needle: String
    var lessons: [Int]
    var rules: [String]

    init(_ needle: String, lessons: [Int] = [], rules: [String] = []) {
      self.needle = needle
      self.lessons = lessons
      self.rules = rules
    }
  }

  var marks: [Mark]

  init(_ marks: [Mark]) { self.marks = marks }

  /// A line is marked when it holds a mark's needle, byte for byte.
  func annotations(for text: String) -> [OutputAnnotation] {
    let needles = marks.map { Array($0.needle.utf8) }
    var out: [OutputAnnotation] = []
    var index = 0
    for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      index += 1
      let hits = marks.indices.filter { Self.contains(line, needles[$0]) }.map { marks[$0] }
      guard !hits.isEmpty else { continue }
      let lessons = Array(Set(hits.flatMap(\.lessons))).sorted()
      let rules = Array(Set(hits.flatMap(\.rules))).sorted()
      guard !lessons.isEmpty || !rules.isEmpty else { continue }
      out.append(OutputAnnotation(line: index, lessons: lessons, rules: rules))
    }
    return out
  }

  private static func contains(_ line: Substring.UTF8View, _ needle: [UInt8]) -> Bool {
    guard let first = needle.first, line.count >= needle.count else { return false }
    var start = line.startIndex
    let last = line.index(line.endIndex, offsetBy: -needle.count)
    while start <= last {
      if line[start] == first, line[start...].starts(with: needle) { return true }
      start = line.index(after: start)
    }
    return false
  }
}
