/// One line of a zone file in the form `ZoneRenderer` writes, read back:
/// the record's fields, with quoted strings unescaped (`\"`, `\\`, `\DDD`).
/// Enough to check that what was written says what was meant; the full
/// check is `named-checkzone` in the tests.
struct ZoneLine: Equatable {
  enum Token: Equatable {
    case word(String)
    /// A `"…"` character-string, unescaped to its bytes.
    case quoted([UInt8])
  }

  enum Content: Equatable {
    case blank
    case comment
    /// `$ORIGIN example.com.`, `$TTL 3600`.
    case directive(String, [Token])
    /// `owner ttl IN TYPE rdata…`
    case record(owner: String, ttl: Int, type: String, rdata: [Token])
  }

  struct Problem: Error, CustomStringConvertible {
    var description: String
  }

  let content: Content

  init(_ line: String) throws(Problem) {
    let tokens = try Self.tokens(line)
    if tokens.isEmpty {
      content = line.contains(";") ? .comment : .blank
      return
    }
    guard case .word(let first) = tokens[0] else { throw Problem(description: "a line starts with a quoted string") }
    if first.hasPrefix("$") {
      content = .directive(first, Array(tokens.dropFirst()))
      return
    }
    guard tokens.count >= 5, case .word(let ttlText) = tokens[1], let ttl = Int(ttlText), ttl >= 0,
      tokens[2] == .word("IN"), case .word(let type) = tokens[3]
    else { throw Problem(description: "a record line is not \"owner ttl IN TYPE data\"") }
    guard line.first != " " else {
      throw Problem(description: "a record line starts with a blank (it would inherit the owner)")
    }
    content = .record(owner: first, ttl: ttl, type: type, rdata: Array(tokens.dropFirst(4)))
  }

  /// Splits at blanks; quoted strings are one token; `;` outside quotes
  /// starts a comment.
  static func tokens(_ line: String) throws(Problem) -> [Token] {
    var tokens: [Token] = []
    let bytes = Array(line.utf8)
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") {
        i += 1
      } else if b == UInt8(ascii: ";") {
        break
      } else if b == UInt8(ascii: "\"") {
        var value: [UInt8] = []
        i += 1
        while true {
          guard i < bytes.count else { throw Problem(description: "a quoted string is not closed") }
          let c = bytes[i]
          if c == UInt8(ascii: "\"") {
            i += 1
            break
          }
          if c == UInt8(ascii: "\\") {
            guard i + 1 < bytes.count else { throw Problem(description: "a line ends inside an escape") }
            let digits = bytes[(i + 1)...].prefix(3)
            if digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
              let number = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
              guard number <= 255 else { throw Problem(description: "escape \\\(number) is not a byte") }
              value.append(UInt8(number))
              i += 4
            } else {
              value.append(bytes[i + 1])
              i += 2
            }
            continue
          }
          guard (0x20...0x7E).contains(c) else {
            throw Problem(description: "a quoted string holds a raw byte \(c) that must be escaped")
          }
          value.append(c)
          i += 1
        }
        tokens.append(.quoted(value))
      } else {
        let start = i
        while i < bytes.count,
          ![UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "\"")].contains(bytes[i])
        {
          i += 1
        }
        tokens.append(.word(String(decoding: bytes[start..<i], as: UTF8.self)))
      }
    }
    return tokens
  }
}
