/// The body of Spaceship's `PUT /dns/records/{domain}`: record sets to
/// create or replace, keyed by (name, type); sets not named stay as they
/// are. `force` lets it replace existing records.
public struct SpaceshipUpsert: Codable, Sendable, Equatable {
  public var force: Bool?
  public var items: [SpaceshipRecord]

  /// Spaceship takes at most this many items in one request.
  public static let maxItems = SpaceshipLimits.maxItems

  public init(force: Bool? = true, items: [SpaceshipRecord]) {
    self.force = force
    self.items = items
  }
}
