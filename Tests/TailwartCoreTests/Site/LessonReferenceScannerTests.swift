import Testing

@testable import TailwartCore

/// Which words become lesson links, and which stay text.
struct LessonReferenceScannerTests {
  /// The matched text and number of each reference in `text`.
  static func refs(_ text: String) -> [(String, Int)] {
    let bytes = Array(text.utf8)
    return LessonReferenceScanner.scan(text).map { (String(decoding: bytes[$0.range], as: UTF8.self), $0.number) }
  }

  @Test(arguments: [
    ("See Lesson 6.", [("Lesson 6", 6)]),
    ("as lesson 6 says", [("lesson 6", 6)]),
    ("LESSON 12 again", [("LESSON 12", 12)]),
    ("See Lesson 9's fix for how.", [("Lesson 9", 9)]),
    ("Lessons 8/9 both", [("Lessons 8", 8), ("9", 9)]),
    ("Lessons 8 and 9", [("Lessons 8", 8), ("9", 9)]),
    ("Lessons 3, 5 or 6", [("Lessons 3", 3), ("5", 5), ("6", 6)]),
    ("Lessons 3, 5, and 6", [("Lessons 3", 3), ("5", 5), ("6", 6)]),
    ("Lessons 1 & 2", [("Lessons 1", 1), ("2", 2)]),
    ("lesson #4", [("lesson #4", 4)]),
    ("the traps (#8/#9) again", [("#8", 8), ("#9", 9)]),
    ("#8/#9/#10", [("#8", 8), ("#9", 9), ("#10", 10)]),
    ("(Lesson 12)", [("Lesson 12", 12)]),
    ("—Lesson 3—", [("Lesson 3", 3)]),
    ("see Lesson\n6 here", [("Lesson\n6", 6)]),
    ("Lesson\u{00A0}6", [("Lesson\u{00A0}6", 6)]),
  ])
  func references(_ text: String, _ expected: [(String, Int)]) {
    let found = Self.refs(text)
    #expect(found.map(\.0) == expected.map(\.0), "\(text)")
    #expect(found.map(\.1) == expected.map(\.1), "\(text)")
  }

  @Test(arguments: [
    "issue #15 is open",
    "see #15",
    "issues #15/#16",
    "PR #12855/#12856",
    "lessons learned",
    "the lesson is 6 hours long",
    "Lesson six",
    "lessonsLearned 6",
    "mylesson 6",
    "lesson 6a",
    "lesson 6.2 of the manual",
    "lesson 1234567",
    "a#8/#9",
    "&#8/#9",
  ])
  func notReferences(_ text: String) {
    #expect(Self.refs(text).isEmpty, "\(text)")
  }

  @Test func singularLessonDoesNotContinueAtCommas() {
    #expect(Self.refs("lesson 6, 2 days later").map(\.1) == [6])
    #expect(Self.refs("lesson 6 and 7 more").map(\.1) == [6])
    #expect(Self.refs("lesson 6/7").map(\.1) == [6, 7])
  }

  @Test func numberOffsetPointsAtTheDigits() {
    let match = LessonReferenceScanner.scan("see Lessons 8 and 14")
    #expect(match.map(\.numberOffset) == [12, 18])
  }
}
