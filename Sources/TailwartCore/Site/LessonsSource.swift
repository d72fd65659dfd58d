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

  /// Reads `path` through `SourceFile`: a regular file (never a pipe or a
  /// device, which it refuses without waiting on them), outside `.git`,
  /// inside `root` when given (the inventory's repository), and nothing over
  /// `maxBytes` read whole.
  public static func read(path: String, root: String? = nil) throws(FindingsError) -> LessonsSource {
    let bytes = try SourceFile.read(path: path, SourceFile.Rules(maxBytes: maxBytes, root: root, outsideGit: true))
    return try LessonsSource(file: path, bytes: bytes)
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
