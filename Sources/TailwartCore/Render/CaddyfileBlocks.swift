/// The Caddyfile's structure: lines of tokens, a line ending in `{` opening
/// a block that a line holding only `}` closes. Enough to check that a
/// generated Caddyfile is well formed and to read its routes back in tests.
public struct CaddyfileBlocks: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public var tokens: [String]
    /// The entries of the block the line opens, if it opens one.
    public var block: [Entry]?
    public var line: Int
  }

  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var problem: String
    public var description: String { "line \(line): \(problem)" }
  }

  public var entries: [Entry]

  public init(parsing text: String) throws(Failure) {
    var stack: [[Entry]] = [[]]
    var openers: [Entry] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let number = index + 1
      var tokens = try Self.tokens(raw, line: number)
      guard !tokens.isEmpty else { continue }
      if tokens == ["}"] {
        guard var opener = openers.popLast(), let children = stack.popLast() else {
          throw Failure(line: number, problem: "} closes no block")
        }
        opener.block = children
        stack[stack.count - 1].append(opener)
        continue
      }
      if tokens.contains("}") { throw Failure(line: number, problem: "} must stand on a line of its own") }
      if tokens.last == "{" {
        tokens.removeLast()
        if tokens.contains("{") { throw Failure(line: number, problem: "more than one { on a line") }
        openers.append(Entry(tokens: tokens, block: nil, line: number))
        stack.append([])
      } else {
        if tokens.contains("{") { throw Failure(line: number, problem: "{ must end its line") }
        stack[stack.count - 1].append(Entry(tokens: tokens, block: nil, line: number))
      }
    }
    if let open = openers.last { throw Failure(line: open.line, problem: "block opened here is never closed") }
    entries = stack[0]
  }

  /// A line's tokens: whitespace separates them, double quotes group them
  /// (with `\"` and `\\` escapes), `#` at a token's start begins a comment.
  private static func tokens(_ line: Substring, line number: Int) throws(Failure) -> [String] {
    var out: [String] = []
    var current = ""
    var inToken = false
    var quoted = false
    var escaped = false
    for c in line {
      if quoted {
        if escaped {
          current.append(c)
          escaped = false
        } else if c == "\\" {
          escaped = true
        } else if c == "\"" {
          quoted = false
        } else {
          current.append(c)
        }
        continue
      }
      if c == " " || c == "\t" || c == "\r" {
        if inToken { out.append(current) }
        current = ""
        inToken = false
      } else if c == "#" && !inToken {
        break
      } else if c == "\"" && !inToken {
        quoted = true
        inToken = true
      } else {
        current.append(c)
        inToken = true
      }
    }
    if quoted { throw Failure(line: number, problem: "unterminated quoted token") }
    if inToken { out.append(current) }
    return out
  }
}
