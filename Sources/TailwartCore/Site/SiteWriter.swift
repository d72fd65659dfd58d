import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The "write" step, and the only code of the site that touches the disk.
/// A page whose bytes are already on disk is left alone (its modification
/// time too). A changed page is written beside its old self and renamed over
/// it, so a reader never sees half a page; a new page is created in place,
/// refusing anything already there. Paths are checked again here: nothing
/// lands outside the output folder, not even through a symbolic link.
/// `finish` lists the site's files in the folder, and removes the ones the
/// previous list had that this build no longer makes.
struct SiteWriter {
  let root: URL
  /// `root.path`, worked out once (a URL makes it anew on every call).
  private let rootPath: String
  private(set) var files = 0
  private(set) var written = 0
  /// The site's files so far (relative paths), written or unchanged.
  private(set) var paths: [String] = []
  private var checkedFolders: Set<String> = []

  /// The file in the output folder that lists the site's files, so that the
  /// next build can remove the pages this one made and it no longer does (a
  /// lesson removed or renumbered, a rule gone), and nothing else. Its name
  /// starts with a dot: no page can have it (see `OutputPath.isSafe`).
  static let manifestName = ".tailwart-site"
  /// Largest manifest read back: far beyond any site's list.
  static let maxManifestBytes = 64 << 20

  /// Writes the site's files (relative path and bytes) below `output`, then
  /// removes what an earlier build made and this one no longer does.
  static func write(_ files: [(path: String, bytes: [UInt8])], to output: URL) throws(SiteError) -> (
    written: Int, removed: Int
  ) {
    var writer = try SiteWriter(root: output)
    for file in files { try writer.write(path: file.path, bytes: file.bytes) }
    let removed = try writer.finish()
    return (writer.written, removed)
  }

  init(root: URL) throws(SiteError) {
    self.root = root.standardizedFileURL
    rootPath = self.root.path
    try makeFolder(rootPath, isRoot: true)
  }

  mutating func write(path: String, bytes: [UInt8]) throws(SiteError) {
    guard OutputPath.isSafe(path) else {
      throw failure(path, "refusing to write \(path): not a plain path inside the output folder")
    }
    files += 1
    paths.append(path)
    if try store(path, bytes) { written += 1 }
  }

  /// Creates (or checks) each folder of `relative` below the root.
  private mutating func prepareFolder(_ relative: Substring) throws(SiteError) {
    var folder = rootPath
    for part in relative.split(separator: "/") {
      folder += "/" + part
      try makeFolder(folder, isRoot: false)
    }
  }

  /// Writes the page (its path already checked) unless the file there
  /// already holds exactly its bytes; true when it wrote.
  private mutating func store(_ relative: String, _ bytes: [UInt8]) throws(SiteError) -> Bool {
    // The page's folder is checked (or made) level by level the first
    // time a page goes there; later pages find it among the checked ones.
    var folder = rootPath
    var name = Substring(relative)
    if let slash = relative.utf8.lastIndex(of: UInt8(ascii: "/")) {
      let parent = relative[..<slash]
      folder += "/" + parent
      if !checkedFolders.contains(folder) { try prepareFolder(parent) }
      name = relative[relative.index(after: slash)...]
    }
    let path = folder + "/" + name

    // New pages (the usual case) cost one open; only when something is
    // already there is it looked at.
    if try create(path, bytes, ifAbsent: true) { return true }
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      throw failure(path, "refusing to replace \(path): it is not a regular file")
    }
    if Int(info.st_size) == bytes.count, Self.contents(of: path, equal: bytes) { return false }
    let temporary = folder + "/.tailwart-\(getpid())-" + name
    _ = try create(temporary, bytes, ifAbsent: false)
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw failure(path, "cannot replace: \(reason)")
    }
    return true
  }

  /// Once every page is written: removes the files the previous build
  /// listed in the manifest that this build did not make, then lists this
  /// build's. Only regular files at plain paths below the root go, never
  /// through a symbolic link, and folders they leave empty; files nobody
  /// listed (the operator's own) are never touched. Gives how many files
  /// were removed.
  mutating func finish() throws(SiteError) -> Int {
    let manifest = rootPath + "/" + Self.manifestName
    let current = Set(paths)
    var removed = 0
    for path in Self.listed(in: manifest) where !current.contains(path) {
      if try removeStale(path) { removed += 1 }
    }
    var text = "# The files of this site, written by tailwart site: the next build removes those it no longer makes.\n"
    for path in paths.sorted() { text += path + "\n" }
    _ = try store(Self.manifestName, Array(text.utf8))
    return removed
  }

  /// The paths a manifest lists (none when there is no readable one;
  /// comment lines, and lines that are not a plain path inside the folder,
  /// are skipped).
  private static func listed(in manifest: String) -> [String] {
    var info = stat()
    guard lstat(manifest, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= maxManifestBytes,
      let data = FileManager.default.contents(atPath: manifest)
    else { return [] }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
      let path = String(line)
      return !path.hasPrefix("#") && OutputPath.isSafe(path) ? path : nil
    }
  }

  /// Removes the regular file at `relative` (a safe path) when it is one,
  /// reached through real folders only, then the folders it leaves empty.
  private func removeStale(_ relative: String) throws(SiteError) -> Bool {
    var info = stat()
    var folders: [String] = []
    var folder = rootPath
    for part in relative.split(separator: "/").dropLast() {
      folder += "/" + part
      guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return false }
      folders.append(folder)
    }
    let path = rootPath + "/" + relative
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
    guard unlink(path) == 0 else {
      throw failure(path, "cannot remove a page the site no longer has: \(String(cString: strerror(errno)))")
    }
    // (rmdir takes only empty folders: one still in use stays.)
    for folder in folders.reversed() where rmdir(folder) != 0 { break }
    return true
  }

  /// Writes a new file; `O_EXCL` refuses whatever already sits at `path`,
  /// a symbolic link planted there included. With `ifAbsent`, something
  /// already there is not an error: the result is false and nothing is
  /// written.
  private func create(_ path: String, _ bytes: [UInt8], ifAbsent: Bool) throws(SiteError) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
    if fd < 0 && ifAbsent && errno == EEXIST { return false }
    guard fd >= 0 else { throw failure(path, "cannot create: \(String(cString: strerror(errno)))") }
    let ok = bytes.withUnsafeBytes { buffer -> Bool in
      var done = 0
      while done < buffer.count {
        let n = systemWrite(fd, buffer.baseAddress! + done, buffer.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          return false
        }
        done += n
      }
      return true
    }
    let reason = ok ? "" : String(cString: strerror(errno))
    if close(fd) != 0 || !ok {
      unlink(path)
      throw failure(path, "cannot write: \(ok ? String(cString: strerror(errno)) : reason)")
    }
    return true
  }

  /// Whether the file at `path` holds exactly `bytes` (same size checked).
  private static func contents(of path: String, equal bytes: [UInt8]) -> Bool {
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var existing = [UInt8](repeating: 0, count: bytes.count + 1)
    var got = 0
    while got < existing.count {
      let n = existing.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      got += n
    }
    return got == bytes.count && existing.prefix(got).elementsEqual(bytes)
  }

  /// Creates `path` as a real folder, or checks that it is one: a symbolic
  /// link inside the output folder could lead the site anywhere on disk.
  /// (The output folder itself may be a link the operator made.)
  private mutating func makeFolder(_ path: String, isRoot: Bool) throws(SiteError) {
    if checkedFolders.contains(path) { return }
    var info = stat()
    if (isRoot ? stat(path, &info) : lstat(path, &info)) == 0 {
      if info.st_mode & S_IFMT == S_IFLNK {
        throw failure(path, "refusing to write through the symbolic link \(path)")
      }
      guard info.st_mode & S_IFMT == S_IFDIR else { throw failure(path, "\(path) exists and is not a folder") }
    } else {
      do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: isRoot)
      } catch {
        throw failure(path, "cannot create the folder: \(error.localizedDescription)")
      }
    }
    checkedFolders.insert(path)
  }

  /// The C library's `write`, which this type's own `write` hides.
  private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, buffer, count)
    #elseif canImport(Darwin)
      Darwin.write(fd, buffer, count)
    #endif
  }

  private func failure(_ path: String, _ message: String) -> SiteError {
    SiteError(step: .write, file: path, findings: [Finding(.error, file: path, at: nil, message)])
  }
}
