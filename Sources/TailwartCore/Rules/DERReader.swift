/// Reads DER tag-length-value items one after another; nil on anything
/// malformed (indefinite lengths, lengths past the end).
struct DERReader {
  private let bytes: [UInt8]
  private var index = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var atEnd: Bool { index == bytes.count }

  mutating func read() -> (tag: UInt8, content: [UInt8])? {
    guard index + 2 <= bytes.count else { return nil }
    let tag = bytes[index]
    var length = Int(bytes[index + 1])
    var cursor = index + 2
    if length & 0x80 != 0 {
      let octets = length & 0x7F
      guard (1...3).contains(octets), cursor + octets <= bytes.count else { return nil }
      length = 0
      for byte in bytes[cursor..<(cursor + octets)] { length = length << 8 | Int(byte) }
      cursor += octets
    }
    guard cursor + length <= bytes.count else { return nil }
    index = cursor + length
    return (tag, Array(bytes[cursor..<(cursor + length)]))
  }
}
