/// tailwart's share of the live zone: the records it publishes, and the one
/// answer to "may tailwart delete this live record?".
///
/// A live record is tailwart's when its name and type are ones tailwart
/// writes and, for TXT, its value is of a kind tailwart writes at that name
/// (`v=spf1`, `v=DMARC1`, `v=STSv1`, `v=TLSRPTv1`, `v=DKIM1`). Everything
/// else is foreign and never deleted: another service's verification TXT at
/// the apex, Stalwart's `_acme-challenge` and `_validation-persist`, the
/// provider's own records, names tailwart never writes, and every record of
/// a kind Stalwart publishes itself (`stalwart.publish_records`: one writer
/// per kind, lesson 13). The share is the record set `dns/` holds.
public struct DNSShare: Sendable {
  public let zone: DomainName
  /// The records tailwart publishes, as Spaceship items.
  public let items: [SpaceshipRecord]
  /// "owner TYPE" of every record set tailwart writes.
  let recordSets: Set<String>
  /// For each owner with TXT records: the kinds tailwart writes there
  /// (lowercased version tags), and the exact texts of untagged ones.
  let txtKinds: [String: Set<String>]
  /// The kinds Stalwart publishes: never tailwart's to delete.
  let stalwartKinds: Set<DNSRecordKind>

  public init(_ set: DNSRecordSet) {
    zone = set.zone
    stalwartKinds = Set(set.stalwartKinds)
    items = set.records.map { SpaceshipRecord($0, zone: set.zone) }
    var recordSets: Set<String> = []
    var txtKinds: [String: Set<String>] = [:]
    for record in set.records {
      let (key, kind) = Self.ownership(of: record)
      recordSets.insert(key)
      if let kind { txtKinds[record.name.relative, default: []].insert(kind) }
    }
    self.recordSets = recordSets
    self.txtKinds = txtKinds
  }

  /// The record's "owner TYPE" and, for TXT, its kind. Kept out of line:
  /// the optimizer of Swift 6.3 miscompiles the loop above with it inlined.
  @inline(never)
  static func ownership(of record: DNSRecord) -> (String, String?) {
    let data = record.data
    return (key(record.name, data.kind), text(of: data).map(txtKind))
  }

  /// Whether `live` is tailwart's to keep, change or delete.
  public func owns(_ live: SpaceshipRecord) -> Bool {
    if let group = live.group, group.type != "custom" { return false }
    guard let record = live.record(in: zone) else { return false }
    if record.name.relative.split(separator: ".").contains(where: { DNSRecordSet.stalwartOwnedLabels.contains($0) }) {
      return false
    }
    guard recordSets.contains(Self.key(record.name, record.data.kind)) else { return false }
    if let kind = DNSOwnership.kind(name: record.name.relative, type: live.type, data: live.value ?? ""),
      stalwartKinds.contains(kind)
    {
      return false
    }
    guard let text = Self.text(of: record.data) else { return true }
    return txtKinds[record.name.relative]?.contains(Self.txtKind(text)) ?? false
  }

  /// A TXT record's text; nil for other types.
  static func text(of data: DNSRecord.RData) -> String? {
    switch data {
    case .txt(let text): text
    default: nil
    }
  }

  static func key(_ name: RecordName, _ kind: DNSRecord.Kind) -> String { "\(name.relative) \(kind.rawValue)" }

  /// `v=spf1` for an SPF record (compared without case); the whole text
  /// for a TXT without a version tag, which is then tailwart's only when it
  /// is exactly a text tailwart writes.
  static func txtKind(_ text: String) -> String {
    let head = text.drop { $0 == " " }.prefix { $0 != ";" && $0 != " " }
    guard head.lowercased().hasPrefix("v="), head.count > 2 else { return "text:" + text }
    return head.lowercased()
  }
}
