/// A 1-based line and column (in Unicode scalars) inside a source file.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
    (a.line, a.column) < (b.line, b.column)
  }

  public var description: String { "\(line):\(column)" }
}

/// Where a value sits: its first character and how many characters to
/// underline (at least one; never past the end of its first line).
public struct SourceSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var start: SourceLocation
  public var length: Int

  public init(_ start: SourceLocation, length: Int = 1) {
    self.start = start
    self.length = max(1, length)
  }

  public init(line: Int, column: Int, length: Int = 1) {
    self.init(SourceLocation(line: line, column: column), length: length)
  }

  public static func < (a: SourceSpan, b: SourceSpan) -> Bool { a.start < b.start }

  /// Just after the span's last character, on the same line: the end line
  /// and end column every output format reports (as SARIF counts them).
  public var end: SourceLocation { SourceLocation(line: start.line, column: start.column + length) }

  public var description: String { start.description }
}

/// A value together with where it was written. Every field of the model
/// keeps one, so any rule can point at the exact text it is about.
public struct Located<Value: Sendable>: Sendable {
  public var value: Value
  public var span: SourceSpan

  public init(_ value: Value, at span: SourceSpan) {
    self.value = value
    self.span = span
  }

  public func map<T>(_ transform: (Value) throws -> T) rethrows -> Located<T> {
    Located<T>(try transform(value), at: span)
  }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
