import Mustache

/// The page templates (`templates/site/*.mustache`, embedded in the binary)
/// rendered with HTML escaping: `{{x}}` escapes, `{{{x}}}` is for HTML that
/// cmark-gfm or tailwart already made safe.
struct SiteTemplates {
  static let names = [
    "page", "index", "card", "lesson", "rule", "rules", "file", "files", "errors", "error-row", "search", "page-item",
  ]

  private let library: MustacheLibrary

  init() throws(SiteError) {
    var library = MustacheLibrary()
    for name in Self.names {
      let key = "templates/site/\(name).mustache"
      guard let text = EmbeddedFiles.files[key] else {
        throw SiteError(
          step: .pages, file: key, findings: [Finding(.error, file: key, at: nil, "template missing from this build")])
      }
      do {
        try library.register(text, named: name)
      } catch {
        throw SiteError(
          step: .pages, file: key, findings: [Finding(.error, file: key, at: nil, "template does not parse: \(error)")])
      }
    }
    self.library = library
  }

  func render(_ name: String, _ data: [String: Any]) -> String {
    library.render(data, withTemplate: name) ?? ""
  }
}
