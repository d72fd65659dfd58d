import Foundation

/// The files `tailwart init` writes for a new deployment: the reference
/// inventory (compiled into the binary) with the operator's values, a fresh
/// random ULA Global ID, no ACME account until Stalwart has one, a
/// `.gitignore` for what tailwart builds, and a copy of the project's
/// lessons so `tailwart site` works at once.
public enum NewDeployment {
  /// What the operator gave; nil keeps the reference's placeholder.
  public struct Values: Sendable {
    public var domain: DomainName?
    public var tailnet: TailnetName?
    public var edgeIPv4: IPv4Address?
    public var accountURI: String?

    public init(domain: DomainName? = nil, tailnet: TailnetName? = nil, edgeIPv4: IPv4Address? = nil, accountURI: String? = nil) {
      self.domain = domain
      self.tailnet = tailnet
      self.edgeIPv4 = edgeIPv4
      self.accountURI = accountURI
    }
  }

  /// The reference's values that `init` replaces.
  static let referenceDomain = "example.com"
  static let referenceTailnet = "tail7b1641.ts.net"
  static let referenceULA = "fd3c:91e2:5a07"
  static let referenceEdge = "203.0.113.10"
  static let referenceAccount = "https://acme-v02.api.letsencrypt.org/acme/acct/1234567890"
  static let referenceMTASTSID = "\"20260611\""

  /// Where the lessons copy goes (the reference inventory's `lessons`).
  public static let lessonsPath = "site/lessons.md"
  public static let gitignoreLines = ["_site/", ".tailwart/"]

  /// Which values are still the reference's placeholders, as the inventory
  /// names them, with the placeholder.
  public static func placeholders(_ values: Values) -> [(key: String, value: String)] {
    var out: [(String, String)] = []
    if values.domain == nil { out.append(("domain", referenceDomain)) }
    if values.tailnet == nil { out.append(("tailnet", referenceTailnet)) }
    if values.edgeIPv4 == nil { out.append(("edge.public_ipv4", referenceEdge)) }
    return out
  }

  /// A random 40-bit Global ID (RFC 4193 section 3.2.2) from the system's
  /// cryptographically secure generator. One that the ula-subnet-valid rule
  /// would take for hand-picked (a few draws in a thousand) is drawn again.
  public static func randomGlobalID() -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return randomGlobalID(using: &generator)
  }

  static func randomGlobalID<G: RandomNumberGenerator>(using generator: inout G) -> [UInt8] {
    while true {
      let bytes = (0..<5).map { _ in UInt8.random(in: 0...255, using: &generator) }
      let address = IPv6Address(bytes: [0xFD] + bytes + [UInt8](repeating: 0, count: 10))
      if ULAGlobalID(address).notRandomReason == nil, !ReferenceValuesReplaced.referenceULA.contains(.v6(address)) {
        return bytes
      }
    }
  }

  /// `fd3c:91e2:5a07`: the first three groups a Global ID makes.
  public static func prefix(_ globalID: [UInt8]) -> String {
    precondition(globalID.count == 5)
    let group = { (a: UInt8, b: UInt8) in String(UInt16(a) << 8 | UInt16(b), radix: 16) }
    return "fd" + (globalID[0] < 0x10 ? "0" : "") + String(globalID[0], radix: 16) + ":" + group(globalID[1], globalID[2])
      + ":" + group(globalID[3], globalID[4])
  }

  /// The inventory's text: the reference's body under a new header, with
  /// the values replaced.
  public static func inventory(_ values: Values, globalID: [UInt8], date: Date = Date()) -> String {
    let reference = EmbeddedFiles.files["inventory.yaml"] ?? ""
    var lines = reference.components(separatedBy: "\n")
    // The reference's own header (its leading comment block) is replaced.
    while let first = lines.first, first.hasPrefix("#") || first.isEmpty { lines.removeFirst() }
    lines = lines.flatMap { line -> [String] in
      let indent = String(line.prefix { $0 == " " })
      let body = line.dropFirst(indent.count)
      if body.hasPrefix("account_uri:") && values.accountURI == nil {
        return [
          indent + "# account_uri: set it to the account URI Stalwart shows once it has registered with the CA;"
            + " CAA then pins issuance to that account"
        ]
      }
      if body.hasPrefix("\"@\":") {
        return [indent + "# \"@\": [...]             # the apex's own addresses, if it serves a website"]
      }
      return [line]
    }

    var text = lines.joined(separator: "\n")
    text = text.replacingOccurrences(of: referenceULA, with: prefix(globalID))
    if let account = values.accountURI { text = text.replacingOccurrences(of: referenceAccount, with: account) }
    if let edge = values.edgeIPv4 { text = text.replacingOccurrences(of: referenceEdge, with: edge.description) }
    if let tailnet = values.tailnet { text = text.replacingOccurrences(of: referenceTailnet, with: tailnet.description) }
    if let domain = values.domain { text = text.replacingOccurrences(of: referenceDomain, with: domain.text) }
    text = text.replacingOccurrences(of: referenceMTASTSID, with: "\"\(day(date))\"")
    return header(values, date: date) + text
  }

  static func day(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d%02d%02d", parts.year ?? 2000, parts.month ?? 1, parts.day ?? 1)
  }

  static func header(_ values: Values, date: Date) -> String {
    var out = InventorySchema.modeline + "\n"
    out += """
      # tailwart inventory for \(values.domain?.text ?? referenceDomain): the whole mail edge in one file.
      # Written by `tailwart init` (tailwart \(TailwartVersion.current)) from the reference deployment.
      #
      #   tailwart check    refuses anything that breaks a known lesson (pre-commit)
      #   tailwart render   writes the files under `output` (only after a clean check)
      #   tailwart site     builds the lessons site from site/lessons.md (yours to extend)
      #
      # Every key is explained beside it; `tailwart explain --list` lists the rules.
      # Values are plain YAML: no anchors, aliases or tags. Secrets never go here:
      # name the environment variable that holds them instead. The machine names
      # under `nodes` are the reference's: rename them to match your tailnet.

      """
    let left = placeholders(values)
    if !left.isEmpty {
      out += "#\n# Placeholders still to replace:\n"
      for (key, value) in left { out += "#   \(key): \(value)\n" }
      out += "# (under a real domain, tailwart check warns about documentation addresses)\n"
    }
    return out + "\n"
  }

  /// The `.gitignore` for a new deployment's folder.
  public static let gitignore = """
    # Built by tailwart: the lessons site and backups taken before changes.
    _site/
    .tailwart/

    """

  /// The project's lessons, as compiled into this binary.
  public static var lessons: String { EmbeddedFiles.files[lessonsPath] ?? "" }
}
