#if canImport(Glibc)
  import Glibc
  private let systemRead = Glibc.read
#elseif canImport(Darwin)
  import Darwin
  private let systemRead = Darwin.read
#endif

/// The one way tailwart reads an input file (the inventory, the lessons).
///
/// - Only a regular file is read. The file is opened without blocking
///   (`O_NONBLOCK`: a FIFO with no writer does not hang the open) and
///   checked with `fstat` on the descriptor itself, so what is checked is
///   what is read, whatever is swapped in at the path meanwhile.
/// - With a `root`, the file's real path (every symbolic link resolved)
///   must lie inside the root's real path, and the descriptor must be that
///   very file (same device and inode): a link out of the repository, to
///   `/proc/self/environ` or `~/.ssh`, is refused before a byte is read.
/// - A path through a `.git` folder is refused when asked (`outsideGit`):
///   `.git/config` holds remotes with credentials.
/// - Nothing over `maxBytes` is read whole: reading stops one byte past it.
///
/// Errors are findings on the file as a whole (no position, no content).
public enum SourceFile {
  public struct Rules: Sendable {
    public var maxBytes: Int
    /// The folder the file must resolve into (nil: anywhere).
    public var root: String?
    /// Refuse a file whose real path goes through a `.git` folder.
    public var outsideGit: Bool

    public init(maxBytes: Int, root: String? = nil, outsideGit: Bool = false) {
      self.maxBytes = maxBytes
      self.root = root
      self.outsideGit = outsideGit
    }
  }

  /// The bytes of the regular file at `path`, within `rules`.
  public static func read(path: String, _ rules: Rules) throws(FindingsError) -> [UInt8] {
    let descriptor = try open(path: path, rules)
    defer { _ = close(descriptor) }
    return try read(descriptor: descriptor, path: path, rules)
  }

  /// An open descriptor on the regular file at `path`, within `rules`; the
  /// caller closes it.
  public static func open(path: String, _ rules: Rules) throws(FindingsError) -> Int32 {
    func refuse(_ message: String) -> FindingsError {
      FindingsError([Finding(.error, file: path, at: nil, message)])
    }
    let descriptor = systemOpen(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      switch code {
      case ENOENT: throw refuse("no such file")
      case EACCES, EPERM: throw refuse("cannot be read: permission denied")
      case ENXIO: throw refuse("is a socket or device, not a regular file")
      default: throw refuse("cannot be read: \(String(cString: strerror(code)))")
      }
    }
    var ok = false
    defer { if !ok { _ = close(descriptor) } }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw refuse("cannot be read: \(String(cString: strerror(errno)))")
    }
    let type = info.st_mode & S_IFMT
    guard type == S_IFREG else {
      let what: String
      switch type {
      case S_IFDIR: what = "is a folder"
      case S_IFIFO: what = "is a named pipe (FIFO)"
      case S_IFSOCK: what = "is a socket"
      case S_IFCHR, S_IFBLK: what = "is a device"
      default: what = "is something else"
      }
      throw refuse("\(what), not a regular file; tailwart reads input only from regular files")
    }
    if rules.root != nil || rules.outsideGit {
      guard let real = realPath(path) else { throw refuse("cannot be read: its path does not resolve") }
      var target = stat()
      guard stat(real, &target) == 0, target.st_dev == info.st_dev, target.st_ino == info.st_ino else {
        throw refuse("changed while it was being opened; try again")
      }
      if let root = rules.root {
        guard let realRoot = realPath(root) else { throw refuse("cannot be read: \(root) does not resolve") }
        let prefix = realRoot.hasSuffix("/") ? realRoot : realRoot + "/"
        guard real.hasPrefix(prefix) else {
          throw refuse(
            "resolves to a file outside \(root); tailwart reads input only from inside the repository")
        }
        if rules.outsideGit, real.dropFirst(prefix.count).split(separator: "/").contains(".git") {
          throw refuse("lies inside .git; tailwart never reads input from there")
        }
      } else if rules.outsideGit, real.split(separator: "/").contains(".git") {
        throw refuse("lies inside .git; tailwart never reads input from there")
      }
    }
    ok = true
    return descriptor
  }

  /// Reads an open regular file whole, up to one byte past the limit. The
  /// size from `fstat` sizes the first read; a file that grew meanwhile is
  /// read on.
  public static func read(descriptor: Int32, path: String, _ rules: Rules) throws(FindingsError) -> [UInt8] {
    var info = stat()
    let size = fstat(descriptor, &info) == 0 ? max(Int(info.st_size), 0) : 0
    var bytes = [UInt8](repeating: 0, count: min(size, rules.maxBytes) + 1)
    var count = 0
    while count <= rules.maxBytes {
      if count == bytes.count { bytes += [UInt8](repeating: 0, count: min(max(count, 4096), rules.maxBytes + 1 - count)) }
      let n = bytes.withUnsafeMutableBytes { buffer in
        systemRead(descriptor, buffer.baseAddress! + count, buffer.count - count)
      }
      if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
      if n < 0 {
        throw FindingsError([
          Finding(.error, file: path, at: nil, "cannot be read: \(String(cString: strerror(errno)))")
        ])
      }
      if n == 0 { break }
      count += n
    }
    if count > rules.maxBytes {
      throw FindingsError([
        Finding(
          .error, file: path, at: nil,
          "file is larger than \(rules.maxBytes) bytes, the most tailwart reads here")
      ])
    }
    bytes.removeLast(bytes.count - count)
    return bytes
  }

  /// The folder a file's repository starts at: the nearest folder above
  /// `path` (as written, links not followed) holding `.git`; without one,
  /// the file's own folder.
  public static func repositoryRoot(of path: String) -> String {
    var folder = absolute(path).split(separator: "/", omittingEmptySubsequences: true).dropLast().map(String.init)
    let own = "/" + folder.joined(separator: "/")
    while true {
      let candidate = "/" + folder.joined(separator: "/")
      var info = stat()
      if lstat((candidate == "/" ? "" : candidate) + "/.git", &info) == 0 { return candidate }
      if folder.isEmpty { return own }
      folder.removeLast()
    }
  }

  /// `path` made absolute against the current folder, `.` and `..` removed
  /// lexically.
  static func absolute(_ path: String) -> String {
    var parts: [Substring] = []
    if !path.hasPrefix("/") {
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      if getcwd(&buffer, buffer.count) != nil {
        parts = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
          .split(separator: "/")
      }
    }
    for part in path.split(separator: "/") {
      if part == "." { continue }
      if part == ".." {
        _ = parts.popLast()
      } else {
        parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}

#if canImport(Glibc)
  private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { Glibc.open(path, flags) }
#elseif canImport(Darwin)
  private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { Darwin.open(path, flags) }
#endif
