/// What Spaceship's `GET /dns/records/{domain}?take=N&skip=M` answers: one
/// page of records and how many there are in all.
public struct SpaceshipRecordList: Codable, Sendable, Equatable {
  public var items: [SpaceshipRecord]
  public var total: Int
}
