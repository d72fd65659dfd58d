/// What to do instead of editing a generated file: `render` rewrites it
/// from the inventory, so a change made in the file itself lasts only until
/// the next render. `render` and the pre-commit check say this when they
/// find a hand edit.
public enum HandEdit {
  /// Compose's own override file: `docker compose` (and docker-compose v1)
  /// reads it after `docker-compose.yml` when both sit in the same folder,
  /// and `render` never writes it.
  public static let composeOverride = "docker-compose.override.yml"

  /// How to keep a local change to the generated file at `path` (relative to
  /// the output folder).
  public static func advice(for path: String) -> String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    if name == "docker-compose.yml" {
      return "keep local changes in \(composeOverride) beside it (Compose merges it in; render never touches it)"
    }
    return "make the change in the inventory (each value in this file comes from it), or keep a deliberate "
      + "exception to a rule with an `ignore:` entry and its reason"
  }
}
