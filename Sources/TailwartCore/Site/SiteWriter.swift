import Foundation

/// The "write" step. The pages collect here as they are made; `finish`
/// hands them all to the folder writer `render` uses (`OutputWriter`),
/// which writes only the pages that changed, all or none, removes the
/// pages an earlier build made and this one no longer does (when they
/// still hold what tailwart wrote), and never overwrites a file tailwart
/// did not write unless forced. The folder's `.tailwart-manifest.json`
/// says which files are the site's.
struct SiteWriter {
  /// The manifest the folder writer keeps in the output folder.
  static let manifestName = GeneratedManifest.fileName

  let root: URL
  /// Overwrite files tailwart did not write (or that were edited since).
  var force = false
  /// Folders refused as the output folder (the inventory's).
  var protected: [String] = []
  /// Where tests make the write fail or stop.
  var hooks = OutputWriter.Hooks.system
  private(set) var files = 0
  private(set) var written = 0
  /// The site's files so far, in the order they were made.
  private(set) var pages: [Output] = []

  init(root: URL, force: Bool = false, protecting protected: [String] = []) throws(SiteError) {
    self.root = root.standardizedFileURL
    self.force = force
    self.protected = protected
  }

  /// Kept for the page builder: the folder writer makes folders itself.
  mutating func prepareFolder(_ relative: Substring) throws(SiteError) {}

  /// A writer for a chunk of pages: same root, its own pages (added back
  /// with `absorb`).
  func fork() -> SiteWriter {
    var copy = self
    copy.pages = []
    return copy
  }

  mutating func absorb(_ chunk: SiteWriter) {
    pages += chunk.pages
  }

  mutating func write(_ page: SitePage) throws(SiteError) {
    guard OutputPath.isSafe(page.path) else {
      throw failure(page.path, "refusing to write \(page.path): not a plain path inside the output folder")
    }
    pages.append(Output(path: page.path, bytes: page.bytes))
  }

  /// Writes the site; gives how many files of an earlier build were removed.
  mutating func finish() throws(SiteError) -> Int {
    do throws(OutputWriter.Failure) {
      let plan = try OutputWriter.plan(pages, folder: root.path, command: .site, protecting: protected)
      let report = try OutputWriter.write(plan, force: force, hooks: hooks)
      files = pages.count
      written = report.written.count
      return report.removed.count
    } catch {
      throw failure(error.path, error.problem)
    }
  }

  private func failure(_ path: String, _ message: String) -> SiteError {
    SiteError(step: .write, file: path, findings: [Finding(.error, file: path, at: nil, message)])
  }
}
