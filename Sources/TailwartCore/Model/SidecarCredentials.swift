/// What the sidecar's auth variable holds. Tailscale treats the two
/// differently (`resolveAuthKey` in its client): an OAuth client secret
/// (`tskey-client-…`) is read as `secret?ephemeral=BOOL&preauthorized=BOOL`
/// and needs `--advertise-tags`; an auth key (`tskey-auth-…`) is sent to the
/// control server exactly as given, so a suffix would become part of the
/// key. With an auth key, ephemeral and tags are set when the key is made.
public enum AuthKeyKind: String, Sendable, CaseIterable {
  case authKey = "auth-key"
  case oauthClientSecret = "oauth-client-secret"

  /// The prefix Tailscale gives this kind of credential.
  public var prefix: String {
    switch self {
    case .authKey: "tskey-auth-"
    case .oauthClientSecret: "tskey-client-"
    }
  }
}

/// A Compose project name: lowercase letters, digits, `-` and `_`,
/// starting with a letter or digit (Compose's own rule).
public struct ComposeProjectName: Sendable, Hashable, CustomStringConvertible {
  public let text: String

  public init?(_ text: String) {
    guard let first = text.unicodeScalars.first, text.count <= 63,
      ("a"..."z").contains(first) || ("0"..."9").contains(first),
      text.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" })
    else { return nil }
    self.text = text
  }

  public var description: String { text }
}

/// A site the edge serves itself: Caddy terminates TLS for `name` and
/// proxies it to `upstream` (a tailnet machine by MagicDNS name, or a
/// host:port it can reach).
public struct EdgeSite: Sendable {
  public var name: Located<DomainName>
  public var upstream: Endpoint
}
