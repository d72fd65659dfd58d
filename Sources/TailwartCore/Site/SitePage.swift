/// One file of the site: its path below the output folder and its bytes,
/// in one or more parts written one after the other (the search index of a
/// large site runs to megabytes and is never copied into one buffer).
struct SitePage {
  let path: String
  let parts: [[UInt8]]

  init(path: String, text: String) {
    self.path = path
    parts = [Array(text.utf8)]
  }

  init(path: String, bytes: [UInt8]) {
    self.path = path
    parts = [bytes]
  }

  init(path: String, parts: [[UInt8]]) {
    self.path = path
    self.parts = parts
  }

  var count: Int { parts.reduce(0) { $0 + $1.count } }

  /// All the bytes in one buffer.
  var bytes: [UInt8] { parts.count == 1 ? parts[0] : Array(parts.joined()) }
}
