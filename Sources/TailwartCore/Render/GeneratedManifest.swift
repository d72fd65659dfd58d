import Foundation

/// `.tailwart-manifest.json` in the output folder: the SHA-256 of each file
/// as tailwart last wrote it. A file whose bytes no longer match was edited
/// by hand, and `render` will not overwrite it without `--force`.
struct GeneratedManifest: Codable, Equatable, Sendable {
  static let fileName = ".tailwart-manifest.json"

  var generator = "tailwart"
  /// Output path → SHA-256 (hex) of the bytes written.
  var files: [String: String]

  init(files: [String: String]) { self.files = files }

  init(outputs: [Output]) {
    files = Dictionary(outputs.map { ($0.path, SHA256.hex($0.bytes)) }, uniquingKeysWith: { a, _ in a })
  }

  /// nil for bytes that are not a manifest (then every existing file counts
  /// as one tailwart did not write).
  static func decode(_ bytes: [UInt8]) -> GeneratedManifest? {
    try? JSONDecoder().decode(GeneratedManifest.self, from: Data(bytes))
  }

  var bytes: [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return ((try? encoder.encode(self)).map(Array.init) ?? Array("{}".utf8)) + [0x0A]
  }
}
