/// The settings schema a Stalwart release speaks. Stalwart keeps its
/// settings as typed objects whose names and fields change between
/// releases (1.0 renames and regroups many of 0.16's), so a plan is always
/// for one schema: tailwart writes only the ones it knows, chosen by the
/// image tag, and refuses any other tag rather than guess.
public enum StalwartSchemaVersion: String, Sendable, CaseIterable {
  /// Stalwart 0.16.x; the object table was taken from 0.16.19's schema.
  case v0_16 = "0.16"

  /// The schema of the image `reference` (`stalwartlabs/stalwart:v0.16.19`),
  /// or nil when its tag names no release tailwart knows (`latest`, no tag,
  /// a digest only, `v1.0`).
  public init?(image reference: String) {
    var name = Substring(reference)
    if let at = name.firstIndex(of: "@") { name = name[..<at] }
    guard let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") else { return nil }
    var tag = name[name.index(after: colon)...]
    if tag.hasPrefix("v") { tag = tag.dropFirst() }
    let parts = tag.split(separator: ".", omittingEmptySubsequences: false)
    guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
    else { return nil }
    guard parts[0] == "0", parts[1] == "16" else { return nil }
    self = .v0_16
  }

  /// The tag tailwart suggests for this schema.
  public var suggestedTag: String {
    switch self {
    case .v0_16: "v0.16"
    }
  }
}
