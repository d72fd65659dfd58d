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
  /// Bit n set when some name is n bytes long (n < 64), or all bits when a
  /// name is longer: most code spans are ruled out without hashing them.
  private let nameLengths: UInt64

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
    var baseCount: [String: Int] = [:]
    for path in paths { baseCount[Self.baseName(path), default: 0] += 1 }
    for path in paths {
      byName[path] = path
      let base = Self.baseName(path)
      if baseCount[base] == 1, byName[base] == nil { byName[base] = path }
    }
    names = byName
    nameLengths = byName.keys.reduce(0) { mask, name in
      name.utf8.count < 64 ? mask | 1 << UInt64(name.utf8.count) : .max
    }
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

  /// The file a code span names: a full path (`caddy/Caddyfile`) or a base
  /// name that only one file has (`Caddyfile`, `zone.db`).
  func pathNamed(by literal: String) -> String? {
    let name = Self.normalised(literal)
    let length = name.utf8.count
    guard length < 64 ? nameLengths & 1 << UInt64(length) != 0 : nameLengths == .max else { return nil }
    return names[name]
  }

  private static func baseName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

  private static func normalised(_ literal: String) -> String {
    // Most code spans (`ip route`, an error message) need no change: they
    // are looked up as they are, without a copy.
    let utf8 = literal.utf8
    if utf8.first != UInt8(ascii: " "), utf8.last != UInt8(ascii: " "), !utf8.starts(with: "./".utf8) {
      return literal
    }
    var text = Substring(literal)
    while text.first == " " { text.removeFirst() }
    while text.last == " " { text.removeLast() }
    if text.hasPrefix("./") { text = text.dropFirst(2) }
    return String(text)
  }
}
