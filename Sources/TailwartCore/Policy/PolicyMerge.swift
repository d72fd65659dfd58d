/// `tailwart acl merge`: places the snippet's tag owners, grants and tests
/// into the operator's whole tailnet policy file, each between marker
/// comments inside its section, and leaves every other byte as it was.
/// A later merge first removes what an earlier one placed (marker to
/// marker), so merging twice gives the same bytes.
///
/// Before handing the result back it runs every test of the merged policy
/// locally (`PolicyEvaluator`) and refuses, at the line of the operator's
/// own grant or ACL, a policy whose rules would make a test fail, as the
/// control plane would refuse it on apply.
public enum PolicyMerge {
  public static let beginMarker = "// tailwart:begin"
  public static let endMarker = "// tailwart:end"
  /// The sections tailwart writes, in the order they are placed.
  static let sections = ["tagOwners", "grants", "tests"]

  public struct Result: Sendable {
    /// The merged policy file.
    public var bytes: [UInt8]
    /// Warnings: tests tailwart cannot decide locally, tag owners the
    /// policy already sets.
    public var warnings: [Finding]
  }

  /// Merges `snippet` (the rendered acl-snippet.hujson) into `policy` (the
  /// bytes of the file `file`). `deployment` gives tailwart's own rules
  /// and tests their inventory lines.
  public static func merge(
    policy original: [UInt8], file: String, snippet: [UInt8], deployment: Deployment
  ) throws(FindingsError) -> Result {
    func refuse(_ location: SourceLocation?, _ message: String, help: String? = nil) -> FindingsError {
      FindingsError([Finding(.error, file: file, at: location.map { SourceSpan($0) }, message, help: help)])
    }
    let lines = LineTable(original)
    let parsed: LocatedHuJSON
    do {
      parsed = try HuJSON.parseLocated(original)
    } catch {
      throw refuse(SourceLocation(line: error.line, column: error.column), "not a valid policy file: \(error.message)")
    }
    guard parsed.value.objectValue != nil else {
      throw refuse(lines.location(of: parsed.range.lowerBound), "a tailnet policy file is one object")
    }

    // 1. What an earlier merge placed, marker to marker.
    let blocks: [Range<Int>]
    do {
      blocks = try earlierBlocks(original, comments: parsed.comments)
    } catch {
      throw refuse(lines.location(of: error.offset), error.message)
    }
    var stripped = original
    for block in blocks.reversed() { stripped.removeSubrange(block) }
    guard let base = try? HuJSON.parseLocated(stripped) else {
      throw refuse(
        blocks.first.map { lines.location(of: $0.lowerBound) },
        "the policy does not parse without tailwart's earlier block")
    }

    // 2. The snippet's entries, section by section.
    guard let snippetTree = try? HuJSON.parseLocated(snippet) else {
      throw refuse(nil, "the rendered snippet does not parse")
    }
    var warnings: [Finding] = []
    var insertions: [(offset: Int, text: String)] = []
    let topLevelOpen = base.range.lowerBound + 1
    for name in sections {
      guard let section = snippetTree[name] else { continue }
      var entries = entryLines(snippet, section)
      if name == "tagOwners", let owned = base["tagOwners"] {
        // The policy's own owners stand; a duplicate name would not parse.
        let taken = Set(owned.members.map(\.name))
        for member in section.members where taken.contains(member.name) {
          let line = lines.location(of: owned.members.first { $0.name == member.name }!.nameRange.lowerBound)
          warnings.append(
            Finding(
              .warning, file: file, at: SourceSpan(line),
              "the policy already sets the owners of \(member.name); tailwart keeps them",
              help: "compare them with tailwart's: \(String(decoding: snippet[member.value.range], as: UTF8.self))"))
          entries.removeAll { $0.hasPrefix("\(HuJSON.quote(member.name)):") }
        }
        if entries.isEmpty { continue }
      }
      let begin = "\(beginMarker) \(name): placed by `tailwart acl merge`; a later merge replaces this block"
      // The end marker is a line comment when a line break follows the
      // insertion point, else a block comment, so it never hides what follows.
      func end(at offset: Int) -> String {
        offset < stripped.count && (stripped[offset] == UInt8(ascii: "\n") || stripped[offset] == UInt8(ascii: "\r"))
          ? "\(endMarker) \(name)" : "/* tailwart:end \(name) */"
      }
      if let existing = base.members.first(where: { $0.name == name }) {
        guard existing.value.value.objectValue != nil || existing.value.value.arrayValue != nil else {
          throw refuse(lines.location(of: existing.nameRange.lowerBound), "\(name) is neither an object nor a list")
        }
        let outer = indentation(of: existing.nameRange.lowerBound, in: stripped)
        let indent = outer + (outer.hasSuffix("\t") ? "\t" : "  ")
        let at = existing.value.range.lowerBound + 1
        let body = ([begin] + entries + [end(at: at)]).map { indent + $0 }
        insertions.append((at, "\n" + body.joined(separator: "\n")))
      } else {
        let close = name == "tagOwners" ? "}" : "]"
        let open = name == "tagOwners" ? "{" : "["
        let body =
          ["  " + begin, "  \(HuJSON.quote(name)): \(open)"] + entries.map { "    " + $0 } + [
            "  \(close),", "  " + end(at: topLevelOpen),
          ]
        insertions.append((topLevelOpen, "\n" + body.joined(separator: "\n")))
      }
    }
    var merged = stripped
    // Insert from the end so earlier offsets hold; two at one offset keep
    // their section order.
    for insertion in insertions.enumerated().sorted(by: {
      ($0.element.offset, $0.offset) > ($1.element.offset, $1.offset)
    }) {
      merged.insert(contentsOf: Array(insertion.element.text.utf8), at: insertion.element.offset)
    }

    // 3. Every test of the merged policy, run locally.
    let mergedTree: LocatedHuJSON
    do {
      mergedTree = try HuJSON.parseLocated(merged)
    } catch {
      throw refuse(nil, "the merged policy does not parse (\(error)); nothing written")
    }
    let mergedLines = LineTable(merged)
    let ours = tailwartRanges(merged, comments: mergedTree.comments)
    var policy: TailnetPolicy
    do {
      policy = try TailnetPolicy.read(mergedTree, lines: mergedLines)
    } catch {
      throw refuse(mergedLines.location(of: 0), "the merged policy: \(error)")
    }
    // Positions of the operator's rules and tests: in their own file.
    let shift = OffsetMap(original: original, blocks: blocks, insertions: insertions)
    func mine(_ range: Range<Int>?) -> Bool { range.map { r in ours.contains { $0.contains(r.lowerBound) } } ?? false }
    for i in policy.rules.indices where !mine(policy.rules[i].range) {
      if let r = policy.rules[i].range {
        policy.rules[i].span = SourceSpan(lines.location(of: shift.original(r.lowerBound)))
      }
      policy.rules[i].file = file
    }
    for i in policy.tests.indices where !mine(policy.tests[i].range) {
      if let r = policy.tests[i].range {
        policy.tests[i].span = SourceSpan(lines.location(of: shift.original(r.lowerBound)))
      }
      policy.tests[i].file = file
    }

    var errors: [Finding] = []
    // One refusal per rule of the operator's, naming what it breaks.
    var broken: [(rule: PolicyRule, tests: [String])] = []
    for outcome in PolicyEvaluator.evaluate(policy) {
      let test = "\(outcome.test.source) → \(outcome.target.value)"
      let whose = mine(outcome.test.range) ? "tailwart's" : "the policy's"
      switch outcome.verdict {
      case .pass:
        continue
      case .fail(let rule):
        if outcome.expectation == .deny, let rule, !mine(rule.range) {
          if let i = broken.firstIndex(where: { $0.rule.range == rule.range }) {
            broken[i].tests.append(test)
          } else {
            broken.append((rule, [test]))
          }
        } else {
          let at = outcome.test.range.map { SourceSpan(mergedLines.location(of: $0.lowerBound)) }
          errors.append(
            Finding(
              .error, file: file, at: mine(outcome.test.range) ? at : outcome.test.span,
              "\(whose) test \(test) (\(outcome.expectation.rawValue)) fails in the merged policy"
                + (mine(outcome.test.range) ? " (a line of the merged text)" : "")))
        }
      case .undetermined(let rule, let reason):
        warnings.append(
          Finding(
            .warning, file: file, at: rule.flatMap { mine($0.range) ? nil : $0.span },
            "tailwart cannot tell whether \(whose) test \(test) (\(outcome.expectation.rawValue)) holds: it depends on \(reason)",
            help: "the control plane decides it when the policy is applied"))
      }
    }
    for (rule, tests) in broken {
      let what = rule.allowsEverything ? "the allow-all \(rule.kind.rawValue)" : "this \(rule.kind.rawValue)"
      let more = tests.count > 1 ? " (and \(tests.count - 1) more: \(tests.dropFirst().joined(separator: ", ")))" : ""
      errors.append(
        Finding(
          .error, file: file, at: rule.span,
          "\(what) lets \(tests[0])\(more), which the policy's tests deny; the control plane would refuse the merged policy",
          help: rule.allowsEverything
            ? "remove it: tailwart's grants allow what the deployment needs, and the tests deny the rest"
            : "narrow its src, dst or ports so it no longer covers what the tests deny"))
    }
    if !errors.isEmpty {
      throw FindingsError(errors.sorted { ($0.span?.start.line ?? 0) < ($1.span?.start.line ?? 0) } + warnings)
    }
    return Result(bytes: merged, warnings: warnings)
  }

  // MARK: markers

  struct MarkerError: Error {
    var offset: Int
    var message: String
  }

  /// The byte ranges of earlier blocks: from the line break before a begin
  /// marker to the end of its end marker, so removing them gives back the
  /// file as it was before that merge.
  static func earlierBlocks(_ bytes: [UInt8], comments: [Range<Int>]) throws(MarkerError) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var open: Int?
    for comment in comments {
      let text = String(decoding: bytes[comment], as: UTF8.self)
      if text.hasPrefix(beginMarker) {
        if open != nil {
          throw MarkerError(offset: comment.lowerBound, message: "a second tailwart:begin before tailwart:end")
        }
        open = comment.lowerBound
      } else if text.hasPrefix(endMarker) || text.hasPrefix("/* tailwart:end") {
        guard let start = open else {
          throw MarkerError(offset: comment.lowerBound, message: "tailwart:end without its tailwart:begin")
        }
        var from = start
        while from > 0, bytes[from - 1] == UInt8(ascii: " ") || bytes[from - 1] == UInt8(ascii: "\t") { from -= 1 }
        if from > 0, bytes[from - 1] == UInt8(ascii: "\n") { from -= 1 }
        // A line comment's range takes its line break; that break is the
        // operator's and stays.
        var to = comment.upperBound
        if to > comment.lowerBound, bytes[to - 1] == UInt8(ascii: "\n") { to -= 1 }
        if to > comment.lowerBound, bytes[to - 1] == UInt8(ascii: "\r") { to -= 1 }
        out.append(from..<to)
        open = nil
      }
    }
    if let open { throw MarkerError(offset: open, message: "tailwart:begin without its tailwart:end") }
    return out
  }

  /// Where tailwart's blocks sit in `bytes`.
  static func tailwartRanges(_ bytes: [UInt8], comments: [Range<Int>]) -> [Range<Int>] {
    (try? earlierBlocks(bytes, comments: comments)) ?? []
  }

  /// The entries of a snippet section, one per line as the snippet writes
  /// them (comments included), without their indentation.
  static func entryLines(_ snippet: [UInt8], _ section: LocatedHuJSON) -> [String] {
    let inner = snippet[(section.range.lowerBound + 1)..<(section.range.upperBound - 1)]
    return String(decoding: inner, as: UTF8.self).split(separator: "\n").map { line in
      String(line.drop { $0 == " " || $0 == "\t" })
    }.filter { !$0.isEmpty }
  }

  static func indentation(of offset: Int, in bytes: [UInt8]) -> String {
    var start = offset
    while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
    let prefix = bytes[start..<offset].prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    return String(decoding: prefix, as: UTF8.self)
  }

  /// Maps an offset in the merged text back to the original file (for text
  /// outside tailwart's blocks).
  struct OffsetMap {
    var original: [UInt8]
    var blocks: [Range<Int>]
    var insertions: [(offset: Int, text: String)]

    /// merged → stripped → original.
    func original(_ merged: Int) -> Int {
      var delta = 0
      let ordered = insertions.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }
      for insertion in ordered.map(\.element) {
        guard insertion.offset + delta <= merged else { break }
        delta += insertion.text.utf8.count
      }
      var result = merged - delta
      for block in blocks.sorted(by: { $0.lowerBound < $1.lowerBound }) {
        guard block.lowerBound <= result else { break }
        result += block.count
      }
      return result
    }
  }
}
