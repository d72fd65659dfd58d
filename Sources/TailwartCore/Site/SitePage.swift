/// One file of the site: its path below the output folder and its bytes.
struct SitePage {
  let path: String
  let bytes: [UInt8]

  init(path: String, text: String) {
    self.path = path
    bytes = Array(text.utf8)
  }

  init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
  }
}
