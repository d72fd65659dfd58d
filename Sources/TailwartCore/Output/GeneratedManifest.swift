import Foundation

/// `.tailwart-manifest.json` in every folder tailwart writes: which command
/// owns the folder and the SHA-256 of each file as tailwart last wrote it.
/// A file whose bytes still match is tailwart's to replace or, once no
/// longer made, to remove; a file whose bytes changed was edited by hand,
/// and one the manifest does not list is someone else's: neither is
/// overwritten without `--force`, nor ever removed.
struct GeneratedManifest: Codable, Equatable, Sendable {
  static let fileName = ".tailwart-manifest.json"

  var generator = "tailwart"
  /// The command whose files these are (`render`, `site`); a manifest
  /// written before the site shared it names none and is render's.
  var command: String?
  /// Output path → SHA-256 (hex) of the bytes written.
  var files: [String: String]

  init(command: OutputCommand, files: [String: String]) {
    self.command = command.rawValue
    self.files = files
  }

  /// The command that owns the folder.
  var owner: String { command ?? OutputCommand.render.rawValue }

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

/// The commands that write a folder. Each keeps a folder of its own: a
/// site built into `deploy` would otherwise remove render's files as pages
/// it no longer makes.
public enum OutputCommand: String, Sendable {
  case render
  case site

  /// Whether each file is flushed to disk before the write commits, so
  /// that even a power cut cannot lose it. render's few files configure
  /// the mail server and are; the site is made again from its source by
  /// the next build, and a flush per page (milliseconds each on a disk)
  /// would cost a large site seconds. A killed process loses nothing
  /// either way: the system still holds what it wrote.
  var flushesEachFile: Bool { self == .render }
}
