import Mustache

/// The page templates (`templates/site/*.mustache`, embedded in the binary),
/// rendered with HTML escaping: `{{x}}` escapes, `{{{x}}}` is for HTML that
/// cmark-gfm or tailwart already made safe. Every page template extends
/// `page` (the layout: `{{<page}}{{$body}}...{{/body}}{{/page}}`), and lists
/// use partials (`{{> card}}`), so a page is one render.
struct SiteTemplates: Sendable {
  static let names = [
    "page", "index", "card", "badge", "lesson", "rule", "rules", "file", "files", "errors", "search",
  ]

  private let library: MustacheLibrary

  /// Mustache's HTML escaping, with `'` escaped too (as `HTML.escape`), given
  /// to the templates by a `CONTENT_TYPE` pragma put before their first line
  /// (on that line, so error positions stay the file's own).
  private struct SiteHTML: MustacheContentType {
    func escapeText(_ text: String) -> String { HTML.escape(text) }
  }

  /// Registers the content type once, before any template is parsed.
  private static let contentType: String = {
    MustacheContentTypes.register(SiteHTML(), named: "SITE_HTML")
    return "{{% CONTENT_TYPE: SITE_HTML}}"
  }()

  init() throws(SiteError) {
    var library = MustacheLibrary()
    for name in Self.names {
      let key = "templates/site/\(name).mustache"
      guard let text = EmbeddedFiles.files[key] else {
        throw SiteError(
          step: .pages, file: key, findings: [Finding(.error, file: key, at: nil, "template missing from this build")])
      }
      do {
        try library.register(Self.contentType + text, named: name)
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
