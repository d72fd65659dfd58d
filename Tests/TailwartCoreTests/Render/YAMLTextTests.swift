import Testing

@testable import TailwartCore

/// Every string survives the trip through YAMLText and back through libyaml
/// as the same string, never as a number, boolean, null or new structure.
struct YAMLTextTests {
  static let awkward = [
    "", "true", "no", "null", "~", "0123", "1e3", "0x1F", "- item", "key: value", "a #comment", "#", "'single'",
    "\"double\"", "back\\slash", "line\nbreak", "tab\there", "carriage\rreturn", "bell\u{7}", "del\u{7F}",
    "c1\u{85}next", "nbsp\u{A0}", "bom\u{FEFF}", "ls\u{2028}ps\u{2029}", "emoji 📬", "${TS_AUTHKEY}", "*alias",
    "&anchor", "!tag", "{flow: map}", "[flow, seq]", "%directive", "@reserved", "`reserved", "  padded  ",
  ]

  @Test(arguments: awkward)
  func roundTripsThroughLibyaml(_ text: String) throws {
    let document = "key: \(YAMLText.doubleQuoted(text))\nnext: 1\n"
    let root = try YAMLLoader.load(Array(document.utf8), file: "t.yaml")
    guard case .mapping(let mapping) = root, case .scalar(let scalar)? = mapping["key"] else {
      Issue.record("not a mapping with key: \(document)")
      return
    }
    #expect(scalar.value == text)
    #expect(scalar.style == .doubleQuoted)
    #expect(mapping.entries.map(\.key.value) == ["key", "next"])
  }

  @Test func shellWordsAreQuotedOnlyWhenNeeded() {
    #expect(ShellWord.quote("the-record-prod.tail7b1641.ts.net") == "the-record-prod.tail7b1641.ts.net")
    #expect(ShellWord.quote("a b") == "'a b'")
    #expect(ShellWord.quote("it's") == "'it'\\''s'")
    #expect(ShellWord.quote("$(reboot)") == "'$(reboot)'")
    #expect(ShellWord.quote("") == "''")
  }

  @Test func caddyfileTokensCannotOpenBlocksOrPlaceholders() throws {
    #expect(CaddyfileText.token("stalwart.tail7b1641.ts.net:25") == "stalwart.tail7b1641.ts.net:25")
    for text in ["a b", "{$SECRET}", "x }\n{", "quote\"d"] {
      let line = "directive \(CaddyfileText.token(text))"
      let blocks = try CaddyfileBlocks(parsing: line + "\n")
      #expect(blocks.entries.count == 1 && blocks.entries[0].tokens.count == 2, "\(line)")
      #expect(!blocks.entries[0].tokens[1].contains("{") && !blocks.entries[0].tokens[1].contains("}"))
    }
  }
}
