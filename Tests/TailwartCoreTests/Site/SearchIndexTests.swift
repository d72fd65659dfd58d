import Foundation
import Testing

@testable import TailwartCore

/// The search index is a script: its strings must read back as the text
/// they quote, and nothing in them may end the script or start markup.
struct SearchIndexTests {
  @Test(arguments: ["</script><b>&amp;", "line\u{2028}break\u{2029}", "tab\tquote\"back\\slash", "\u{0}\u{7F}\u{1B}[31m", "plain"])
  func quotedTextReadsBackAndIsSafeInAScript(_ text: String) throws {
    let quoted = SearchIndex.quote(text)
    #expect(!quoted.contains("<") && !quoted.contains(">") && !quoted.contains("&"))
    #expect(!quoted.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" })
    let back = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String
    #expect(back == text)
  }
}
