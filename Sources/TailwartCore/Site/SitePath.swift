/// Links between pages of the site. Every link is relative, so the site
/// works from any folder, from `file://`, and behind any URL prefix.
enum SitePath {
  /// "../" once per folder `page` sits in ("" for the root).
  static func root(from page: String) -> String {
    String(repeating: "../", count: page.split(separator: "/", omittingEmptySubsequences: false).count - 1)
  }

  /// The href from `page` to `target` (both relative to the site's root),
  /// each part percent-encoded.
  static func relative(from page: String, to target: String) -> String {
    let from = page.split(separator: "/", omittingEmptySubsequences: false).dropLast()
    var to = target.split(separator: "/", omittingEmptySubsequences: false)
    var common = 0
    while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
    to.removeFirst(common)
    let up = Array(repeating: "..", count: from.count - common)
    return (up + to.map { encode(String($0)) }).joined(separator: "/")
  }

  /// An href fragment for an id ("#L12", "#6-the-sidecar-is-ephemeral").
  static func fragment(_ id: String) -> String { "#" + encode(id) }

  /// Percent-encodes everything but RFC 3986's unreserved characters, so a
  /// file or heading name can never end an attribute or start a scheme.
  static func encode(_ part: String) -> String {
    var out = ""
    for byte in part.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
      }
    }
    return out
  }

  /// The page that shows a generated file.
  static func filePage(_ path: String) -> String { "files/\(path).html" }

  static func rulePage(_ id: String) -> String { "rules/\(id).html" }
}
