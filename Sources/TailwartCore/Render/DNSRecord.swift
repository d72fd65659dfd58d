/// One record the mail domain publishes, as both DNS outputs write it: the
/// owner relative to the zone, a TTL, and typed data. It remembers the
/// inventory value it came from, so a problem with it can point there, and
/// the lessons and rules it exists for, so the site can link its line.
public struct DNSRecord: Sendable, Equatable {
  /// The record types tailwart publishes, in the order a zone lists them
  /// under one owner.
  public enum Kind: String, Sendable, CaseIterable, Comparable {
    case A, AAAA, CNAME, MX, TXT, SRV, CAA

    public static func < (a: Kind, b: Kind) -> Bool {
      allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
  }

  public enum RData: Sendable, Hashable {
    case a(IPv4Address)
    case aaaa(IPv6Address)
    case cname(DomainName)
    case mx(preference: Int, exchange: DomainName)
    /// The whole text; split into 255-byte strings only when written.
    case txt(String)
    /// A nil target is `.`: the service is not offered here (RFC 2782, 6186).
    case srv(priority: Int, weight: Int, port: Int, target: DomainName?)
    case caa(flags: Int, tag: String, value: String)

    public var kind: Kind {
      switch self {
      case .a: .A
      case .aaaa: .AAAA
      case .cname: .CNAME
      case .mx: .MX
      case .txt: .TXT
      case .srv: .SRV
      case .caa: .CAA
      }
    }

    /// Order within one owner and type: what a reader expects to see first.
    static func precedes(_ x: RData, _ y: RData) -> Bool {
      switch (x, y) {
      case (.a(let p), .a(let q)): return p < q
      case (.aaaa(let p), .aaaa(let q)): return p < q
      case (.cname(let p), .cname(let q)): return p < q
      case (.mx(let p, let e), .mx(let q, let f)): return (p, e.text) < (q, f.text)
      case (.txt(let p), .txt(let q)): return Array(p.utf8).lexicographicallyPrecedes(Array(q.utf8))
      case (.srv(let p, let w, let n, let t), .srv(let q, let v, let m, let u)):
        return (p, w, n, t?.text ?? "") < (q, v, m, u?.text ?? "")
      case (.caa(let f, let t, let v), .caa(let g, let u, let w)):
        let rank = ["issue": 0, "issuewild": 1, "iodef": 2]
        return (rank[t] ?? 3, t, f, v) < (rank[u] ?? 3, u, g, w)
      default:
        return x.kind < y.kind
      }
    }
  }

  public var name: RecordName
  public var ttl: Located<Int>
  public var data: RData
  /// The inventory value this record comes from.
  public var source: SourceSpan
  /// The lessons and rules this record exists for (often none).
  public var lessons: [Int]
  public var rules: [String]

  public init(
    _ name: RecordName, ttl: Located<Int>, _ data: RData, from source: SourceSpan, lessons: [Int] = [],
    rules: [String] = []
  ) {
    self.name = name
    self.ttl = ttl
    self.data = data
    self.source = source
    self.lessons = lessons
    self.rules = rules
  }

  public var kind: Kind { data.kind }

  /// Owner `@` first, then owners in text order; within an owner by type,
  /// then by data.
  static func precedes(_ x: DNSRecord, _ y: DNSRecord) -> Bool {
    let (a, b) = (x.name.relative, y.name.relative)
    if a != b {
      if a == "@" || b == "@" { return a == "@" }
      return a < b
    }
    if x.kind != y.kind { return x.kind < y.kind }
    return RData.precedes(x.data, y.data)
  }
}
