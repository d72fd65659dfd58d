import Mustache

/// The templates under `templates/`, compiled into the binary, filled with
/// swift-mustache. Each template names its escaping with the
/// `{{% CONTENT_TYPE: … }}` pragma: `YAML` quotes every `{{value}}` as a YAML
/// double-quoted scalar, `CADDYFILE` makes it a safe Caddyfile token. Triple
/// braces are for numbers and for text the renderer built itself.
enum Templates {
  struct Missing: Error, CustomStringConvertible {
    var name: String
    var description: String { "template \(name) is not compiled into tailwart" }
  }

  private struct YAMLScalars: MustacheContentType {
    func escapeText(_ text: String) -> String { YAMLText.doubleQuoted(text) }
  }

  private struct CaddyfileTokens: MustacheContentType {
    func escapeText(_ text: String) -> String { CaddyfileText.token(text) }
  }

  /// Registers the content types once, before any template is parsed.
  private static let registered: Bool = {
    MustacheContentTypes.register(YAMLScalars(), named: "YAML")
    MustacheContentTypes.register(CaddyfileTokens(), named: "CADDYFILE")
    return true
  }()

  /// Renders `templates/<name>` with `context`.
  static func render(_ name: String, _ context: [String: Any]) throws -> String {
    precondition(registered)
    guard let text = EmbeddedFiles.files["templates/\(name)"] else { throw Missing(name: name) }
    return try MustacheTemplate(string: text).render(context)
  }
}
