import Foundation

/// The "write" step, and the only code of the site that touches the disk.
/// A page whose bytes are already on disk is left alone (its modification
/// time too); others are written to a temporary file and renamed into place,
/// so a reader never sees half a page. Paths are checked again here: nothing
/// can land outside the output folder, not even through a symbolic link.
struct SiteWriter {
  let root: URL
  private(set) var files = 0
  private(set) var written = 0
  private var checkedFolders: Set<String> = []

  init(root: URL) throws(SiteError) {
    self.root = root.standardizedFileURL
    try makeFolder(self.root.path)
  }

  mutating func write(_ page: SitePage) throws(SiteError) {
    guard OutputPath.isSafe(page.path) else {
      throw failure(page.path, "refusing to write \(page.path): not a plain path inside the output folder")
    }
    let parts = page.path.split(separator: "/").map(String.init)
    var folder = root.path
    for part in parts.dropLast() {
      folder += "/" + part
      try makeFolder(folder)
    }
    let path = folder + "/" + parts[parts.count - 1]
    files += 1
    if let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
      if attributes[.type] as? FileAttributeType == .typeSymbolicLink || attributes[.type] as? FileAttributeType == .typeDirectory {
        throw failure(path, "refusing to replace \(path): it is not a regular file")
      }
      if (attributes[.size] as? NSNumber)?.intValue == page.bytes.count,
        let existing = FileManager.default.contents(atPath: path), existing.elementsEqual(page.bytes)
      {
        return
      }
    }
    do {
      try Data(page.bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw failure(path, "cannot write: \(error.localizedDescription)")
    }
    written += 1
  }

  /// Creates `path` as a real folder, or checks that it is one (a symbolic
  /// link could lead the site anywhere on disk).
  private mutating func makeFolder(_ path: String) throws(SiteError) {
    if checkedFolders.contains(path) { return }
    if let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
      let type = attributes[.type] as? FileAttributeType
      if type == .typeSymbolicLink && path != root.path {
        throw failure(path, "refusing to write through the symbolic link \(path)")
      }
      if type != .typeDirectory && !(type == .typeSymbolicLink && path == root.path) {
        throw failure(path, "\(path) exists and is not a folder")
      }
    } else {
      do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: path == root.path)
      } catch {
        throw failure(path, "cannot create the folder: \(error.localizedDescription)")
      }
    }
    checkedFolders.insert(path)
  }

  private func failure(_ path: String, _ message: String) -> SiteError {
    SiteError(step: .write, file: path, findings: [Finding(.error, file: path, at: nil, message)])
  }
}
