/// What a link in the lessons Markdown points at, by its URL.
enum LinkTarget: Equatable {
  /// http, https or mailto: kept as written.
  case external
  /// `#id` in this document (also `lessons.md#id` naming the file itself).
  case anchor(String)
  /// The lessons file itself, without an anchor.
  case document
  /// Another file next to the lessons file: not part of the site.
  case relative
  /// Any other scheme (`javascript:`, `data:`, `file:`, `vbscript:`...).
  case unsafe(scheme: String)

  init(_ url: String, ownFile: String) {
    if url.hasPrefix("#") {
      self = .anchor(String(url.dropFirst()))
      return
    }
    if let scheme = Self.scheme(url) {
      self = ["http", "https", "mailto"].contains(scheme) ? .external : .unsafe(scheme: scheme)
      return
    }
    let (path, fragment) = Self.split(url)
    let own = ownFile.split(separator: "/").last.map(String.init) ?? ownFile
    let name = path.split(separator: "/").last.map(String.init) ?? path
    if !path.isEmpty, name == own, !path.hasPrefix("/") {
      self = fragment.map { .anchor($0) } ?? .document
      return
    }
    if path.isEmpty, fragment == nil {
      self = .anchor("")
      return
    }
    self = .relative
  }

  /// The lowercased scheme of an absolute URL ("JavaScript:..." → "javascript").
  /// Control characters and spaces browsers would skip are skipped too.
  static func scheme(_ url: String) -> String? {
    var letters = ""
    for scalar in url.unicodeScalars {
      if scalar.value <= 0x20 { continue }
      if scalar == ":" { return letters.isEmpty ? nil : letters.lowercased() }
      let isSchemeChar =
        scalar.isASCII
        && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar))
      if !isSchemeChar || (letters.isEmpty && !scalar.properties.isAlphabetic) { return nil }
      letters.unicodeScalars.append(scalar)
    }
    return nil
  }

  private static func split(_ url: String) -> (String, String?) {
    guard let hash = url.firstIndex(of: "#") else { return (url, nil) }
    return (String(url[..<hash]), String(url[url.index(after: hash)...]))
  }
}
