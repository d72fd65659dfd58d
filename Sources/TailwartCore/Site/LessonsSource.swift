import Foundation
import Glibc
import Synchronization

/// The lessons Markdown as read from disk: its name for diagnostics, its
/// bytes, and where each line starts (cmark counts columns in bytes, the
/// diagnostics in characters).
public struct LessonsSource: Sendable {
  /// Largest lessons file accepted: far beyond any real notes, small
  /// enough that a wrong path (a disk image, /dev/zero) fails fast.
  public static let maxBytes = 256 << 20

  /// The path as the operator gave it (`site/lessons.md`).
  public let file: String
  public let bytes: [UInt8]
  /// Where each line starts, found the first time a location is asked for:
  /// only diagnostics need it, and a long file has tens of thousands of
  /// lines.
  private let lines = Lines()

  private final class Lines: Sendable {
    private let starts = Mutex<[Int]?>(nil)

    func starts(of bytes: [UInt8]) -> [Int] {
      starts.withLock { starts in
        if let known = starts { return known }
        let found = LessonsSource.lineStarts(bytes)
        starts = found
        return found
      }
    }
  }

  /// Checks the text is UTF-8; an invalid byte is an error at its position.
  public init(file: String, bytes: [UInt8]) throws(FindingsError) {
    self.file = file
    self.bytes = bytes
    if let bad = Self.firstInvalidUTF8(bytes) {
      let starts = lines.starts(of: bytes)
      let line = (starts.lastIndex { $0 <= bad } ?? 0)
      let location = location(line: line + 1, byteColumn: bad - starts[line] + 1)
      throw FindingsError([
        Finding(
          .error, file: file, at: SourceSpan(location), "not valid UTF-8 (byte 0x\(String(bytes[bad], radix: 16)))")
      ])
    }
  }

  /// Reads `path` through `SourceFile`: a regular file (never a pipe or a
  /// device), outside `.git`, inside `root` when given (the inventory's
  /// repository), and nothing over `maxBytes` read whole.
  public static func read(path: String, root: String? = nil) throws(FindingsError) -> LessonsSource {
    let descriptor = try SourceFile.open(path: path, SourceFile.Rules(maxBytes: maxBytes, root: root, outsideGit: true))
    defer { _ = close(descriptor) }
    // Read straight into the bytes kept (through Data, a megabytes-long
    // file would be read and then copied once more), up to one byte past
    // the limit so that a larger file is noticed.
    var info = stat()
    let size = fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0
    // The first read goes into memory that is not zeroed first (the size is
    // known; megabytes of zeros would only be overwritten).
    let capacity = min(max(size, 0), maxBytes) + 1
    var count = 0
    var failure: Int32 = 0
    var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
      (count, failure) = Self.read(descriptor, into: UnsafeMutableRawBufferPointer(buffer))
      initialized = count
    }
    // A file that grew since `fstat` (or one `fstat` cannot size, a pipe):
    // read on, up to one byte past the limit.
    var full = count == capacity
    while failure == 0, full, count <= maxBytes {
      bytes += [UInt8](repeating: 0, count: min(max(count, 4096), maxBytes + 1 - count))
      let (more, error) = bytes.withUnsafeMutableBytes {
        Self.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: $0[count...]))
      }
      count += more
      failure = error
      full = count == bytes.count
    }
    if failure != 0 {
      let reason = String(cString: strerror(failure))
      throw FindingsError([Finding(.error, file: path, at: nil, "cannot be read: \(reason)")])
    }
    if count > maxBytes {
      throw FindingsError([Finding(.error, file: path, at: nil, "file is larger than \(maxBytes >> 20) MiB")])
    }
    if bytes.count > count { bytes.removeLast(bytes.count - count) }
    return try LessonsSource(file: path, bytes: bytes)
  }

  /// Reads `descriptor` into `buffer` until it is full or the file ends:
  /// the bytes read, and the error number that stopped it (0 for none).
  private static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> (Int, Int32) {
    var count = 0
    while count < buffer.count {
      let n = Glibc.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
      if n < 0 && errno == EINTR { continue }
      if n < 0 { return (count, errno) }
      if n == 0 { break }
      count += n
    }
    return (count, 0)
  }

  /// The text, for quoting lines in diagnostics.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// A 1-based line and byte column as a line and character column.
  func location(line: Int, byteColumn: Int) -> SourceLocation {
    let lineStarts = lines.starts(of: bytes)
    guard line >= 1, line <= lineStarts.count else {
      return SourceLocation(line: max(line, 1), column: max(byteColumn, 1))
    }
    let start = lineStarts[line - 1]
    let end = min(bytes.count, start + max(byteColumn - 1, 0))
    var column = 1
    for i in start..<max(start, end) where bytes[i] & 0xC0 != 0x80 { column += 1 }
    return SourceLocation(line: line, column: column)
  }

  /// Where a node starts, as a span `length` characters long.
  func span(line: Int, byteColumn: Int, length: Int = 1) -> SourceSpan {
    SourceSpan(location(line: line, byteColumn: byteColumn), length: length)
  }

  /// Where each line starts: 0, then after every line feed (`memchr`
  /// finds them a vector at a time; the file may be megabytes).
  fileprivate static func lineStarts(_ bytes: [UInt8]) -> [Int] {
    var starts = [0]
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count, let found = memchr(base + offset, 0x0A, buffer.count - offset) {
        offset = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
        starts.append(offset)
      }
    }
    return starts
  }

  /// Offset of the first byte that is not part of well-formed UTF-8.
  static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var i = 0
    let n = bytes.count
    while i < n {
      // Most of a lessons file is ASCII: eight bytes at a time while no
      // byte has its high bit set.
      while i + 8 <= n,
        bytes.withUnsafeBytes({ $0.loadUnaligned(fromByteOffset: i, as: UInt64.self) })
          & 0x8080_8080_8080_8080 == 0
      {
        i += 8
      }
      guard i < n else { break }
      let b = bytes[i]
      if b < 0x80 {
        i += 1
        continue
      }
      let (length, minimum, lead): (Int, UInt32, UInt8)
      switch b {
      case 0xC2...0xDF: (length, minimum, lead) = (2, 0x80, b & 0x1F)
      case 0xE0...0xEF: (length, minimum, lead) = (3, 0x800, b & 0x0F)
      case 0xF0...0xF4: (length, minimum, lead) = (4, 0x10000, b & 0x07)
      default: return i
      }
      var value = UInt32(lead)
      guard i + length <= n else { return i }
      for k in 1..<length {
        let c = bytes[i + k]
        guard c & 0xC0 == 0x80 else { return i }
        value = value << 6 | UInt32(c & 0x3F)
      }
      if value < minimum || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return i }
      i += length
    }
    return nil
  }
}
