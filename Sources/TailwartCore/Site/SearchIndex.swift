/// The search index, shipped as a script (`search-index.js`) that sets
/// `window.TAILWART_SEARCH`, so the search page works from `file://` where
/// fetching a JSON file is not allowed.
struct SearchIndex {
  /// Characters of body text kept per page: enough to find a page by the
  /// words in it, small enough that thousands of lessons stay a light file.
  static let textLimit = 1_500

  private var bytes: [UInt8] = []
  private(set) var count = 0

  init() {}

  /// An index with room for about `entries` pages' entries (the buffer is
  /// reserved once, not regrown and copied as it fills).
  init(reservingFor entries: Int) { bytes.reserveCapacity(entries * 2 * Self.textLimit) }

  /// `url` is relative to the site's root (the search page sits there).
  mutating func add(title: String, url: String, kind: String, summary: String, text: String) {
    if count > 0 { bytes.append(contentsOf: ",\n".utf8) }
    bytes.append(contentsOf: "{\"t\":".utf8)
    Self.quote(title, into: &bytes)
    bytes.append(contentsOf: ",\"u\":".utf8)
    Self.quote(url, into: &bytes)
    bytes.append(contentsOf: ",\"k\":".utf8)
    Self.quote(kind, into: &bytes)
    bytes.append(contentsOf: ",\"s\":".utf8)
    Self.quote(summary, into: &bytes)
    bytes.append(contentsOf: ",\"x\":".utf8)
    Self.quote(text, into: &bytes, limit: Self.textLimit)
    bytes.append(UInt8(ascii: "}"))
    count += 1
  }

  /// The script holding the entries of `parts`, in order, as pieces to
  /// write one after the other: the index of a large site runs to
  /// megabytes, and is not copied into one buffer.
  static func script(_ parts: [SearchIndex]) -> [[UInt8]] {
    var pieces = [Array("window.TAILWART_SEARCH = [\n".utf8)]
    for part in parts where part.count > 0 {
      if pieces.count > 1 { pieces.append(Array(",\n".utf8)) }
      pieces.append(part.bytes)
    }
    pieces.append(Array("\n];\n".utf8))
    return pieces
  }

  /// A JSON string literal that is also safe inside a script: no raw `<`,
  /// `>`, `&`, line or paragraph separators, or control characters. With a
  /// `limit`, at most that many characters are kept.
  static func quote(_ text: String, into out: inout [UInt8], limit: Int = .max) {
    out.append(0x22)
    var text = text
    text.withUTF8 { all in
      // The characters kept end where the one past the limit starts (a
      // text of no more bytes than the limit cannot have more characters).
      var end = all.count
      if all.count > limit {
        var characters = 0
        end = 0
        while end < all.count {
          if all[end] & 0xC0 != 0x80 {
            characters += 1
            if characters > limit { break }
          }
          end += 1
        }
      }
      let bytes = UnsafeBufferPointer(rebasing: all[..<end])
      // Bytes that need no escape are copied in runs, not one by one: the
      // index holds a page's worth of text per lesson.
      var run = 0
      var i = 0
      func flush() { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
      while i < bytes.count {
        // Eight bytes at a time while none of them may need a look.
        while i + 8 <= bytes.count,
          !mayNeedLook(UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self))
        {
          i += 8
        }
        guard i < bytes.count else { break }
        let byte = bytes[i]
        if !needsLook(byte) {
          i += 1
          continue
        }
        let escape: [UInt8]?
        switch byte {
        case 0x22: escape = [0x5C, 0x22]
        case 0x5C: escape = [0x5C, 0x5C]
        case 0x0A: escape = [0x5C, 0x6E]
        case 0x0D: escape = [0x5C, 0x72]
        case 0x09: escape = [0x5C, 0x74]
        case 0x3C, 0x3E, 0x26, 0x00..<0x20, 0x7F: escape = unicodeEscape(UInt32(byte))
        case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
          // U+2028 and U+2029 (E2 80 A8/A9) end a line in older JavaScript.
          flush()
          out.append(contentsOf: unicodeEscape(bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029))
          i += 3
          run = i
          continue
        default: escape = nil
        }
        if let escape {
          flush()
          out.append(contentsOf: escape)
          run = i + 1
        }
        i += 1
      }
      flush()
    }
    out.append(0x22)
  }

  /// Whether any of the eight bytes in `word` may need escaping: a
  /// control character, `"`, `&`, `<`, `>`, a backslash, DEL, or any byte of a
  /// non-ASCII character (the per-byte check sorts those out). The usual
  /// bit tricks for "some byte is zero" and "some byte is less than n"
  /// flag every such byte and, at worst, a byte above one: a false alarm
  /// only sends the scan back to one byte at a time.
  private static func mayNeedLook(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
    func has(_ byte: UInt64) -> UInt64 { hasZero(word ^ (ones &* byte)) }
    let below32 = (word &- ones &* 0x20) & ~word & highs
    return (below32 | has(0x22) | has(0x26) | has(0x3C) | has(0x3E) | has(0x5C) | has(0x7F) | word & highs) != 0
  }

  /// Whether `byte` may need escaping (most bytes of a text do not). Below
  /// 0x40 a bit mask answers at once: controls, `"`, `&`, `<` and `>`.
  private static func needsLook(_ byte: UInt8) -> Bool {
    if byte < 0x40 { return lowBytesToLookAt >> UInt64(byte) & 1 == 1 }
    return byte == 0x5C || byte == 0x7F || byte == 0xE2
  }

  /// Bits 0x00...0x1F, then 0x22 and 0x26 (0x44 << 32), 0x3C and 0x3E
  /// (0x5 << 60). A literal, so reading it costs nothing.
  private static let lowBytesToLookAt: UInt64 = 0x5000_0044_FFFF_FFFF

  /// `\uXXXX` for `value`.
  private static func unicodeEscape(_ value: UInt32) -> [UInt8] {
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = [0x5C, 0x75]
    for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((value >> UInt32(shift)) & 0xF)]) }
    return out
  }

  /// `quote` as a String, for tests.
  static func quote(_ text: String) -> String {
    var out: [UInt8] = []
    quote(text, into: &out)
    return String(decoding: out, as: UTF8.self)
  }
}
