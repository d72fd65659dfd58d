#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open folder. Every call is relative to its descriptor and refuses to
/// follow a symbolic link, so a folder swapped for a link while tailwart
/// works cannot send a write anywhere else: the descriptor stays on the
/// folder that was opened.
final class Folder {
  let fd: Int32
  /// Where the folder is, as messages show it.
  let path: String

  private init(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
  }

  deinit { close(fd) }

  enum Kind { case missing, file, directory, symlink, other }

  /// Opens the folder at `path` (the operator's path: links before its
  /// last part are followed, the last part must be a real folder).
  static func open(path: String) throws(OutputWriter.Failure) -> Folder {
    let fd = systemOpen(OutputWriter.lastPart(path), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { throw OutputWriter.Failure(path: path, problem: "cannot be opened: \(errorText(errno))") }
    return Folder(fd: fd, path: path)
  }

  /// `name` (one part) inside this folder, as messages show it.
  func display(_ name: String) -> String { WritePlan.join(path, name) }

  func info(_ name: String) -> stat? {
    var info = stat()
    return fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
  }

  func kind(_ name: String) -> Kind {
    guard let info = info(name) else { return .missing }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    case S_IFLNK: return .symlink
    default: return .other
    }
  }

  /// The folder `name` inside this one; nil when there is none.
  func subfolder(_ name: String) throws(OutputWriter.Failure) -> Folder? {
    let fd = openat(self.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    if fd >= 0 { return Folder(fd: fd, path: display(name)) }
    let code = errno
    switch kind(name) {
    case .missing: return nil
    case .symlink:
      throw OutputWriter.Failure(
        path: display(name), problem: "is a symbolic link; tailwart does not write through links")
    case .file, .other: throw OutputWriter.Failure(path: display(name), problem: "is not a folder")
    case .directory: throw OutputWriter.Failure(path: display(name), problem: "cannot be opened: \(errorText(code))")
    }
  }

  /// The folder at `relative` (parts separated by `/`) below this one,
  /// made when `create` is true; nil when a part is missing and not made.
  func descend(_ relative: [Substring], create: Bool) throws(OutputWriter.Failure) -> Folder? {
    var current = self
    for part in relative {
      let name = String(part)
      if let next = try current.subfolder(name) {
        current = next
        continue
      }
      guard create else { return nil }
      if mkdirat(current.fd, name, 0o755) != 0, errno != EEXIST {
        throw OutputWriter.Failure(
          path: current.display(name), problem: "cannot create the folder: \(errorText(errno))")
      }
      guard let made = try current.subfolder(name) else {
        throw OutputWriter.Failure(path: current.display(name), problem: "vanished while it was being created")
      }
      current = made
    }
    return current
  }

  /// The bytes of the regular file `name`; nil when nothing is there.
  /// Refuses a link, a folder, a FIFO or a device (opened without
  /// blocking, never read).
  func read(_ name: String) throws(OutputWriter.Failure) -> [UInt8]? {
    let fd = openat(self.fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    if fd < 0 {
      let code = errno
      switch kind(name) {
      case .missing: return nil
      case .symlink:
        throw OutputWriter.Failure(
          path: display(name), problem: "is a symbolic link; tailwart writes only regular files")
      case .directory:
        throw OutputWriter.Failure(path: display(name), problem: "is a folder where tailwart writes a file")
      default: throw OutputWriter.Failure(path: display(name), problem: "cannot be read: \(errorText(code))")
      }
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      throw OutputWriter.Failure(path: display(name), problem: "is not a regular file")
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw OutputWriter.Failure(path: display(name), problem: "cannot be read: \(errorText(errno))")
      }
      if n == 0 { return bytes }
      bytes += chunk[..<n]
    }
  }

  /// Writes the new file `name` (which must not exist: `O_EXCL` refuses
  /// anything there, a planted link included) and, with `flush`, waits
  /// until it is on disk.
  func create(_ name: String, _ bytes: [UInt8], mode: mode_t, flush: Bool = true) throws(OutputWriter.Failure) {
    let fd = openat(self.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else {
      throw OutputWriter.Failure(path: display(name), problem: "cannot be created: \(errorText(errno))")
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
    if failure == 0, flush, fsync(fd) != 0 { failure = errno }
    if close(fd) != 0, failure == 0 { failure = errno }
    if failure != 0 {
      unlinkat(self.fd, name, 0)
      throw OutputWriter.Failure(path: display(name), problem: "cannot be written: \(errorText(failure))")
    }
  }

  /// 0 or the error number.
  func rename(_ name: String, to folder: Folder, as newName: String) -> Int32 {
    renameat(fd, name, folder.fd, newName) == 0 ? 0 : errno
  }

  /// A second name for the file `name`; 0 or the error number.
  func link(_ name: String, to folder: Folder, as newName: String) -> Int32 {
    linkat(fd, name, folder.fd, newName, 0) == 0 ? 0 : errno
  }

  /// Removes the file `name`; true when it is gone (or was never there).
  @discardableResult
  func remove(_ name: String) -> Bool {
    unlinkat(fd, name, 0) == 0 || errno == ENOENT
  }

  /// Removes the folder `name` if it is empty.
  @discardableResult
  func removeFolder(_ name: String) -> Bool {
    unlinkat(fd, name, AT_REMOVEDIR) == 0
  }

  /// The names in the folder, without "." and "..".
  func names() -> [String] {
    let copy = dup(fd)
    guard copy >= 0, let stream = fdopendir(copy) else {
      if copy >= 0 { close(copy) }
      return []
    }
    defer { closedir(stream) }
    rewinddir(stream)
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
          String(cString: $0)
        }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// Flushes the folder's entries (the renames into it) to disk.
  func sync() { fsync(fd) }

  /// Device and inode: what the folder is, whatever path reached it.
  var identity: (dev_t, ino_t)? {
    var info = stat()
    return fstat(fd, &info) == 0 ? (info.st_dev, info.st_ino) : nil
  }
}

func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

// The C calls, named apart from the methods above.
private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
