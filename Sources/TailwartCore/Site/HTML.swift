/// Escaping for text and attribute values that tailwart writes into pages
/// itself (Markdown goes through cmark-gfm). The same five characters as
/// Mustache's `{{x}}`, so a value reads the same whichever path it took.
enum HTML {
  static func escape(_ text: String) -> String {
    // Most values have nothing to escape: one scan over the contiguous
    // bytes says so, and the text is returned as it is.
    var text = text
    let escaped = text.withUTF8 { bytes -> String? in
      guard bytes.contains(where: isSpecial) else { return nil }
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count + 16)
      appendEscaped(bytes, to: &out)
      return String(decoding: out, as: UTF8.self)
    }
    return escaped ?? text
  }

  /// `escape` for UTF-8 bytes, appended to `out` (pages are built as bytes).
  static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    var run = 0
    for i in bytes.indices where isSpecial(bytes[i]) {
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
      switch bytes[i] {
      case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
      case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
      case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
      case 0x22: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
      default: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
      }
      run = i + 1
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
  }

  private static func isSpecial(_ byte: UInt8) -> Bool {
    byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
  }
}
