import Foundation
import Testing

@testable import TailwartCore

/// The HuJSON parser against Tailscale's own test vectors
/// (Data/hujson_test_vectors.json), plus what tailwart adds:
/// duplicate names refused, a depth limit, UTF-8 checked in strings.
struct HuJSONTests {
  // MARK: the vectors

  struct Text: Decodable, Sendable {
    var text: String?
    var hex: String?

    var bytes: [UInt8] {
      if let text { return Array(text.utf8) }
      var out: [UInt8] = []
      var digits = Substring(hex ?? "")
      while digits.count >= 2 {
        out.append(UInt8(digits.prefix(2), radix: 16)!)
        digits = digits.dropFirst(2)
      }
      return out
    }
  }

  struct WantError: Decodable, Sendable {
    var line: Int
    var column: Int
    var message: String
  }

  struct ParseCase: Decodable, Sendable, CustomTestStringConvertible {
    var `in`: Text
    var wantMin: Text?
    var wantStd: Text?
    var wantErr: WantError?
    var testDescription: String { String(decoding: self.in.bytes, as: UTF8.self).debugDescription }
  }

  struct FormatCase: Decodable, Sendable, CustomTestStringConvertible {
    var `in`: Text
    var want: Text
    var testDescription: String { String(decoding: self.in.bytes, as: UTF8.self).debugDescription }
  }

  struct Vectors: Decodable {
    var parse_cases: [ParseCase]
    var format_cases: [FormatCase]
  }

  static func loadVectors() throws -> Vectors {
    let data = try Data(contentsOf: DNSACLFixtures.testData("hujson_test_vectors.json"))
    return try JSONDecoder().decode(Vectors.self, from: data)
  }

  static let vectors: Vectors? = try? loadVectors()

  @Test func vectorsAreThere() throws {
    let vectors = try Self.loadVectors()
    #expect(vectors.parse_cases.count == 34)
    #expect(vectors.format_cases.count == 39)
  }

  /// Each parse case: the same error at the same line:column, or the same
  /// standardized and minimized bytes, and a value that Foundation's own
  /// JSON parser agrees with.
  @Test(arguments: vectors?.parse_cases ?? [])
  func parseCase(_ c: ParseCase) throws {
    let input = c.in.bytes
    if let want = c.wantErr {
      do {
        let value = try HuJSON.parse(input)
        Issue.record("parsed as \(value), expected \(want.line):\(want.column): \(want.message)")
      } catch {
        #expect(error == HuJSONError(line: want.line, column: want.column, message: want.message))
      }
      #expect(throws: HuJSONError.self) { try HuJSON.standardize(input) }
      return
    }
    let value = try HuJSON.parse(input)
    let standard = try HuJSON.standardize(input)
    let minimal = try HuJSON.minimize(input)
    #expect(standard == c.wantStd?.bytes)
    #expect(minimal == c.wantMin?.bytes)
    #expect(standard.count == input.count, "standardizing keeps every offset")
    if let foundation = try? JSONSerialization.jsonObject(with: Data(minimal), options: .fragmentsAllowed) {
      #expect(Self.same(value, foundation), "\(value) vs \(foundation)")
    }
    // The minimized text is plain JSON and reads back to the same value.
    #expect(try HuJSON.parse(minimal) == value)
  }

  /// Each format case pairs two spellings of one document (comments moved,
  /// escapes normalized): both must read to the same value, or, where the
  /// document repeats an object name, both must be refused for it. The
  /// formatter's output drops the file's final newline, which a line comment
  /// at the very end needs; it is put back.
  @Test(arguments: vectors?.format_cases ?? [])
  func formatCase(_ c: FormatCase) throws {
    let parsed = (
      Result<HuJSONValue, HuJSONError> { () throws(HuJSONError) in try HuJSON.parse(c.in.bytes) },
      Result<HuJSONValue, HuJSONError> { () throws(HuJSONError) in try HuJSON.parse(c.want.bytes + [0x0A]) }
    )
    switch parsed {
    case (.success(let a), .success(let b)):
      #expect(a == b)
      let foundation = try JSONSerialization.jsonObject(
        with: Data(try HuJSON.minimize(c.in.bytes)), options: .fragmentsAllowed)
      #expect(Self.same(b, foundation))
    case (.failure(let a), .failure(let b)):
      #expect(a.message.hasPrefix("duplicate object name"), "\(a)")
      #expect(a.message == b.message)
    case (let a, let b):
      Issue.record("the two spellings disagree: \(a) vs \(b)")
    }
  }

  /// Three of the format documents repeat a name ("name" twice, "key"
  /// twice); no other case is refused.
  @Test func formatCasesRefusedForRepeatedNames() throws {
    let refused = try Self.loadVectors().format_cases.filter { (try? HuJSON.parse($0.in.bytes)) == nil }
    #expect(refused.count == 3)
  }

  // MARK: what tailwart adds

  @Test func duplicateNamesAreRefused() {
    #expect(throws: HuJSONError(line: 1, column: 10, message: #"duplicate object name "a""#)) {
      try HuJSON.parse(#"{"a": 1, "a": 2}"#)
    }
    // The same name spelled with an escape is the same name.
    #expect(throws: HuJSONError(line: 2, column: 3, message: #"duplicate object name "a""#)) {
      try HuJSON.parse("{\"a\": 1,\n  \"\\u0061\": 2}")
    }
  }

  @Test func sameNameInDifferentObjectsIsFine() throws {
    let value = try HuJSON.parse(#"{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]}"#)
    #expect(value["a"]?["a"] == .number("1"))
  }

  @Test func errorsPointAtLineAndColumn() {
    #expect(throws: HuJSONError(line: 3, column: 7, message: "invalid character '2' after object name")) {
      try HuJSON.parse("{\n  \"a\": 1,\n  \"b\" 2\n}")
    }
    #expect(throws: HuJSONError(line: 2, column: 1, message: "invalid character '}' at start of value")) {
      try HuJSON.parse("{\"a\":\n}")
    }
  }

  @Test func depthIsLimited() throws {
    let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    #expect(try HuJSON.parse(deepest) != .null)
    let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
    #expect(throws: HuJSONError(line: 1, column: 65, message: "nesting deeper than 64 levels")) {
      try HuJSON.parse(tooDeep)
    }
    #expect(throws: HuJSONError.self) { try HuJSON.parse(#"{"a": {"b": 1}}"#, maxDepth: 1) }
  }

  @Test func onlyCommentsAndTrailingCommasAreExtra() {
    for text in [
      "{a: 1}", "{'a': 1}", "['a']", "[1,,]", "[,1]", "{,}", "[1] [2]", "# comment\n1", "0x10", "01", "1.", ".5",
      "NaN", "Infinity", "+1", "\"a\tb\"", "\"\\x41\"", "\"\\u12\"", "/* open", "// no newline",
    ] {
      #expect(throws: HuJSONError.self, "\(text.debugDescription) must be refused") { try HuJSON.parse(text) }
    }
  }

  @Test func stringsMustBeUTF8() {
    #expect(throws: HuJSONError(line: 1, column: 2, message: "invalid UTF-8 in string")) {
      try HuJSON.parse([0x5B, 0x22, 0xFF, 0x22, 0x5D])
    }
  }

  @Test func escapesDecode() throws {
    #expect(
      try HuJSON.parse(#""\ud83d\ude02 \u00e9 \/ \" \\ \b\f\n\r\t""#) == .string("😂 é / \" \\ \u{08}\u{0C}\n\r\t"))
    #expect(try HuJSON.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
  }

  @Test(arguments: ["plain", "quote \" and backslash \\", "tab\tnewline\n", "\u{01}\u{7F}", "é 😊", "\u{2028}"])
  func quoteReadsBack(_ text: String) throws {
    #expect(try HuJSON.parse(HuJSON.quote(text)) == .string(text))
  }

  @Test func commentsAndTrailingCommasAreBlankedInPlace() throws {
    let text = "{ // note\n  \"a\": [1, 2,], /* b */\n}"
    let standard = String(decoding: try HuJSON.standardize(Array(text.utf8)), as: UTF8.self)
    #expect(standard == "{        \n  \"a\": [1, 2 ]         \n}")
    #expect(String(decoding: try HuJSON.minimize(Array(text.utf8)), as: UTF8.self) == #"{"a":[1,2]}"#)
  }

  // MARK: helpers

  /// True when the HuJSON value and Foundation's reading of the same JSON
  /// agree (numbers compared as doubles).
  static func same(_ value: HuJSONValue, _ other: Any) -> Bool {
    switch value {
    case .null:
      return other is NSNull
    case .bool(let b):
      guard let n = other as? NSNumber else { return false }
      return n == NSNumber(value: b)
    case .number(let text):
      guard let n = other as? NSNumber, let d = Double(text) else { return false }
      return n.doubleValue == d
    case .string(let s):
      return (other as? String) == s
    case .array(let items):
      guard let others = other as? [Any], others.count == items.count else { return false }
      return zip(items, others).allSatisfy { same($0, $1) }
    case .object(let members):
      guard let others = other as? [String: Any], others.count == members.count else { return false }
      return members.allSatisfy { m in others[m.name].map { same(m.value, $0) } ?? false }
    }
  }
}
