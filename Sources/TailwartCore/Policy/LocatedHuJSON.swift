/// A parsed HuJSON value with the byte range it was written at, and the
/// same for everything inside it. Built from the parser's pre-order list of
/// value ranges, so it adds positions without a second parser.
public struct LocatedHuJSON: Sendable {
  public struct Member: Sendable {
    public var name: String
    /// Where the member's name (its quoted string) was written.
    public var nameRange: Range<Int>
    public var value: LocatedHuJSON
  }

  public var value: HuJSONValue
  public var range: Range<Int>
  /// Object members (in document order), when this is an object.
  public var members: [Member] = []
  /// Array items, when this is an array.
  public var items: [LocatedHuJSON] = []
  /// Byte ranges of the comments in the whole document (set on the root).
  public var comments: [Range<Int>] = []

  init(_ value: HuJSONValue, ranges: inout ArraySlice<Range<Int>>, comments: [Range<Int>] = []) {
    self.value = value
    self.range = ranges.popFirst() ?? 0..<0
    self.comments = comments
    switch value {
    case .object(let members):
      for member in members {
        let nameRange = ranges.popFirst() ?? 0..<0
        self.members.append(
          Member(name: member.name, nameRange: nameRange, value: LocatedHuJSON(member.value, ranges: &ranges)))
      }
    case .array(let items):
      for item in items { self.items.append(LocatedHuJSON(item, ranges: &ranges)) }
    default:
      break
    }
  }

  public subscript(name: String) -> LocatedHuJSON? {
    members.first { $0.name == name }?.value
  }
}

/// Byte offsets to 1-based line and column (columns in bytes, as Tailscale
/// reports them) in one text.
public struct LineTable: Sendable {
  let starts: [Int]

  public init(_ bytes: [UInt8]) {
    var starts = [0]
    for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
    self.starts = starts
  }

  public func location(of offset: Int) -> SourceLocation {
    var low = 0
    var high = starts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if starts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return SourceLocation(line: low + 1, column: offset - starts[low] + 1)
  }

  /// The byte offset where `line` (1-based) starts.
  public func start(ofLine line: Int) -> Int { starts[min(max(line - 1, 0), starts.count - 1)] }
}
