#if canImport(Glibc)
  import Glibc
  private let systemWrite = Glibc.write
#elseif canImport(Darwin)
  import Darwin
  private let systemWrite = Darwin.write
#endif

/// Writing to stdout and stderr without ever trapping. A full device, a
/// closed descriptor or a reader that went away makes a write fail; the
/// failure is remembered and the command goes on to its own exit status
/// (`FileHandle.write` and friends would stop the process instead).
enum StandardStreams {
  /// Makes sure descriptors 0, 1 and 2 are open (on /dev/null when they
  /// were closed), so no file tailwart opens later gets one of their numbers
  /// and receives diagnostics meant for a terminal. A write to a reader that
  /// went away returns an error (EPIPE) instead of killing the process.
  static func prepare() {
    for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
      // Output meant for a closed stdout is lost, not written to /dev/null.
      if fd == STDOUT_FILENO { stdoutClosed = true }
      let opened = open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY)
      if opened >= 0 && opened != fd {
        _ = dup2(opened, fd)
        _ = close(opened)
      }
    }
    _ = signal(SIGPIPE, SIG_IGN)
  }

  /// True once a write to stdout failed (the output is incomplete).
  nonisolated(unsafe) private(set) static var stdoutFailed = false
  nonisolated(unsafe) private static var stdoutClosed = false

  static func out(_ text: String) {
    if stdoutClosed || !write(text, to: STDOUT_FILENO) { stdoutFailed = true }
  }

  /// Diagnostics and status lines. A failure is ignored: there is nowhere
  /// left to report it, and it must not change what the command did.
  static func err(_ text: String) {
    _ = write(text, to: STDERR_FILENO)
  }

  /// Writes every byte, retrying short writes and interruptions; false on
  /// any other error.
  private static func write(_ text: String, to fd: Int32) -> Bool {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBytes { buffer -> Bool in
      guard let base = buffer.baseAddress else { return true }
      var done = 0
      while done < buffer.count {
        let n = systemWrite(fd, base + done, buffer.count - done)
        if n > 0 {
          done += n
        } else if n < 0 && errno == EINTR {
          continue
        } else {
          return false
        }
      }
      return true
    }
  }
}
