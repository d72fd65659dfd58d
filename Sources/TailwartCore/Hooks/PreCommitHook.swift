/// The git pre-commit hook `tailwart install-hook` writes: it refuses a
/// commit while the inventory breaks a rule or a generated file is missing
/// or stale.
public enum PreCommitHook {
  /// The line that marks a hook as tailwart's own, which it may replace.
  public static let marker = "# written by `tailwart install-hook`"

  /// The hook for an inventory at `inventory`, relative to the repository's
  /// top folder (git runs hooks from there).
  public static func script(inventory: String) -> String {
    let path = ShellWord.quote(inventory)
    return """
      #!/bin/sh
      \(marker); it may replace this file, and
      # deleting it turns the checks off. Refuses a commit while the inventory
      # breaks a rule or a generated file is missing or stale.
      # Set TAILWART to the binary when tailwart is not on PATH.
      set -e
      tailwart="${TAILWART:-tailwart}"
      "$tailwart" check -i \(path)
      "$tailwart" render --check -i \(path)

      """
  }

  /// True for a hook tailwart wrote (and may therefore replace).
  public static func isWrittenByTailwart(_ text: String) -> Bool {
    text.split(separator: "\n").contains { $0.hasPrefix(marker) }
  }
}
