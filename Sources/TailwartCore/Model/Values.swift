#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Parsers for every kind of value an inventory holds. Each returns nil on
/// bad input; the decoder turns that into a positioned error using
/// `expectation`, so every field of one kind is judged the same way.

public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let bytes: [UInt8]

  public init?(_ text: String) {
    var raw = in_addr()
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
      inet_pton(AF_INET, text, &raw) == 1
    else { return nil }
    bytes = withUnsafeBytes(of: raw) { Array($0) }
  }

  public init(bytes: [UInt8]) { self.bytes = bytes }

  public var description: String { bytes.map(String.init).joined(separator: ".") }

  public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

  /// 100.64.0.0/10: where Tailscale numbers its nodes.
  public var isTailnet: Bool { CIDR.tailnetIPv4.contains(.v4(self)) }
}

public struct IPv6Address: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let bytes: [UInt8]

  public init?(_ text: String) {
    var raw = in6_addr()
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == ":" || $0 == ".") }),
      text.contains(":"), inet_pton(AF_INET6, text, &raw) == 1
    else { return nil }
    bytes = withUnsafeBytes(of: raw) { Array($0) }
  }

  public init(bytes: [UInt8]) { self.bytes = bytes }

  /// RFC 5952 text (lowercase, longest zero run compressed).
  public var description: String {
    var raw = in6_addr()
    withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return "::" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  public static func < (a: IPv6Address, b: IPv6Address) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

  /// fd7a:115c:a1e0::/48: Tailscale's IPv6 range.
  public var isTailnet: Bool { CIDR.tailnetIPv6.contains(.v6(self)) }
}

public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
  case v4(IPv4Address)
  case v6(IPv6Address)

  public init?(_ text: String) {
    if let a = IPv4Address(text) {
      self = .v4(a)
    } else if let a = IPv6Address(text) {
      self = .v6(a)
    } else {
      return nil
    }
  }

  public var bytes: [UInt8] {
    switch self {
    case .v4(let a): a.bytes
    case .v6(let a): a.bytes
    }
  }

  public var description: String {
    switch self {
    case .v4(let a): a.description
    case .v6(let a): a.description
    }
  }

  public var isTailnet: Bool {
    switch self {
    case .v4(let a): a.isTailnet
    case .v6(let a): a.isTailnet
    }
  }
}

/// An address block such as `100.64.0.0/10`. A bare address is accepted as a
/// host mask (/32 or /128), which is how allow-lists are usually written.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
  public let address: IPAddress
  public let prefix: Int
  /// True when written without `/n`.
  public let isHost: Bool

  public static let tailnetIPv4 = CIDR("100.64.0.0/10")!
  public static let tailnetIPv6 = CIDR("fd7a:115c:a1e0::/48")!
  public static let uniqueLocal = CIDR("fd00::/8")!

  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
    let width = address.bytes.count * 8
    if parts.count == 2 {
      guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
        parts[1].count <= 3, let prefix = Int(parts[1]), prefix <= width
      else { return nil }
      self.prefix = prefix
      isHost = false
    } else {
      prefix = width
      isHost = true
    }
    self.address = address
  }

  public var description: String { isHost ? address.description : "\(address)/\(prefix)" }

  /// True when the address has no bits set past the prefix.
  public var isNetworkAddress: Bool {
    let bytes = address.bytes
    for bit in prefix..<(bytes.count * 8) where bytes[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 {
      return false
    }
    return true
  }

  public func contains(_ other: IPAddress) -> Bool {
    let a = address.bytes
    let b = other.bytes
    guard a.count == b.count else { return false }
    for bit in 0..<prefix {
      let mask: UInt8 = 0x80 >> UInt8(bit % 8)
      if a[bit / 8] & mask != b[bit / 8] & mask { return false }
    }
    return true
  }

  public func contains(_ other: CIDR) -> Bool { other.prefix >= prefix && contains(other.address) }

  public func overlaps(_ other: CIDR) -> Bool { contains(other) || other.contains(self) }
}

/// A TCP/UDP port, 1–65535.
public struct Port: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let number: Int

  public init?(_ number: Int) {
    guard (1...65535).contains(number) else { return nil }
    self.number = number
  }

  public var description: String { String(number) }
  public static func < (a: Port, b: Port) -> Bool { a.number < b.number }

  /// Ports a VPS provider blocks when it blocks outbound SMTP.
  public static let smtpPorts: Set<Int> = [25, 465, 587, 2525]
}

/// A DNS host name: letters, digits and hyphens in dot-separated labels of
/// 1–63 characters, 253 at most, no trailing dot. Stored lowercase.
public struct DomainName: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let text: String

  public init?(_ raw: String) {
    var text = raw.lowercased()
    if text.hasSuffix(".") { text.removeLast() }
    guard !text.isEmpty, text.utf8.count <= 253 else { return nil }
    let labels = text.split(separator: ".", omittingEmptySubsequences: false)
    for label in labels {
      guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-",
        label.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" })
      else { return nil }
    }
    // An all-numeric name is an address typo, not a host.
    guard !labels.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return nil }
    self.text = text
  }

  public var labels: [Substring] { text.split(separator: ".") }
  public var description: String { text }
  public static func < (a: DomainName, b: DomainName) -> Bool { a.text < b.text }

  /// True for the name itself or any name below it.
  public func isWithin(_ zone: DomainName) -> Bool { text == zone.text || text.hasSuffix("." + zone.text) }

  /// The name relative to `zone` ("@" for the apex), or nil outside it.
  public func relative(to zone: DomainName) -> String? {
    if text == zone.text { return "@" }
    guard text.hasSuffix("." + zone.text) else { return nil }
    return String(text.dropLast(zone.text.count + 1))
  }
}

/// A DNS owner name inside the mail domain: `@`, `mail`, `_dmarc`,
/// `202601e._domainkey`. Underscore labels are allowed (service records).
public struct RecordName: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Relative to the zone; "@" for the apex.
  public let relative: String

  public init?(_ raw: String, zone: DomainName) {
    var text = raw.lowercased()
    if text == "@" {
      relative = "@"
      return
    }
    if text.hasSuffix(".") { text.removeLast() }
    if text == zone.text {
      relative = "@"
      return
    }
    if text.hasSuffix("." + zone.text) { text = String(text.dropLast(zone.text.count + 1)) }
    guard !text.isEmpty, text.utf8.count + zone.text.utf8.count < 253 else { return nil }
    for label in text.split(separator: ".", omittingEmptySubsequences: false) {
      guard (1...63).contains(label.utf8.count),
        label.unicodeScalars.allSatisfy({
          ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_"
        }) || label == "*"
      else { return nil }
    }
    relative = text
  }

  public func absolute(in zone: DomainName) -> String { relative == "@" ? zone.text : "\(relative).\(zone.text)" }
  public var description: String { relative }
  public static func < (a: RecordName, b: RecordName) -> Bool { a.relative < b.relative }
}

/// A Tailscale tag, `tag:name`.
public struct TailscaleTag: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let name: String

  public init?(_ text: String) {
    guard text.hasPrefix("tag:") else { return nil }
    let name = text.dropFirst(4)
    guard !name.isEmpty, name.first!.isLetter,
      name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") })
    else { return nil }
    self.name = String(name)
  }

  public var description: String { "tag:\(name)" }
  public static func < (a: TailscaleTag, b: TailscaleTag) -> Bool { a.name < b.name }
}

/// A tailnet's MagicDNS suffix, e.g. `tail7b1641.ts.net`.
public struct TailnetName: Sendable, Hashable, CustomStringConvertible {
  public let domain: DomainName

  public init?(_ text: String) {
    guard let domain = DomainName(text), domain.text.hasSuffix(".ts.net"), domain.labels.count == 3 else { return nil }
    self.domain = domain
  }

  public var description: String { domain.text }

  /// The MagicDNS name of a machine in this tailnet.
  public func magicDNSName(of machine: String) -> String { "\(machine).\(domain.text)" }
}

/// A tailnet machine name (a single DNS label, as Tailscale shows it).
public struct MachineName: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let text: String

  public init?(_ raw: String) {
    let text = raw.lowercased()
    guard (1...63).contains(text.utf8.count), text.first != "-", text.last != "-",
      text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") })
    else { return nil }
    self.text = text
  }

  public var description: String { text }
  public static func < (a: MachineName, b: MachineName) -> Bool { a.text < b.text }
}

/// A duration as Compose writes it: `10s`, `1m30s`, `500ms`.
public struct ComposeDuration: Sendable, Hashable, CustomStringConvertible {
  public let text: String
  public let milliseconds: Int

  public init?(_ text: String) {
    var total = 0
    var digits = ""
    var rest = Substring(text)
    guard !text.isEmpty else { return nil }
    while let c = rest.first {
      if c.isASCII && c.isNumber {
        digits.append(c)
        rest = rest.dropFirst()
        continue
      }
      guard let n = Int(digits) else { return nil }
      let unit: Int
      if rest.hasPrefix("ms") {
        unit = 1
        rest = rest.dropFirst(2)
      } else if rest.hasPrefix("h") {
        unit = 3_600_000
        rest = rest.dropFirst()
      } else if rest.hasPrefix("m") {
        unit = 60_000
        rest = rest.dropFirst()
      } else if rest.hasPrefix("s") {
        unit = 1000
        rest = rest.dropFirst()
      } else {
        return nil
      }
      total += n * unit
      digits = ""
    }
    guard digits.isEmpty, total > 0 else { return nil }
    self.text = text
    milliseconds = total
  }

  public var description: String { text }
}

/// The name of an environment variable (never its value).
public struct EnvironmentVariableName: Sendable, Hashable, CustomStringConvertible {
  public let text: String

  public init?(_ text: String) {
    guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isUppercase),
      text.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isUppercase || ("0"..."9").contains($0))) })
    else { return nil }
    self.text = text
  }

  public var description: String { text }
}
