#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `.tailwart.lock` inside the output folder, held (`flock`) for the whole
/// of a write so that two runs never interleave their renames. A second
/// run does not wait: it is told the folder is busy. The system drops the
/// lock when its holder dies, even by `kill -9`; the file itself is removed
/// when the write ends, so it never stays in the folder for `git add`.
final class FolderLock {
  static let fileName = ".tailwart.lock"

  private let folder: Folder
  private var fd: Int32 = -1

  init(_ folder: Folder) throws(OutputWriter.Failure) {
    self.folder = folder
    // A run that held the lock removes the file before letting go: a
    // second run may have opened it just before, and then holds a lock on
    // a file that is gone. It checks that its file is still the one in
    // the folder, and tries again if not.
    for _ in 0..<16 {
      let fd = openat(folder.fd, Self.fileName, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
      guard fd >= 0 else {
        throw OutputWriter.Failure(
          path: folder.display(Self.fileName), problem: "cannot be opened: \(errorText(errno))")
      }
      if flock(fd, LOCK_EX | LOCK_NB) != 0 {
        let code = errno
        close(fd)
        if code == EWOULDBLOCK || code == EAGAIN { throw Self.busy(folder) }
        throw OutputWriter.Failure(path: folder.path, problem: "cannot be locked: \(errorText(code))")
      }
      var mine = stat()
      if fstat(fd, &mine) == 0, let there = folder.info(Self.fileName), there.st_dev == mine.st_dev,
        there.st_ino == mine.st_ino
      {
        self.fd = fd
        return
      }
      close(fd)
    }
    throw Self.busy(folder)
  }

  private static func busy(_ folder: Folder) -> OutputWriter.Failure {
    OutputWriter.Failure(
      path: folder.path, problem: "is busy: another tailwart run is writing to it; run again once that one has finished"
    )
  }

  /// Removes the file, then lets go of the lock.
  func release() {
    guard fd >= 0 else { return }
    folder.remove(Self.fileName)
    close(fd)
    fd = -1
  }

  deinit { release() }
}
