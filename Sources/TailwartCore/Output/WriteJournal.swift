import Foundation

/// How a write survives being interrupted, even by `kill -9` or a power cut.
///
/// Everything happens inside the output folder, in `.tailwart-staging/`
/// (one file system, so every rename is atomic):
///
/// 1. Stage. Each new file is written in full as `<n>.new` and flushed;
///    each file that will be replaced or removed gets a second name,
///    `<n>.old` (a hard link; a copy where links are not possible). The
///    output folder itself is untouched. Interrupted here, the next run
///    finds no journal and throws the staging folder away.
/// 2. Commit. `journal` lists the steps; it is written as `journal.tmp`,
///    flushed and renamed into place. That one rename is the moment the
///    write happens: from then on the next run finishes it.
/// 3. Apply (`forward`). Each `<n>.new` is renamed over its target, the
///    manifest last; each file no longer made is removed. A step whose
///    `<n>.new` is gone was done already, so running the steps again is
///    harmless, and that is all recovery does, once it has checked that
///    every new file still hashes as the journal says (render flushes each
///    file before the commit; the site does not, and a power cut may cost
///    it a staged page: then the write is undone instead).
/// 4. Finish. The journal is removed first (the write is over), then the
///    rest of the staging folder.
///
/// When a step fails in a running write (a full disk, a folder swapped
/// for a link), the journal is rewritten to say `backward` and the steps
/// are undone: every `<n>.old` is renamed back over its target, so the
/// files that were there are there again, the very same ones; new files
/// and new folders go. An undo that is interrupted is finished the same way
/// by the next run. Either way the folder ends as one whole generation,
/// never a mix that the next run would take for hand edits.
struct WriteJournal: Codable {
  static let folderName = ".tailwart-staging"
  static let fileName = "journal"

  enum Direction: String, Codable {
    case forward
    case backward
  }

  struct Step: Codable {
    /// The file in the output folder.
    var path: String
    /// SHA-256 of the new bytes (staged as `<n>.new`); nil when the file
    /// is removed.
    var hash: String?
    /// Whether `<n>.old` holds the file that was there.
    var backup: Bool
  }

  var direction: Direction
  var steps: [Step]
  /// Folders the write creates, parents first.
  var folders: [String]

  static func staged(_ n: Int) -> String { "\(n).new" }
  static func backup(_ n: Int) -> String { "\(n).old" }

  /// Writes the journal as one rename, flushed.
  func save(in staging: Folder) throws(OutputWriter.Failure) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let bytes = try? encoder.encode(self) else {
      throw OutputWriter.Failure(path: staging.display(Self.fileName), problem: "cannot be encoded")
    }
    staging.remove("journal.tmp")
    try staging.create("journal.tmp", Array(bytes), mode: 0o644)
    let code = staging.rename("journal.tmp", to: staging, as: Self.fileName)
    if code != 0 {
      throw OutputWriter.Failure(path: staging.display(Self.fileName), problem: "cannot be written: \(errorText(code))")
    }
    staging.sync()
  }

  static func load(from staging: Folder) -> WriteJournal? {
    guard let bytes = try? staging.read(fileName) else { return nil }
    return try? JSONDecoder().decode(WriteJournal.self, from: Data(bytes))
  }

  /// Renames every staged file into place and removes the files no longer
  /// made; steps done already are skipped. Gives the paths removed.
  @discardableResult
  func forward(root: Folder, staging: Folder, hooks: OutputWriter.Hooks) throws(OutputWriter.Failure) -> [String] {
    // Each folder is opened once (a site has thousands of pages in a few
    // folders) and flushed once at the end.
    var touched: [[Substring]: Folder] = [:]
    var renames = 0
    var removed: [String] = []
    for (n, step) in steps.enumerated() {
      let (parts, name) = Self.split(step.path)
      if step.hash != nil {
        guard staging.kind(Self.staged(n)) == .file else { continue }
        let parent: Folder
        if let known = touched[parts] {
          parent = known
        } else {
          guard let opened = try root.descend(parts, create: true) else { continue }
          parent = opened
          touched[parts] = opened
        }
        renames += 1
        let code = hooks.renameFault(renames) ?? staging.rename(Self.staged(n), to: parent, as: name)
        if code != 0 {
          throw OutputWriter.Failure(
            path: WritePlan.join(root.path, step.path), problem: "cannot be replaced: \(errorText(code))")
        }
      } else {
        // Removed only while it is still the file tailwart wrote.
        guard let parent = try root.descend(parts, create: false), parent.kind(name) == .file,
          let old = try? staging.read(Self.backup(n)), let now = try? parent.read(name), old == now
        else { continue }
        guard parent.remove(name) else {
          throw OutputWriter.Failure(
            path: WritePlan.join(root.path, step.path), problem: "cannot be removed: \(errorText(errno))")
        }
        removed.append(step.path)
        parent.sync()
        // (A folder it leaves empty goes; one opened above is then
        // forgotten, and opened again if a later step needs it.)
        touched[parts] = nil
        Self.removeEmptyFolders(above: parts, in: root)
      }
    }
    for folder in touched.values { folder.sync() }
    return removed
  }

  /// Puts back every file that was there before and removes what the
  /// write added; steps undone already are skipped.
  func backward(root: Folder, staging: Folder) throws(OutputWriter.Failure) {
    for (n, step) in steps.enumerated().reversed() {
      let (parts, name) = Self.split(step.path)
      if step.backup {
        if staging.kind(Self.backup(n)) == .file {
          guard let parent = try root.descend(parts, create: true) else { continue }
          // (Where the write never reached the file, both names are one
          // file: the rename does nothing and the second name goes.)
          if step.hash != nil || parent.kind(name) == .missing {
            let code = staging.rename(Self.backup(n), to: parent, as: name)
            if code != 0 {
              throw OutputWriter.Failure(
                path: WritePlan.join(root.path, step.path), problem: "cannot be put back: \(errorText(code))")
            }
          }
          staging.remove(Self.backup(n))
        }
      } else if let hash = step.hash, staging.kind(Self.staged(n)) == .missing,
        let parent = try root.descend(parts, create: false), let bytes = try? parent.read(name),
        SHA256.hex(bytes) == hash
      {
        parent.remove(name)
      }
      staging.remove(Self.staged(n))
    }
    for folder in folders.reversed() {
      let (parts, name) = Self.split(folder)
      _ = try? root.descend(parts, create: false)?.removeFolder(name)
    }
  }

  /// Ends a write: the journal first (the write is over), then whatever
  /// else the staging folder holds, then the folder.
  static func finish(root: Folder, staging: Folder) {
    staging.remove(fileName)
    staging.sync()
    for name in staging.names() { staging.remove(name) }
    root.removeFolder(folderName)
    root.sync()
  }

  /// Finishes (or, if that is impossible, undoes) a write an earlier run
  /// left unfinished, and removes its staging folder. Says what it did
  /// (nil when no write had committed: its staged files are dropped).
  static func recover(in root: Folder) throws(OutputWriter.Failure) -> OutputWriter.Recovery? {
    switch root.kind(folderName) {
    case .missing:
      return nil
    case .directory:
      break
    default:
      // Not tailwart's own: a file or link planted under its name.
      root.remove(folderName)
      return nil
    }
    guard let staging = try root.subfolder(folderName) else { return nil }
    var recovery: OutputWriter.Recovery?
    if var journal = load(from: staging) {
      // Finished only if every new file is whole, staged or in place (a
      // power cut can lose what was not flushed); otherwise undone.
      if journal.direction == .forward, !journal.canFinish(root: root, staging: staging) {
        journal.direction = .backward
        try? journal.save(in: staging)
      }
      if journal.direction == .forward {
        do throws(OutputWriter.Failure) {
          try journal.forward(root: root, staging: staging, hooks: OutputWriter.Hooks())
        } catch {
          journal.direction = .backward
          try? journal.save(in: staging)
        }
      }
      if journal.direction == .backward {
        do throws(OutputWriter.Failure) {
          try journal.backward(root: root, staging: staging)
        } catch {
          throw OutputWriter.Failure(
            path: error.path,
            problem: "\(error.problem); an interrupted write in \(root.path) can be neither finished nor undone")
        }
      }
      recovery = journal.direction == .forward ? .finished : .undone
    }
    finish(root: root, staging: staging)
    return recovery
  }

  /// Whether every new file holds its bytes, staged or already in place.
  func canFinish(root: Folder, staging: Folder) -> Bool {
    for (n, step) in steps.enumerated() {
      guard let hash = step.hash else { continue }
      let (parts, name) = Self.split(step.path)
      let bytes =
        staging.kind(Self.staged(n)) == .file
        ? try? staging.read(Self.staged(n)) : try? root.descend(parts, create: false)?.read(name)
      guard let bytes, SHA256.hex(bytes) == hash else { return false }
    }
    return true
  }

  /// Removes the folders a removed file leaves empty, deepest first, up
  /// to the output folder; a folder still in use stays (and so do those
  /// above it).
  static func removeEmptyFolders(above parts: [Substring], in root: Folder) {
    var parts = parts
    while let last = parts.popLast() {
      guard let parent = try? root.descend(parts, create: false), parent.removeFolder(String(last)) else { return }
    }
  }

  /// `a/b/c.html` → (["a", "b"], "c.html").
  static func split(_ path: String) -> ([Substring], String) {
    var parts = path.split(separator: "/")
    let name = parts.popLast().map(String.init) ?? path
    return (parts, name)
  }
}
