extension String {
  /// Without leading and trailing spaces, tabs and line breaks (a byte
  /// scan: Foundation's trimming is costly on thousands of paragraphs).
  var trimmed: String {
    let bytes = utf8
    guard let first = bytes.firstIndex(where: { !Self.isSpace($0) }) else { return "" }
    let last = bytes.lastIndex(where: { !Self.isSpace($0) })!
    return String(self[first...last])
  }

  private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
}
