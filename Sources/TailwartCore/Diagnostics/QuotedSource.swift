/// Whether a file's lines may be quoted under its diagnostics. A file that
/// is not an inventory (`-i ~/.aws/credentials`, `-i /proc/self/environ`)
/// gets its position only: quoting "the line with the error" of an
/// arbitrary file would print whatever that line holds.
public enum QuotedSource {
  /// True for a `.yaml` or `.yml` file that is UTF-8 text without NUL bytes.
  public static func mayQuote(path: String, bytes: [UInt8]) -> Bool {
    let name = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
    guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { return false }
    return !bytes.contains(0) && String(validating: bytes, as: UTF8.self) != nil
  }
}
