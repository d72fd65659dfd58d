import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one place that touches the output folder. `plan` reads what is there;
/// `write` replaces the files that change, all or none: every new file is
/// staged beside its target first, then renamed into place, and a failure
/// at any step puts back what was there before.
public enum OutputWriter {
  /// A write that could not happen; nothing was changed.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var description: String { "\(path): \(problem)" }
  }

  /// The system calls `write` makes that can fail halfway; tests replace
  /// them to fail on purpose.
  struct FileCalls: Sendable {
    var rename: @Sendable (String, String) -> Int32 = { systemRename($0, $1) }
    static let system = FileCalls()
  }

  // MARK: planning

  /// Compares every output with the folder's contents. Refuses paths that
  /// could leave the folder: symbolic links anywhere between the folder and
  /// a file, the folder itself being a link, names that are not plain
  /// relative paths.
  public static func plan(_ outputs: [Output], folder: String) throws(Failure) -> WritePlan {
    switch kind(folder) {
    case .symlink:
      let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: folder)) ?? "?"
      throw Failure(path: folder, problem: "the output folder is a symbolic link (to \(target)); tailwart writes only into a real folder")
    case .other:
      throw Failure(path: folder, problem: "exists and is not a folder")
    case .missing, .directory:
      break
    case .file:
      throw Failure(path: folder, problem: "is a file, not a folder")
    }

    var seen: Set<String> = []
    var entries: [WritePlan.Entry] = []
    let manifestPath = WritePlan.join(folder, GeneratedManifest.fileName)
    let previousManifest = try readRegular(manifestPath)
    let recorded = previousManifest.flatMap(GeneratedManifest.decode)?.files ?? [:]
    for output in outputs {
      guard OutputPath.isSafeFile(output.path) else {
        throw Failure(path: output.path, problem: "is not a plain relative path inside the output folder")
      }
      guard seen.insert(output.path).inserted else {
        throw Failure(path: output.path, problem: "is produced twice")
      }
      try checkFolders(of: output.path, in: folder)
      let previous = try readRegular(WritePlan.join(folder, output.path))
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
    // Keep what the manifest says about files this render did not produce.
    var files = recorded
    for output in outputs { files[output.path] = SHA256.hex(output.bytes) }
    return WritePlan(
      folder: folder, entries: entries, manifest: GeneratedManifest(files: files), previousManifest: previousManifest)
  }

  /// Every folder between the output folder and the file must be a real
  /// folder (or not exist yet).
  private static func checkFolders(of path: String, in folder: String) throws(Failure) {
    let parts = path.split(separator: "/").dropLast()
    var current = folder
    for part in parts {
      current = WritePlan.join(current, String(part))
      switch kind(current) {
      case .missing:
        return
      case .directory:
        continue
      case .symlink:
        throw Failure(path: current, problem: "is a symbolic link; tailwart does not write through links")
      case .file, .other:
        throw Failure(path: current, problem: "is not a folder")
      }
    }
  }

  private enum Kind { case missing, file, directory, symlink, other }

  private static func kind(_ path: String) -> Kind {
    var info = stat()
    guard lstat(path, &info) == 0 else { return .missing }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    case S_IFLNK: return .symlink
    default: return .other
    }
  }

  /// The bytes of a regular file; nil when nothing is there.
  private static func readRegular(_ path: String) throws(Failure) -> [UInt8]? {
    switch kind(path) {
    case .missing:
      return nil
    case .symlink:
      throw Failure(path: path, problem: "is a symbolic link; tailwart writes only regular files")
    case .directory:
      throw Failure(path: path, problem: "is a folder where tailwart writes a file")
    case .other:
      throw Failure(path: path, problem: "is not a regular file")
    case .file:
      guard let data = FileManager.default.contents(atPath: path) else {
        throw Failure(path: path, problem: "cannot be read")
      }
      return Array(data)
    }
  }

  // MARK: writing

  /// One file on its way in: where it goes, its staged copy, and the backup
  /// of what it replaces.
  private struct Staged {
    var target: String
    var temporary: String
    var backup: String?
  }

  /// Writes the plan's changes and the manifest. Throws without touching
  /// anything when a file was edited by hand and `force` is false. Returns
  /// the output paths written.
  @discardableResult
  public static func write(_ plan: WritePlan, force: Bool) throws(Failure) -> [String] {
    try write(plan, force: force, calls: .system)
  }

  static func write(_ plan: WritePlan, force: Bool, calls: FileCalls) throws(Failure) -> [String] {
    if !force, let conflict = plan.conflicts.first {
      throw Failure(
        path: WritePlan.join(plan.folder, conflict.output.path),
        problem: conflict.state == .editedByHand
          ? "was edited by hand since tailwart wrote it; rerun with --force to overwrite it"
          : "was not written by tailwart; rerun with --force to overwrite it")
    }
    var files: [(path: String, bytes: [UInt8], previous: [UInt8]?)] = plan.changes.map {
      (WritePlan.join(plan.folder, $0.output.path), $0.output.bytes, $0.previous)
    }
    // The manifest goes last: if anything before it fails, it still
    // describes the files that are there.
    if plan.manifestNeedsWrite {
      files.append((WritePlan.join(plan.folder, GeneratedManifest.fileName), plan.manifest.bytes, plan.previousManifest))
    }
    if files.isEmpty { return [] }

    var created: [String] = []
    var staged: [Staged] = []
    var committed = 0
    func undo() {
      for item in staged[..<committed].reversed() {
        if let backup = item.backup {
          _ = systemRename(backup, item.target)
        } else {
          unlink(item.target)
        }
      }
      for item in staged[committed...] {
        unlink(item.temporary)
        if let backup = item.backup { unlink(backup) }
      }
      for folder in created.reversed() { rmdir(folder) }
    }

    do throws(Failure) {
      for (index, file) in files.enumerated() {
        let directory = (file.path as NSString).deletingLastPathComponent
        try makeFolders(directory.isEmpty ? "." : directory, created: &created)
        let temporary = sibling(of: file.path, index: index, suffix: "tmp")
        var item = Staged(target: file.path, temporary: temporary, backup: nil)
        let mode = existingMode(file.path) ?? 0o644
        try writeNew(temporary, file.bytes, mode: mode)
        staged.append(item)
        if let previous = file.previous {
          let backup = sibling(of: file.path, index: index, suffix: "old")
          if link(file.path, backup) != 0 {
            try writeNew(backup, previous, mode: mode)
          }
          item.backup = backup
          staged[staged.count - 1] = item
        }
      }
      for item in staged {
        if calls.rename(item.temporary, item.target) != 0 {
          throw Failure(path: item.target, problem: "cannot be replaced: \(String(cString: strerror(errno)))")
        }
        committed += 1
      }
    } catch {
      undo()
      throw error
    }
    for item in staged {
      if let backup = item.backup { unlink(backup) }
    }
    syncFolders(Set(staged.map { ($0.target as NSString).deletingLastPathComponent }))
    return plan.changes.map(\.output.path)
  }

  /// `.<name>.tailwart-<pid>-<n>.<suffix>` beside `path`: same folder, so the
  /// rename is atomic.
  private static func sibling(of path: String, index: Int, suffix: String) -> String {
    let directory = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    let file = ".\(name).tailwart-\(getpid())-\(index).\(suffix)"
    return directory.isEmpty ? file : directory + "/" + file
  }

  private static func existingMode(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
  }

  /// Creates `folder` and any missing parents, remembering each one made.
  private static func makeFolders(_ folder: String, created: inout [String]) throws(Failure) {
    switch kind(folder) {
    case .directory:
      return
    case .missing:
      let parent = (folder as NSString).deletingLastPathComponent
      if !parent.isEmpty, parent != folder { try makeFolders(parent, created: &created) }
      if mkdir(folder, 0o755) != 0 {
        throw Failure(path: folder, problem: "cannot create the folder: \(String(cString: strerror(errno)))")
      }
      created.append(folder)
    default:
      throw Failure(path: folder, problem: "is not a folder")
    }
  }

  /// Writes a file that must not exist yet, and flushes it to disk.
  private static func writeNew(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(Failure) {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else {
      throw Failure(path: path, problem: "cannot be created: \(String(cString: strerror(errno)))")
    }
    var offset = 0
    var failure: Int32 = 0
    bytes.withUnsafeBytes { buffer in
      while offset < buffer.count {
        let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        offset += n
      }
    }
    if failure == 0, fsync(fd) != 0 { failure = errno }
    if close(fd) != 0, failure == 0 { failure = errno }
    if failure != 0 {
      unlink(path)
      throw Failure(path: path, problem: "cannot be written: \(String(cString: strerror(failure)))")
    }
  }

  /// Flushes the renames themselves; a folder that cannot be opened is
  /// left to the system.
  private static func syncFolders(_ folders: Set<String>) {
    for folder in folders.sorted() {
      let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      guard fd >= 0 else { continue }
      fsync(fd)
      close(fd)
    }
  }
}

// The C calls, named apart from `OutputWriter.write` and `FileCalls.rename`.
private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
