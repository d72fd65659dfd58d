/// Why a HuJSON text was refused, and where. Line and column are 1-based;
/// the column counts bytes, as Tailscale's own parser does, so positions
/// match what the control plane reports for the same text.
public struct HuJSONError: Error, Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var message: String

  public init(line: Int, column: Int, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String { "\(line):\(column): \(message)" }
}
