/// How Stalwart sends outbound mail: through the relay or straight to the
/// recipients' MX hosts. Stalwart builds its route table only when it starts
/// (lesson 12), so `render` keeps the route on one comment line of
/// docker-compose.yml and compares it with the one already on disk.
public struct RelayRoute: Sendable, Equatable, CustomStringConvertible {
  public let description: String

  public init(_ deployment: Deployment) {
    if let relay = deployment.relay {
      description = "relay \(relay.dialAddress(in: deployment.tailnet.value))"
    } else {
      description = "direct to the recipients' MX hosts"
    }
  }

  init(description: String) { self.description = description }

  /// What the comment line starts with (after its indentation).
  static let marker = "# relay route: "

  public var commentLine: String { Self.marker + description }

  /// The route a generated docker-compose.yml records, with its 1-based
  /// line; nil when the text has no such line.
  public static func recorded(in text: String) -> (route: RelayRoute, line: Int)? {
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let trimmed = line.drop { $0 == " " }
      if trimmed.hasPrefix(marker) {
        return (RelayRoute(description: String(trimmed.dropFirst(marker.count))), index + 1)
      }
    }
    return nil
  }
}
