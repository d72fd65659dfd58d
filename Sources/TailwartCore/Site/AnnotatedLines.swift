/// Which lines of the generated files each lesson and rule is about, from
/// the renderers' annotations: the "In the generated files" lists.
struct AnnotatedLines {
  struct Line {
    var path: String
    var line: Int
  }

  private var byLesson: [Int: [Line]] = [:]
  private var byRule: [String: [Line]] = [:]

  init(files: GeneratedFiles) {
    guard case .rendered(let outputs) = files.state else { return }
    for output in outputs {
      for note in output.annotations.sorted(by: { $0.line < $1.line }) {
        let line = Line(path: output.path, line: note.line)
        for n in Set(note.lessons).sorted() { byLesson[n, default: []].append(line) }
        for id in Set(note.rules).sorted() { byRule[id, default: []].append(line) }
      }
    }
  }

  func lines(lesson: Int) -> [Line] { byLesson[lesson] ?? [] }
  func lines(rule: String) -> [Line] { byRule[rule] ?? [] }
}
