/// Whether a lesson's problem is still open, or resolved by a dated
/// "RESOLVED (2026-06-11)" note.
enum LessonStatus: Equatable, Sendable {
  case open
  /// The latest date among the lesson's RESOLVED notes, nil when undated.
  case resolved(date: String?)

  /// What the index and the lesson page show.
  var label: String {
    switch self {
    case .open: "open"
    case .resolved(let date?): "resolved \(date)"
    case .resolved(nil): "resolved"
    }
  }

  var isResolved: Bool { self != .open }
}
