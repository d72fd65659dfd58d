/// Every output compared with what the output folder holds, before anything
/// is written: what `render --check` reports and what `render` writes.
public struct WritePlan: Sendable {
  public enum State: Sendable, Equatable {
    /// The file holds exactly the rendered bytes; it is left alone.
    case unchanged
    /// No such file yet.
    case missing
    /// tailwart wrote the file and nobody touched it since; it is outdated.
    case stale
    /// The file changed since tailwart wrote it.
    case editedByHand
    /// A file tailwart has no record of writing.
    case notWrittenByTailwart
  }

  public struct Entry: Sendable {
    public let output: Output
    /// The file's bytes on disk; nil when it is missing.
    public let previous: [UInt8]?
    public let state: State

    public var needsWrite: Bool { state != .unchanged }
    /// Overwriting it would lose someone's work: only with `--force`.
    public var isConflict: Bool { state == .editedByHand || state == .notWrittenByTailwart }

    /// What writing would change, as a unified diff; `folder` prefixes the
    /// labels.
    public func diff(folder: String) -> String {
      let name = WritePlan.join(folder, output.path)
      return UnifiedDiff.diff(
        old: previous.map { String(decoding: $0, as: UTF8.self) } ?? "", new: output.text,
        oldLabel: previous == nil ? "/dev/null" : "\(name) (on disk)", newLabel: "\(name) (rendered)")
    }
  }

  /// A file an earlier run wrote, that this one no longer makes and that
  /// still holds the bytes tailwart wrote: it goes (a lesson removed, a
  /// rule gone).
  public struct Removal: Sendable {
    public let path: String
    let bytes: [UInt8]
  }

  /// The output folder as given.
  public let folder: String
  /// The command writing the folder (its manifest names it).
  public let command: OutputCommand
  /// Folders refused as the output folder (the inventory's).
  let protected: [String]
  public let entries: [Entry]
  public let removals: [Removal]
  /// What the manifest will say once the entries are written.
  let manifest: GeneratedManifest
  /// The manifest's bytes on disk; nil when it is missing.
  let previousManifest: [UInt8]?
  /// An earlier write was interrupted; the next write finishes it.
  public let interrupted: Bool

  /// The outputs as given to `plan`.
  var outputs: [Output] { entries.map(\.output) }
  public var changes: [Entry] { entries.filter(\.needsWrite) }
  public var conflicts: [Entry] { entries.filter(\.isConflict) }
  var manifestNeedsWrite: Bool { previousManifest != manifest.bytes }

  /// The bytes on disk at `path` before this render, if any.
  public func previousBytes(at path: String) -> [UInt8]? {
    entries.first { $0.output.path == path }?.previous
  }

  /// `path` inside `folder`, as messages show it (`deploy/caddy/caddy.json`).
  public static func join(_ folder: String, _ path: String) -> String {
    folder.isEmpty || folder == "." ? path : (folder.hasSuffix("/") ? folder + path : folder + "/" + path)
  }
}
