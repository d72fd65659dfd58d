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

  func annotations(for text: String) -> [OutputAnnotation] {
    var out: [OutputAnnotation] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let hits = marks.filter { line.contains($0.needle) }
      guard !hits.isEmpty else { continue }
      let lessons = Array(Set(hits.flatMap(\.lessons))).sorted()
      let rules = Array(Set(hits.flatMap(\.rules))).sorted()
      guard !lessons.isEmpty || !rules.isEmpty else { continue }
      out.append(OutputAnnotation(line: index + 1, lessons: lessons, rules: rules))
    }
    return out
  }
}
