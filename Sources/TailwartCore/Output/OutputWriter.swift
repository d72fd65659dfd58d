import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one place that touches an output folder, for `render` and `site`
/// alike. `plan` reads what is there; `write` makes the folder hold the
/// outputs, all or none:
///
/// - only files whose bytes change are written (the others keep their
///   inode and time);
/// - a file tailwart did not write, or that was edited since, is never
///   overwritten without `force`, and never removed;
/// - a file an earlier run wrote and this one no longer makes is removed,
///   if it still holds the bytes tailwart wrote;
/// - `.tailwart-manifest.json` records the command that owns the folder
///   and the SHA-256 of every file it wrote;
/// - the folder is locked for the write (`FolderLock`), and a write that
///   is interrupted is finished or undone by the next one (`WriteJournal`);
/// - every call works from an open descriptor of the folder and follows no
///   symbolic link (`Folder`);
/// - `/`, the inventory's folder and the folders above it are refused as
///   an output folder.
public enum OutputWriter {
  /// A write that could not happen; nothing was changed.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var description: String { "\(path): \(problem)" }
  }

  /// What a write did.
  public struct Report: Sendable, Equatable {
    /// Outputs written, in the order given.
    public var written: [String]
    /// Files an earlier run wrote and this one no longer makes, removed.
    public var removed: [String]
    /// What became of a write an earlier run left unfinished, if any.
    public var recovered: Recovery? = nil
  }

  /// A write an earlier run left unfinished (killed, or the machine went
  /// down), as the next write found it.
  public enum Recovery: Sendable, Equatable {
    /// It had committed: the next write finished it.
    case finished
    /// It was being undone, or could not be finished: it was undone.
    case undone
  }

  /// Points where the tests make a write fail or stop. `system` has no
  /// faults, except for three variables set only by the tests that run
  /// the binary: `TAILWART_TEST_KILL_BEFORE_RENAME=N` makes the process
  /// kill itself with SIGKILL just before the Nth rename into place, as an
  /// operator's `kill -9` or a power cut would;
  /// `TAILWART_TEST_FAIL_BEFORE_RENAME=N` makes that rename fail (EIO) and
  /// `TAILWART_TEST_FAIL_STAGE=N` the staging of the Nth file (ENOSPC), as
  /// a failing or full disk would.
  struct Hooks: Sendable {
    /// Before the Nth file (1-based) is staged: an error number fails it.
    var stageFault: @Sendable (Int) -> Int32? = { _ in nil }
    /// Before the Nth rename into place (1-based): an error number fails it.
    var renameFault: @Sendable (Int) -> Int32? = { _ in nil }
    /// Once the write is committed, before the first rename.
    var committed: @Sendable () -> Void = {}

    static let system: Hooks = {
      var hooks = Hooks()
      let environment = ProcessInfo.processInfo.environment
      func number(_ name: String) -> Int? { environment[name].flatMap { Int($0) } }
      let kill = number("TAILWART_TEST_KILL_BEFORE_RENAME")
      let fail = number("TAILWART_TEST_FAIL_BEFORE_RENAME")
      if kill != nil || fail != nil {
        hooks.renameFault = { count in
          if count == kill { _ = raise(SIGKILL) }
          return count == fail ? EIO : nil
        }
      }
      if let stage = number("TAILWART_TEST_FAIL_STAGE") {
        hooks.stageFault = { $0 == stage ? ENOSPC : nil }
      }
      return hooks
    }()
  }

  // MARK: planning

  /// Compares every output with the folder's contents, reading only.
  /// Refuses paths that could leave the folder: symbolic links anywhere
  /// between the folder and a file, the folder itself being a link, names
  /// that are not plain relative paths; and refuses `/` and the folders in
  /// `protected` (the inventory's) and above them as the folder itself.
  public static func plan(
    _ outputs: [Output], folder: String, command: OutputCommand = .render, protecting protected: [String] = []
  ) throws(Failure) -> WritePlan {
    let root = try openIfPresent(folder)
    if let root { try refuseSpecialFolder(root, protected: protected) }
    return try plan(outputs, root: root, folder: folder, command: command, protected: protected)
  }

  private static func plan(
    _ outputs: [Output], root: Folder?, folder: String, command: OutputCommand, protected: [String]
  ) throws(Failure) -> WritePlan {
    let previousManifest = try root?.read(GeneratedManifest.fileName)
    let manifest = previousManifest.flatMap(GeneratedManifest.decode)
    if let manifest, manifest.owner != command.rawValue {
      throw Failure(
        path: folder,
        problem:
          "holds the files of tailwart \(manifest.owner); tailwart \(command.rawValue) writes into a folder of its own")
    }
    let recorded = manifest?.files ?? [:]
    var lookup = FolderLookup(root: root)

    var seen: Set<String> = []
    var entries: [WritePlan.Entry] = []
    for output in outputs {
      guard OutputPath.isSafeFile(output.path), !isReserved(output.path) else {
        throw Failure(path: output.path, problem: "is not a plain relative path inside the output folder")
      }
      guard seen.insert(output.path).inserted else {
        throw Failure(path: output.path, problem: "is produced twice")
      }
      let (parts, name) = WriteJournal.split(output.path)
      let previous = try lookup.folder(parts)?.read(name)
      let state: WritePlan.State
      if let previous {
        if previous == output.bytes {
          state = .unchanged
        } else if let hash = recorded[output.path] {
          state = hash == SHA256.hex(previous) ? .stale : .editedByHand
        } else {
          state = .notWrittenByTailwart
        }
      } else {
        state = .missing
      }
      entries.append(WritePlan.Entry(output: output, previous: previous, state: state))
    }

    // A file the manifest lists and this run does not make goes if it is
    // still what tailwart wrote; otherwise (edited, gone, listed under a
    // path that is not plain, or reached through a link) it is forgotten,
    // never touched.
    var removals: [WritePlan.Removal] = []
    for (path, hash) in recorded.sorted(by: { $0.key < $1.key }) where !seen.contains(path) {
      guard OutputPath.isSafeFile(path), !isReserved(path) else { continue }
      let (parts, name) = WriteJournal.split(path)
      guard let parent = try? lookup.folder(parts), let bytes = try? parent.read(name), SHA256.hex(bytes) == hash
      else { continue }
      removals.append(WritePlan.Removal(path: path, bytes: bytes))
    }

    let files = Dictionary(outputs.map { ($0.path, SHA256.hex($0.bytes)) }, uniquingKeysWith: { a, _ in a })
    return WritePlan(
      folder: folder, command: command, protected: protected, entries: entries, removals: removals,
      manifest: GeneratedManifest(command: command, files: files), previousManifest: previousManifest,
      interrupted: root?.kind(WriteJournal.folderName) == .directory)
  }

  /// Names starting `.tailwart` are the writer's own (manifest, lock,
  /// staging): never an output, never removed as one.
  static func isReserved(_ path: String) -> Bool {
    (path.split(separator: "/").last ?? Substring(path)).hasPrefix(".tailwart")
  }

  /// The folders below the output folder, each opened once.
  private struct FolderLookup {
    let root: Folder?
    var opened: [[Substring]: Folder?] = [:]

    mutating func folder(_ parts: [Substring]) throws(Failure) -> Folder? {
      guard let root else { return nil }
      if parts.isEmpty { return root }
      if let known = opened[parts] { return known }
      let parent = try folder(Array(parts.dropLast()))
      let found = try parent?.subfolder(String(parts.last!))
      opened[parts] = found
      return found
    }
  }

  /// The output folder opened, or nil when it does not exist yet.
  private static func openIfPresent(_ folder: String) throws(Failure) -> Folder? {
    var info = stat()
    guard lstat(lastPart(folder), &info) == 0 else {
      // (A file on the way is found when the folder is made.)
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw Failure(path: folder, problem: "cannot be read: \(errorText(errno))")
    }
    switch info.st_mode & S_IFMT {
    case S_IFDIR:
      return try Folder.open(path: lastPart(folder))
    case S_IFLNK:
      let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: folder)) ?? "?"
      throw Failure(
        path: folder,
        problem: "the output folder is a symbolic link (to \(target)); tailwart writes only into a real folder")
    case S_IFREG:
      throw Failure(path: folder, problem: "is a file, not a folder")
    default:
      throw Failure(path: folder, problem: "exists and is not a folder")
    }
  }

  /// The folder's path with its trailing slashes dropped: `deploy/` would
  /// have the system follow a link named `deploy`.
  static func lastPart(_ folder: String) -> String {
    var path = Substring(folder)
    while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
    return path.isEmpty ? "." : String(path)
  }

  /// Refuses `/`, and each protected folder and every folder above it, as
  /// the output folder: whatever path leads there.
  private static func refuseSpecialFolder(_ root: Folder, protected: [String]) throws(Failure) {
    guard let (device, inode) = root.identity else { return }
    func same(_ path: String) -> Bool {
      var info = stat()
      return stat(path, &info) == 0 && info.st_dev == device && info.st_ino == inode
    }
    if same("/") {
      throw Failure(path: root.path, problem: "is the root folder; give the output a folder of its own")
    }
    for folder in protected {
      var path = folder.isEmpty ? "." : folder
      var info = stat()
      // Up to the root: there "/.." is "/" again.
      for depth in 0..<256 {
        guard stat(path, &info) == 0 else { break }
        if info.st_dev == device && info.st_ino == inode {
          throw Failure(
            path: root.path,
            problem: depth == 0
              ? "is the inventory's own folder; give the output a folder of its own"
              : "holds the inventory's folder; give the output a folder of its own")
        }
        var parent = stat()
        guard stat(path + "/..", &parent) == 0, parent.st_ino != info.st_ino || parent.st_dev != info.st_dev
        else { break }
        path += "/.."
      }
    }
  }

  // MARK: writing

  /// Finishes (or undoes) a write an earlier run left unfinished in
  /// `folder`, under the folder's lock; nil when there was none. `write`
  /// does this itself; a command calls it first when it plans before it
  /// writes, so that the plan does not take the half-written files for
  /// hand edits.
  public static func recover(folder: String) throws(Failure) -> Recovery? {
    guard let root = try openIfPresent(folder), root.kind(WriteJournal.folderName) != .missing else { return nil }
    let lock = try FolderLock(root)
    defer { lock.release() }
    return try WriteJournal.recover(in: root)
  }

  /// Makes the folder hold the plan's outputs: locks the folder, finishes
  /// a write an earlier run left unfinished, plans again (the folder may
  /// have changed since `plan`), and writes, all or nothing. Throws
  /// without touching anything when a file was edited by hand or not
  /// written by tailwart and `force` is false.
  @discardableResult
  public static func write(_ plan: WritePlan, force: Bool) throws(Failure) -> Report {
    try write(plan, force: force, hooks: .system)
  }

  /// `plan` then `write`, for a command that shows nothing in between
  /// (the site).
  @discardableResult
  public static func write(
    _ outputs: [Output], folder: String, command: OutputCommand, force: Bool, protecting protected: [String] = []
  ) throws(Failure) -> Report {
    try write(outputs, folder: folder, command: command, force: force, protecting: protected, hooks: .system)
  }

  static func write(
    _ outputs: [Output], folder: String, command: OutputCommand, force: Bool, protecting protected: [String],
    hooks: Hooks
  ) throws(Failure) -> Report {
    let plan = try plan(outputs, folder: folder, command: command, protecting: protected)
    return try write(plan, force: force, hooks: hooks)
  }

  static func write(_ given: WritePlan, force: Bool, hooks: Hooks) throws(Failure) -> Report {
    var created: [String] = []
    let root: Folder
    if let existing = try openIfPresent(given.folder) {
      root = existing
    } else {
      try makeFolders(given.folder, created: &created)
      root = try Folder.open(path: lastPart(given.folder))
    }
    do throws(Failure) {
      try refuseSpecialFolder(root, protected: given.protected)
      let lock = try FolderLock(root)
      defer { lock.release() }
      let recovered = try WriteJournal.recover(in: root)
      let plan = try plan(
        given.outputs, root: root, folder: given.folder, command: given.command, protected: given.protected)
      if !force, let conflict = plan.conflicts.first {
        // A site built before the manifest kept a bare list of its pages,
        // without hashes: its pages cannot be told from anyone's.
        let earlier =
          plan.previousManifest == nil && root.kind(".tailwart-site") == .file
          ? " (the folder holds a site built by an earlier tailwart, which kept no hashes;"
            + " if every file in it is the site's, rerun once with --force)"
          : ""
        throw Failure(
          path: WritePlan.join(plan.folder, conflict.output.path),
          problem: conflict.state == .editedByHand
            ? "was edited by hand since tailwart wrote it; rerun with --force to overwrite it"
            : "was not written by tailwart; rerun with --force to overwrite it\(earlier)")
      }
      removeLeftovers(plan, root: root)
      var report = try apply(plan, root: root, hooks: hooks)
      report.recovered = recovered
      return report
    } catch {
      for folder in created.reversed() { rmdir(folder) }
      throw error
    }
  }

  /// Stages, commits and applies the plan (see `WriteJournal`).
  private static func apply(_ plan: WritePlan, root: Folder, hooks: Hooks) throws(Failure) -> Report {
    var files = plan.changes.map { (path: $0.output.path, bytes: $0.output.bytes, previous: $0.previous) }
    let removalsStart = files.count
    files += plan.removals.map { (path: $0.path, bytes: [UInt8](), previous: Optional($0.bytes)) }
    if plan.manifestNeedsWrite {
      files.append((GeneratedManifest.fileName, plan.manifest.bytes, plan.previousManifest))
    }
    if files.isEmpty { return Report(written: [], removed: []) }

    if mkdirat(root.fd, WriteJournal.folderName, 0o700) != 0 {
      throw Failure(path: root.display(WriteJournal.folderName), problem: "cannot be created: \(errorText(errno))")
    }
    guard let staging = try root.subfolder(WriteJournal.folderName) else {
      throw Failure(path: root.display(WriteJournal.folderName), problem: "vanished while it was being created")
    }
    var journal = WriteJournal(direction: .forward, steps: [], folders: [])
    do throws(Failure) {
      var lookup = FolderLookup(root: root)
      var newFolders: Set<String> = []
      for (n, file) in files.enumerated() {
        let (parts, name) = WriteJournal.split(file.path)
        let parent = try lookup.folder(parts)
        let isRemoval = n >= removalsStart && n < removalsStart + plan.removals.count
        let mode = parent?.info(name).map { $0.st_mode & 0o7777 } ?? 0o644
        if !isRemoval {
          if let code = hooks.stageFault(n + 1) {
            throw Failure(
              path: WritePlan.join(plan.folder, file.path), problem: "cannot be written: \(errorText(code))")
          }
          try staging.create(WriteJournal.staged(n), file.bytes, mode: mode, flush: plan.command.flushesEachFile)
        }
        var backup = false
        if let parent, parent.kind(name) == .file, let previous = file.previous {
          if parent.link(name, to: staging, as: WriteJournal.backup(n)) != 0 {
            try staging.create(WriteJournal.backup(n), previous, mode: mode, flush: plan.command.flushesEachFile)
          }
          backup = true
        }
        if parent == nil {
          for depth in 1...parts.count {
            let folder = parts.prefix(depth).joined(separator: "/")
            if try lookup.folder(Array(parts.prefix(depth))) == nil, newFolders.insert(folder).inserted {
              journal.folders.append(folder)
            }
          }
        }
        journal.steps.append(
          WriteJournal.Step(path: file.path, hash: isRemoval ? nil : SHA256.hex(file.bytes), backup: backup))
      }
      staging.sync()
      try journal.save(in: staging)
    } catch {
      WriteJournal.finish(root: root, staging: staging)
      throw error
    }

    hooks.committed()
    let removed: [String]
    do throws(Failure) {
      removed = try journal.forward(root: root, staging: staging, hooks: hooks)
    } catch {
      journal.direction = .backward
      try? journal.save(in: staging)
      do throws(Failure) {
        try journal.backward(root: root, staging: staging)
      } catch let undo {
        throw Failure(
          path: error.path,
          problem: "\(error.problem); undoing the write failed too (\(undo)); the next run finishes or undoes it")
      }
      WriteJournal.finish(root: root, staging: staging)
      throw error
    }
    WriteJournal.finish(root: root, staging: staging)
    return Report(written: plan.changes.map(\.output.path), removed: removed)
  }

  /// Creates `folder` and any missing parents (the operator's path),
  /// remembering each one made.
  private static func makeFolders(_ folder: String, created: inout [String]) throws(Failure) {
    var info = stat()
    if lstat(folder, &info) == 0 {
      guard info.st_mode & S_IFMT == S_IFDIR else { throw Failure(path: folder, problem: "is not a folder") }
      return
    }
    let parent = (folder as NSString).deletingLastPathComponent
    if !parent.isEmpty, parent != folder { try makeFolders(parent, created: &created) }
    if mkdir(folder, 0o755) != 0 {
      throw Failure(path: folder, problem: "cannot create the folder: \(errorText(errno))")
    }
    created.append(folder)
  }

  /// Removes what versions of tailwart before the journal left when they
  /// were killed mid-write: `.<name>.tailwart-<pid>-<n>.tmp` and `.old`
  /// beside render's files, `.tailwart-<pid>-<name>` beside the site's.
  /// Only regular files with those names, in the folders this write uses.
  private static func removeLeftovers(_ plan: WritePlan, root: Folder) {
    var lookup = FolderLookup(root: root)
    var folders: Set<[Substring]> = [[]]
    for entry in plan.entries { folders.insert(WriteJournal.split(entry.output.path).0) }
    for parts in folders {
      guard let folder = try? lookup.folder(parts) else { continue }
      for name in folder.names() where isLeftover(name) && folder.kind(name) == .file {
        folder.remove(name)
      }
    }
  }

  static func isLeftover(_ name: String) -> Bool {
    func digits(_ text: Substring) -> Bool {
      !text.isEmpty && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber)
    }
    guard name.hasPrefix(".") else { return false }
    // .<name>.tailwart-<pid>-<n>.tmp / .old
    if name.hasSuffix(".tmp") || name.hasSuffix(".old"), let marker = name.range(of: ".tailwart-", options: .backwards)
    {
      let tail = name[marker.upperBound...].dropLast(4).split(separator: "-", omittingEmptySubsequences: false)
      if tail.count == 2, digits(tail[0]), digits(tail[1]), marker.lowerBound > name.index(after: name.startIndex) {
        return true
      }
    }
    // .tailwart-<pid>-<name>
    if name.hasPrefix(".tailwart-") {
      let rest = name.dropFirst(".tailwart-".count)
      if let dash = rest.firstIndex(of: "-"), digits(rest[..<dash]), rest.index(after: dash) < rest.endIndex {
        return true
      }
    }
    return false
  }
}
