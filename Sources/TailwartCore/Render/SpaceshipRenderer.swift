import Foundation

/// `dns/spaceship.json`: the record set as the body of Spaceship's
/// `PUT /dns/records/{domain}`, one item per record, TTL on each. Sent with
/// `force: true` it replaces each (name, type) set it names and leaves every
/// other record alone (lesson 13), so Stalwart's challenge records survive.
///
/// JSON has no comments, so this file carries no header; `dns/zone.db`
/// beside it says where both come from.
public enum SpaceshipRenderer: Renderer {
  public static let path = "dns/spaceship.json"
  public static let paths = [path]
  /// The TTLs Spaceship accepts.
  public static let ttlRange = 60...3600

  public static func render(_ checked: CheckedDeployment, context: RenderContext) throws -> [Output] {
    [try payload(DNSRecordSet(checked), file: checked.deployment.file)]
  }

  static func payload(_ set: DNSRecordSet, file: String) throws -> Output {
    let findings = problems(set.records, file: file)
    if !findings.isEmpty { throw FindingsError(findings) }
    let body = SpaceshipUpsert(force: true, items: set.records.map { SpaceshipRecord($0, zone: set.zone) })
    return Output(path: path, bytes: try encode(body) + [UInt8(ascii: "\n")])
  }

  /// What Spaceship would refuse in these records (`check` asks too).
  static func problems(_ records: [DNSRecord], file: String) -> [Finding] {
    var findings: [Finding] = []
    var reported: Set<SourceSpan> = []
    for record in records where !ttlRange.contains(record.ttl.value) && reported.insert(record.ttl.span).inserted {
      findings.append(
        Finding(
          .error, file: file, at: record.ttl.span,
          "a TTL of \(record.ttl.value) seconds is outside what spaceship accepts (60 to 3600)",
          help: "use a ttl from 60 to 3600"))
    }
    if records.count > SpaceshipUpsert.maxItems {
      findings.append(
        Finding(
          .error, file: file, at: nil,
          "the record set has \(records.count) records; spaceship takes at most \(SpaceshipUpsert.maxItems) in one request",
          help: "publish fewer extra records"))
    }
    return findings
  }

  /// Sorted keys and fixed indentation: the same records give the same bytes.
  static func encode(_ body: SpaceshipUpsert) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return Array(try encoder.encode(body))
  }

  /// Decodes the body back and judges every item's shape.
  public static func selfCheck(_ output: Output) throws {
    func fail(_ problem: String) -> SelfCheckError { SelfCheckError(path: output.path, problem: problem) }
    let body: SpaceshipUpsert
    do {
      body = try JSONDecoder().decode(SpaceshipUpsert.self, from: Data(output.bytes))
    } catch {
      throw fail("not a records request: \(error)")
    }
    guard body.force == true else { throw fail("force is not true") }
    guard (1...SpaceshipUpsert.maxItems).contains(body.items.count) else { throw fail("\(body.items.count) items") }
    for item in body.items {
      if let problem = item.shapeProblem { throw fail(problem) }
      let labels = [item.name, item.service ?? ""].flatMap { $0.split(separator: ".") }
      if let owned = labels.first(where: { DNSRecordSet.stalwartOwnedLabels.contains($0) }) {
        throw fail("\(owned) is Stalwart's own record")
      }
    }
    guard try encode(body) + [UInt8(ascii: "\n")] == output.bytes else {
      throw fail("does not encode back to the same bytes")
    }
  }
}
