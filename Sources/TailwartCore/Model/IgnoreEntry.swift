/// A deliberate exception (`ignore:` in the inventory): one rule's finding
/// at one place, kept with the reason. The finding is still printed, marked
/// as ignored, and no longer stops `check` or `render`.
public struct IgnoreEntry: Sendable {
  public var rule: Located<String>
  /// The key path of the value the finding points at (`edge.public_ipv4`,
  /// `dns.hosts.mail[0]`).
  public var at: Located<String>
  public var reason: Located<String>?
  /// The list item, for findings about the entry itself.
  public var span: SourceSpan
  /// `ignore[2]`, as messages name it.
  public var name: String
}
