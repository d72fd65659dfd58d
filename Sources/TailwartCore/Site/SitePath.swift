/// Links between pages of the site. Every link is relative, so the site
/// works from any folder, from `file://`, and behind any URL prefix.
enum SitePath {
  /// "../" once per folder `page` sits in ("" for the root).
  static func root(from page: String) -> String {
    String(repeating: "../", count: page.utf8.count { $0 == UInt8(ascii: "/") })
  }

  /// The href from `page` to `target` (both relative to the site's root),
  /// percent-encoded.
  static func relative(from page: String, to target: String) -> String {
    // Most links start at the root or stay in one folder: no splitting.
    // (Byte searches: `String.contains(_:)` with a string goes through
    // Foundation, and this runs for every cross link.)
    guard let slash = page.utf8.lastIndex(of: UInt8(ascii: "/")) else { return encodePath(target) }
    let folder = page.utf8[...slash]
    if target.utf8.starts(with: folder), !target.utf8.dropFirst(folder.count).contains(UInt8(ascii: "/")) {
      return encode(String(decoding: target.utf8.dropFirst(folder.count), as: UTF8.self))
    }
    // Split as bytes: splitting a String looks at Characters, several
    // times slower, and site paths are compared byte for byte anyway.
    let from = page.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropLast()
    var to = target.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    var common = 0
    while common < from.count, common < to.count - 1, from[from.startIndex + common].elementsEqual(to[common]) {
      common += 1
    }
    to.removeFirst(common)
    let up = Array(repeating: "..", count: from.count - common)
    return (up + to.map { encode(String(Substring($0))) }).joined(separator: "/")
  }

  /// A root-relative path, each part encoded.
  static func encodePath(_ path: String) -> String {
    var copy = path
    if copy.withUTF8({ $0.allSatisfy { $0 == UInt8(ascii: "/") || isUnreserved($0) } }) { return path }
    return path.split(separator: "/", omittingEmptySubsequences: false).map { encode(String($0)) }.joined(
      separator: "/")
  }

  /// An href fragment for an id ("#L12", "#6-the-sidecar-is-ephemeral").
  static func fragment(_ id: String) -> String { "#" + encode(id) }

  /// Percent-encodes everything but unreserved characters, so a file or
  /// heading name can never end an attribute or start a scheme.
  static func encode(_ part: String) -> String {
    var copy = part
    if copy.withUTF8({ $0.allSatisfy(Self.isUnreserved) }) { return part }
    var out = ""
    for byte in part.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
      }
    }
    return out
  }

  /// A byte an href may hold as it is (RFC 3986's unreserved characters).
  static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"),
      UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
      true
    default: false
    }
  }

  /// The page that shows a generated file.
  static func filePage(_ path: String) -> String { "files/\(path).html" }

  static func rulePage(_ id: String) -> String { "rules/\(id).html" }
}
