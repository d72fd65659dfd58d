import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The lessons Markdown as read from disk: its name for diagnostics, its
/// bytes, and where each line starts (cmark counts columns in bytes, the
/// diagnostics in characters).
public struct LessonsSource: Sendable {
  /// Largest lessons file accepted: far beyond any real notes, small
  /// enough that a wrong path (a disk image) fails fast.
  public static let maxBytes = 256 << 20

  /// The path as the operator gave it (`site/lessons.md`).
  public let file: String
  public let bytes: [UInt8]
  private let lineStarts: [Int]

  /// Checks the text is UTF-8; an invalid byte is an error at its position.
  public init(file: String, bytes: [UInt8]) throws(FindingsError) {
    self.file = file
    self.bytes = bytes
    var starts = [0]
    for (i, byte) in bytes.enumerated() where byte == 0x0A { starts.append(i + 1) }
    lineStarts = starts
    if let bad = Self.firstInvalidUTF8(bytes) {
      let line = (starts.lastIndex { $0 <= bad } ?? 0) + 1
      throw FindingsError([
        Finding(
          .error, file: file, at: span(line: line, byteColumn: bad - starts[line - 1] + 1),
          "not valid UTF-8 (byte 0x\(String(bytes[bad], radix: 16)))")
      ])
    }
  }

  /// Reads `path`: a regular file (a folder, a FIFO or a device is refused
  /// before anything is read from it) of at most `maxBytes`.
  public static func read(path: String) throws(FindingsError) -> LessonsSource {
    func refuse(_ message: String) -> FindingsError { FindingsError([Finding(.error, file: path, at: nil, message)]) }
    // Opened without waiting (a FIFO would block an ordinary open until a
    // writer came), then asked what it is.
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
      let reason = errno
      throw refuse(reason == ENOENT ? "no such lessons file" : "cannot be read: \(String(cString: strerror(reason)))")
    }
    let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw refuse("cannot be read: \(String(cString: strerror(errno)))") }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw refuse("is a folder, not a Markdown file")
    default: throw refuse("is not a regular file (a pipe, socket or device); give a Markdown file")
    }
    if Int(info.st_size) > maxBytes { throw refuse("file is larger than \(maxBytes >> 20) MiB") }
    let data: Data
    do {
      data = try handle.read(upToCount: maxBytes + 1) ?? Data()
    } catch {
      throw refuse("cannot be read: \(error.localizedDescription)")
    }
    if data.count > maxBytes { throw refuse("file is larger than \(maxBytes >> 20) MiB") }
    return try LessonsSource(file: path, bytes: [UInt8](data))
  }

  /// The text, for quoting lines in diagnostics.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// A 1-based line and byte column as a line and character column.
  func location(line: Int, byteColumn: Int) -> SourceLocation {
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

  /// Offset of the first byte that is not part of well-formed UTF-8.
  static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var offset = 0
    var decoder = UTF8()
    var iterator = bytes.makeIterator()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar): offset += UTF8.width(scalar)
      case .emptyInput: return nil
      case .error: return offset
      }
    }
  }
}
