/// The last line `check`, `render`, `site` and `pre-commit` print: one
/// style for all, `<what it is about>: <counts> (<total>)`.
///
///     inventory.yaml: no findings (20 rules)
///     inventory.yaml: 2 errors, 1 warning, 1 ignored
///     deploy: 1 written, 6 unchanged (7 files)
///     _site: 0 written, 48 unchanged, 2 removed (48 files)
///     inventory.yaml (staged): passes (8 generated files staged and up to date)
enum Summary {
  /// `subject: part, part (total)`; parts with a zero count are left out
  /// unless `keepZero`.
  static func line(_ subject: String, _ parts: [(Int, String)], total: String? = nil, keepZero: Bool = false) -> String {
    let shown = parts.filter { keepZero || $0.0 > 0 }.map { "\($0.0) \($0.1)" }
    var text = subject + ": " + (shown.isEmpty ? "nothing" : shown.joined(separator: ", "))
    if let total { text += " (\(total))" }
    return text
  }

  /// A part shown only when its count is not zero.
  static func unlessZero(_ n: Int, _ word: String) -> [(Int, String)] { n == 0 ? [] : [(n, word)] }

  /// `1 error`, `2 errors`.
  static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
