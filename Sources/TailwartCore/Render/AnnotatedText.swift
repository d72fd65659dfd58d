/// Builds a generated file line by line, remembering which lines a lesson or
/// rule is about (the site links them).
struct AnnotatedText {
  private(set) var lines: [String] = []
  private(set) var annotations: [OutputAnnotation] = []

  mutating func emit(_ line: String, lessons: [Int] = [], rules: [String] = []) {
    lines.append(line)
    if !lessons.isEmpty || !rules.isEmpty {
      annotations.append(OutputAnnotation(line: lines.count, lessons: lessons, rules: rules))
    }
  }

  func output(path: String) -> Output {
    Output(path: path, text: lines.joined(separator: "\n") + "\n", annotations: annotations)
  }
}
