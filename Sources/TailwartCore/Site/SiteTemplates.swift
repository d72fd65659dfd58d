import Mustache

/// The page templates (`templates/site/*.mustache`, embedded in the binary)
/// rendered with HTML escaping: `{{x}}` escapes, `{{{x}}}` is for HTML that
/// cmark-gfm or tailwart already made safe.
struct SiteTemplates: Sendable {
  static let names = [
    "page", "index", "card", "lesson", "rule", "rules", "file", "files", "errors", "error-row", "search", "page-item",
    "rule-item", "link-item", "line-item", "rule-lesson", "rule-example", "rule-edit",
  ]

  private let library: MustacheLibrary

  /// Mustache's own HTML escaping looks up every Character in a dictionary;
  /// `HTML.escape` replaces the same five characters in a byte scan. The
  /// templates are given it by a `CONTENT_TYPE` pragma put before their
  /// first line (on that line, so error positions stay the file's own).
  private struct HTMLBytes: MustacheContentType {
    func escapeText(_ text: String) -> String { HTML.escape(text) }
  }

  /// Registers the content type once, before any template is parsed.
  private static let contentType: String = {
    MustacheContentTypes.register(HTMLBytes(), named: "SITE_HTML")
    return "{{% CONTENT_TYPE: SITE_HTML}}"
  }()

  init() throws(SiteError) {
    var library = MustacheLibrary()
    for name in Self.names {
      let key = "templates/site/\(name).mustache"
      guard let text = EmbeddedFiles.files[key].map({ Self.contentType + $0 }) else {
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
