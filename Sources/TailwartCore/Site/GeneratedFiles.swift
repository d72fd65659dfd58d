/// The deployment files the site shows: every path the renderers can
/// produce, and their current text when the inventory passes `check`.
public struct GeneratedFiles: Sendable {
  public enum State: Sendable {
    case rendered([Output])
    /// Why there is no text to show (the inventory fails `check`, or has no
    /// inventory at all); the pages exist and say so.
    case unavailable(String)
  }

  /// Every file, in the order the renderers list them.
  public let paths: [String]
  public let state: State
  /// Full paths and unambiguous base names, to their path.
  private let names: [String: String]

  /// `paths` are what the renderers declare; rendered outputs not among them
  /// are added after, so every output gets a page.
  public init(paths: [String], state: State) {
    var all = paths
    if case .rendered(let outputs) = state {
      for output in outputs where !all.contains(output.path) { all.append(output.path) }
    }
    var seen = Set<String>()
    let paths = all.filter { OutputPath.isSafe($0) && seen.insert($0).inserted }
    self.paths = paths
    self.state = state
    var byName: [String: String] = [:]
    let bases = paths.map(Self.baseName)
    for (path, base) in zip(paths, bases) {
      byName[path] = path
      if bases.filter({ $0 == base }).count == 1, byName[base] == nil { byName[base] = path }
    }
    names = byName
  }

  /// The catalog's files: rendered from `checked`, or unavailable with
  /// `reason` when there is no checked deployment. Tests pass their own
  /// `paths` and `render`.
  public static func catalog(
    _ checked: CheckedDeployment?, context: RenderContext, reason: String,
    paths: [String] = RenderCatalog.all.flatMap { $0.paths },
    render: (CheckedDeployment, RenderContext) throws -> [Output] = RenderCatalog.renderAll
  ) -> GeneratedFiles {
    guard let checked else { return GeneratedFiles(paths: paths, state: .unavailable(reason)) }
    do {
      return GeneratedFiles(paths: paths, state: .rendered(try render(checked, context)))
    } catch {
      return GeneratedFiles(paths: paths, state: .unavailable("rendering failed: \(error)"))
    }
  }

  /// The output for `path`, when rendered.
  func output(_ path: String) -> Output? {
    guard case .rendered(let outputs) = state else { return nil }
    return outputs.first { $0.path == path }
  }

  /// The file a code span names: a full path (`caddy/Caddyfile`, also
  /// `./caddy/Caddyfile`) or a base name that only one file has
  /// (`Caddyfile`, `zone.db`).
  func pathNamed(by literal: String) -> String? {
    var name = Substring(literal.trimmed)
    if name.hasPrefix("./") { name = name.dropFirst(2) }
    return names[String(name)]
  }

  private static func baseName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
