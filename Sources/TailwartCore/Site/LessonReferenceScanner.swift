/// Finds references to lessons in prose: "Lesson 6", "lesson 6", "Lesson 9's
/// fix", "Lessons 8/9", "Lessons 8 and 9", "Lessons 3, 5 or 6", "#8/#9".
///
/// A lone "#15" is not a reference (it is as likely an issue or a step), and
/// neither is a "#N/#M" list right after "issue", "PR" and the like. Commas,
/// "and", "or" and "&" continue a list only after the plural "Lessons", so
/// "lesson 6, 2 days later" links lesson 6 alone. Works on UTF-8 bytes: it
/// runs over every text node of the document.
enum LessonReferenceScanner {
  struct Match: Equatable, Sendable {
    /// Byte range of the text to link ("Lessons 8" then "9").
    var range: Range<Int>
    var number: Int
    /// Byte offset of the number itself (where an error points).
    var numberOffset: Int
  }

  /// Longest lesson number read; longer digit runs are not references.
  static let maxDigits = 6

  static func scan(_ text: String) -> [Match] {
    var text = text
    return text.withUTF8 { scan($0) }
  }

  static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [Match] {
    var matches: [Match] = []
    let n = bytes.count
    var i = 0
    while i < n {
      let b = bytes[i]
      if (b | 0x20) == UInt8(ascii: "l"), i + 6 <= n, isBoundary(bytes, before: i), hasWord(bytes, at: i + 1, "esson") {
        if let end = lessonPhrase(bytes, at: i, into: &matches) {
          i = end
          continue
        }
        i += 6
        continue
      }
      if b == UInt8(ascii: "#"), isBoundary(bytes, before: i), i == 0 || bytes[i - 1] != UInt8(ascii: "&"),
        let end = hashList(bytes, at: i, into: &matches)
      {
        i = end
        continue
      }
      i += 1
    }
    return matches
  }

  /// "Lesson(s) N [sep M]...", starting at the "L"; returns the end of the
  /// last number, or nil (and adds nothing) when no number follows.
  private static func lessonPhrase(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, into matches: inout [Match])
    -> Int?
  {
    var j = start + 6
    var plural = false
    if j < bytes.count, (bytes[j] | 0x20) == UInt8(ascii: "s") {
      plural = true
      j += 1
    }
    if j < bytes.count, isWordByte(bytes[j]) { return nil }
    let afterSpace = skipSpace(bytes, from: j)
    guard afterSpace > j else { return nil }
    var k = afterSpace
    if k < bytes.count, bytes[k] == UInt8(ascii: "#") { k += 1 }
    guard let (number, end) = number(bytes, at: k) else { return nil }
    matches.append(Match(range: start..<end, number: number, numberOffset: k))
    var last = end
    while let (itemStart, numberStart) = separator(bytes, after: last, plural: plural),
      let (next, nextEnd) = self.number(bytes, at: numberStart)
    {
      matches.append(Match(range: itemStart..<nextEnd, number: next, numberOffset: numberStart))
      last = nextEnd
    }
    return last
  }

  /// "#N/#M[/#P]..." (two or more), not after "issue", "PR" and the like.
  private static func hashList(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, into matches: inout [Match]) -> Int?
  {
    var found: [Match] = []
    var i = start
    while true {
      guard i < bytes.count, bytes[i] == UInt8(ascii: "#"), let (number, end) = number(bytes, at: i + 1) else { break }
      found.append(Match(range: i..<end, number: number, numberOffset: i + 1))
      i = end
      guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "/") else { break }
      i += 1
    }
    guard found.count >= 2, !followsTrackerWord(bytes, before: start) else { return nil }
    matches += found
    return found[found.count - 1].range.upperBound
  }

  /// Where the next list item starts (its "#" or digit) after `end`, when a
  /// list separator follows: "/" always; ",", "&", "and", "or" after
  /// "Lessons". Returns the item's start and its digits' start.
  private static func separator(_ bytes: UnsafeBufferPointer<UInt8>, after end: Int, plural: Bool) -> (Int, Int)? {
    var i = end
    if i < bytes.count, bytes[i] == UInt8(ascii: "/") {
      i += 1
    } else {
      guard plural else { return nil }
      i = skipSpace(bytes, from: i)
      var took = false
      if i < bytes.count,
        bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: "&") || bytes[i] == UInt8(ascii: "/")
      {
        i += 1
        took = true
        i = skipSpace(bytes, from: i)
      }
      for word in ["and", "or"] where hasWord(bytes, at: i, word) {
        let after = i + word.utf8.count
        let spaced = skipSpace(bytes, from: after)
        if spaced > after {
          i = spaced
          took = true
        }
        break
      }
      guard took else { return nil }
      i = skipSpace(bytes, from: i)
    }
    let itemStart = i
    if i < bytes.count, bytes[i] == UInt8(ascii: "#") { i += 1 }
    guard i < bytes.count, isDigit(bytes[i]) else { return nil }
    return (itemStart, i)
  }

  /// Digits at `i` that end a word: not followed by a letter, a digit or
  /// ".digit" (a version number such as 6.2 is not lesson 6).
  private static func number(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int, Int)? {
    var j = i
    var value = 0
    while j < bytes.count, isDigit(bytes[j]) {
      value = value * 10 + Int(bytes[j] - UInt8(ascii: "0"))
      j += 1
      if j - i > maxDigits { return nil }
    }
    guard j > i else { return nil }
    if j < bytes.count {
      if isWordByte(bytes[j]) { return nil }
      if bytes[j] == UInt8(ascii: "."), j + 1 < bytes.count, isDigit(bytes[j + 1]) { return nil }
    }
    return (value, j)
  }

  /// Words after which "#N/#M" names something other than lessons.
  private static let trackerWords: Set<String> = [
    "issue", "issues", "pr", "prs", "pull", "request", "requests", "bug", "bugs", "ticket", "tickets",
    "commit", "commits", "change", "changes", "step", "steps", "item", "items",
  ]

  private static func followsTrackerWord(_ bytes: UnsafeBufferPointer<UInt8>, before start: Int) -> Bool {
    var end = start
    while end > 0, isSpace(bytes[end - 1]) { end -= 1 }
    var begin = end
    while begin > 0, isLetter(bytes[begin - 1]) { begin -= 1 }
    guard begin < end else { return false }
    let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<end]), as: UTF8.self).lowercased()
    return trackerWords.contains(word)
  }

  /// True when `word` (lowercase ASCII) is at `i`, in any case.
  private static func hasWord(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, _ word: String) -> Bool {
    var j = i
    for expected in word.utf8 {
      guard j < bytes.count, bytes[j] | 0x20 == expected else { return false }
      j += 1
    }
    return true
  }

  private static func isBoundary(_ bytes: UnsafeBufferPointer<UInt8>, before i: Int) -> Bool {
    i == 0 || !isWordByte(bytes[i - 1])
  }

  /// Spaces, tabs, line breaks (soft breaks join text nodes with "\n") and
  /// the no-break space.
  private static func skipSpace(_ bytes: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
    var j = i
    while j < bytes.count {
      if isSpace(bytes[j]) {
        j += 1
      } else if bytes[j] == 0xC2, j + 1 < bytes.count, bytes[j + 1] == 0xA0 {
        j += 2
      } else {
        break
      }
    }
    return j
  }

  private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
  private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
  private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
  private static func isWordByte(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) || b == UInt8(ascii: "_") }
}
