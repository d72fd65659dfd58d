/// The search index, shipped as a script (`search-index.js`) that sets
/// `window.TAILWART_SEARCH`, so the search page works from `file://` where
/// fetching a JSON file is not allowed.
struct SearchIndex {
  /// Characters of body text kept per page: enough to find a page by the
  /// words in it, small enough that thousands of lessons stay a light file.
  static let textLimit = 1_500

  private var entries: [String] = []

  /// `url` is relative to the site's root (the search page sits there).
  mutating func add(title: String, url: String, kind: String, summary: String, text: String) {
    let fields = [("t", title), ("u", url), ("k", kind), ("s", summary), ("x", String(text.prefix(Self.textLimit)))]
    entries.append("{" + fields.map { "\"\($0.0)\":" + Self.quote($0.1) }.joined(separator: ",") + "}")
  }

  /// The script.
  var script: String { "window.TAILWART_SEARCH = [\n" + entries.joined(separator: ",\n") + "\n];\n" }

  /// A JSON string literal that is also safe inside a script: the JSON
  /// quoting every output uses, and no raw `<`, `>` or `&` (JSON's own
  /// escapes never contain them, so replacing them afterwards is safe).
  static func quote(_ text: String) -> String {
    HuJSON.quote(text)
      .replacingOccurrences(of: "<", with: "\\u003c")
      .replacingOccurrences(of: ">", with: "\\u003e")
      .replacingOccurrences(of: "&", with: "\\u0026")
  }
}
