/// The git pre-commit hook `tailwart install-hook` writes. It runs
/// `tailwart pre-commit`, which checks what is being committed (the staged
/// inventory against the staged generated files), never the working tree.
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
      # deleting it turns the check off. Refuses a commit whose staged inventory
      # breaks a rule or does not match the staged generated files.
      # Set TAILWART to the binary when tailwart is not on PATH.
      tailwart="${TAILWART:-tailwart}"
      if ! command -v "$tailwart" >/dev/null 2>&1; then
        echo "pre-commit: $tailwart not found; install it (scripts/install in a clone of tailwart) or set TAILWART" >&2
        exit 1
      fi
      exec "$tailwart" pre-commit -i \(path)

      """
  }

  /// True for a hook tailwart wrote (and may therefore replace).
  public static func isWrittenByTailwart(_ text: String) -> Bool {
    text.split(separator: "\n").contains { $0.hasPrefix(marker) }
  }
}
