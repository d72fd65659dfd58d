import Glibc

/// Where a long Markdown file may be cut so that its pieces can be parsed
/// side by side, each by a parser of its own.
///
/// A piece starts at a line that begins with `## ` (a lesson's heading).
/// Whether that line really is a top-level heading in the whole file (and
/// not a line inside a fenced code block or an HTML block) is not decided
/// here: `MarkdownDocument` proves it from cmark's own parse of the piece
/// before, and parses the file whole when it is not. A top-level ATX
/// heading closes every open block, so a parser that starts at one reads
/// the rest exactly as a parser that read everything before it.
///
/// The only things cmark carries from one part of a file to another are
/// link reference definitions (`[label]: url`, used anywhere in the
/// document); every one of them contains `]:`, and a file that holds those
/// two bytes anywhere is not cut at all. A lone carriage return (a line
/// ending cmark counts but the line numbers here would not) keeps the file
/// whole too.
struct MarkdownPieces {
  struct Piece: Equatable {
    /// Byte range of the piece in the file.
    var bytes: Range<Int>
    /// 1-based line of the piece's first byte in the file.
    var line: Int
  }

  private(set) var pieces: [Piece]

  /// The file in at most `count` pieces of at least `minimumBytes` each,
  /// of similar size; a single piece when it cannot or need not be cut.
  init(_ bytes: UnsafeBufferPointer<UInt8>, count: Int, minimumBytes: Int) {
    let whole = [Piece(bytes: 0..<bytes.count, line: 1)]
    let wanted = min(count, bytes.count / max(minimumBytes, 1))
    guard wanted > 1, let base = bytes.baseAddress, Self.mayCut(bytes) else {
      pieces = whole
      return
    }
    // Cuts: the first candidate line at or after each even share of bytes.
    var cuts: [(offset: Int, line: Int)] = []
    var share = 1
    var target = bytes.count * share / wanted
    var line = 1
    var offset = 0
    while offset < bytes.count, share < wanted {
      guard let found = memchr(base + offset, 0x0A, bytes.count - offset) else { break }
      offset = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
      line += 1
      guard offset >= target, offset + 3 <= bytes.count, bytes[offset] == 0x23, bytes[offset + 1] == 0x23,
        bytes[offset + 2] == 0x20
      else { continue }
      if offset - (cuts.last?.offset ?? 0) >= minimumBytes, bytes.count - offset >= minimumBytes {
        cuts.append((offset, line))
      }
      while share < wanted, target <= offset {
        share += 1
        target = bytes.count * share / wanted
      }
    }
    let starts = [(offset: 0, line: 1)] + cuts
    pieces = starts.indices.map { k in
      let end = k + 1 < starts.count ? starts[k + 1].offset : bytes.count
      return Piece(bytes: starts[k].offset..<end, line: starts[k].line)
    }
  }

  /// False when the file holds `]:` or a carriage return that is not
  /// followed by a line feed.
  private static func mayCut(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    var offset = 0
    while offset < bytes.count, let found = memchr(base + offset, 0x5D, bytes.count - offset) {
      offset = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
      if offset < bytes.count, bytes[offset] == 0x3A { return false }
    }
    offset = 0
    while offset < bytes.count, let found = memchr(base + offset, 0x0D, bytes.count - offset) {
      offset = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
      if offset == bytes.count || bytes[offset] != 0x0A { return false }
    }
    return true
  }
}
