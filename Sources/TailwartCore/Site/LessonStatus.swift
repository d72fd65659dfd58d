/// Whether a lesson's problem is still open, or resolved by a dated
/// "RESOLVED (2026-06-11)" note.
enum LessonStatus: Equatable, Sendable {
  case open
  /// The latest date among the lesson's RESOLVED notes, nil when undated.
  case resolved(date: String?)
}

/// What a lesson's badge says, strongest first: a rule of `tailwart check`
/// refuses the mistake (the rule linked), the problem was resolved (on a
/// date), or it is still open.
enum LessonBadge: Equatable {
  case enforced(ruleIDs: [String])
  case resolved(date: String?)
  case open

  init(status: LessonStatus, ruleIDs: [String]) {
    if !ruleIDs.isEmpty {
      self = .enforced(ruleIDs: ruleIDs)
    } else if case .resolved(let date) = status {
      self = .resolved(date: date)
    } else {
      self = .open
    }
  }

  /// The badge as plain text (search results, titles).
  var label: String {
    switch self {
    case .enforced(let ids): "enforced by " + ids.joined(separator: ", ")
    case .resolved(let date?): "resolved \(date)"
    case .resolved(nil): "resolved"
    case .open: "open"
    }
  }

  /// The CSS class of the badge.
  var style: String {
    switch self {
    case .enforced: "enforced"
    case .resolved: "resolved"
    case .open: "open"
    }
  }
}
