import Foundation
import Testing

@testable import TailwartCore

/// `tailwart acl merge` on a realistic whole policy: refused at the
/// default allow-all grant's line; without it, merged so that every other
/// byte stays, every test passes locally, and a second merge changes
/// nothing.
struct PolicyMergeTests {
  typealias F = DNSACLFixtures

  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/full-policy.hujson")

  static func original() throws -> [UInt8] { [UInt8](try Data(contentsOf: fixture)) }

  /// The fixture without its allow-all grant line.
  static func withoutAllowAll() throws -> [UInt8] {
    let text = String(decoding: try original(), as: UTF8.self)
    return Array(try F.edit(text, "\t\t{\"src\": [\"*\"], \"dst\": [\"*\"], \"ip\": [\"*\"]},\n", "").utf8)
  }

  static func merge(_ policy: [UInt8], inventory: String = ExampleInventory.text) throws(FindingsError)
    -> PolicyMerge.Result
  {
    let checked = try! F.checked(inventory)
    let snippet = try! ACLRenderer.render(checked, context: F.context)[0]
    return try PolicyMerge.merge(
      policy: policy, file: "policy.hujson", snippet: snippet.bytes, deployment: checked.deployment)
  }

  @Test func theAllowAllGrantIsRefusedAtItsLine() throws {
    let original = try Self.original()
    do {
      _ = try Self.merge(original)
      Issue.record("a policy with the allow-all grant must be refused")
    } catch {
      let errors = error.findings.filter { $0.severity == .error }
      #expect(!errors.isEmpty)
      #expect(
        errors.allSatisfy { $0.file == "policy.hujson" && $0.span?.start.line == 22 },
        "\(errors.map { "\($0.span?.description ?? "-") \($0.message)" })")
      #expect(
        errors.first?.message.hasPrefix("the allow-all grant lets tag:reverse-proxy → tag:database:5432") == true,
        "\(errors.first?.message ?? "")")
    }
  }

  @Test func theMergedPolicyKeepsEveryOtherByteAndPassesItsTests() throws {
    let base = try Self.withoutAllowAll()
    let result = try Self.merge(base)
    let merged = result.bytes
    #expect(result.warnings.isEmpty, "\(result.warnings.map(\.message))")

    // Strict HuJSON, with tailwart's entries inside the operator's sections.
    let tree = try HuJSON.parseLocated(merged)
    #expect(
      tree.value.objectValue?.map(\.name) == [
        "groups", "hosts", "tagOwners", "grants", "acls", "ssh", "nodeAttrs", "tests",
      ])
    let owners = try #require(tree["tagOwners"]?.value.objectValue).map(\.name)
    #expect(owners == ["tag:database", "tag:mail", "tag:reverse-proxy", "tag:stalwart", "tag:ci", "tag:monitor"])
    let grants = try #require(tree["grants"]?.items)
    #expect(grants.count == 4 + 2)
    #expect(grants.last?.value["dst"]?.stringArray == ["autogroup:tagged"])

    // Removing tailwart's blocks gives the operator's file back, byte for byte.
    var stripped = merged
    for block in try PolicyMerge.earlierBlocks(merged, comments: tree.comments).reversed() {
      stripped.removeSubrange(block)
    }
    #expect(stripped == base)

    // Every test of the merged policy, tailwart's and the operator's, passes.
    let policy = try TailnetPolicy.read(tree, lines: LineTable(merged))
    #expect(policy.tests.count == 2 + 3)
    let outcomes = PolicyEvaluator.evaluate(policy)
    for outcome in outcomes {
      guard case .pass = outcome.verdict else {
        Issue.record("\(outcome.test.source) → \(outcome.target.value) (\(outcome.expectation)): \(outcome.verdict)")
        continue
      }
    }
    #expect(outcomes.count > 10)

    // A second merge leaves it as it is.
    #expect(try Self.merge(merged).bytes == merged)
  }

  @Test func aChangedInventoryReplacesTheEarlierBlock() throws {
    let first = try Self.merge(try Self.withoutAllowAll()).bytes
    let noRelay = try F.noRelay()
    let second = try Self.merge(first, inventory: noRelay).bytes
    #expect(second != first)
    #expect(!String(decoding: second, as: UTF8.self).contains("tag:mail:587"))
    #expect(try Self.merge(try Self.withoutAllowAll(), inventory: noRelay).bytes == second)
  }

  @Test func anOperatorGrantThatOpensAClosedPairIsRefusedAtItsLine() throws {
    let text = String(decoding: try Self.withoutAllowAll(), as: UTF8.self)
    let wide = try F.edit(
      text, "\t\t// Staff use the NAS.\n",
      "\t\t// Staff use the NAS.\n\t\t{\"src\": [\"tag:reverse-proxy\"], \"dst\": [\"tag:database\"], \"ip\": [\"tcp:5000-6000\"]},\n"
    )
    do {
      _ = try Self.merge(Array(wide.utf8))
      Issue.record("must be refused")
    } catch {
      let line =
        wide.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("tcp:5000-6000") }! + 1
      #expect(
        error.findings.contains {
          $0.span?.start.line == line && $0.message.hasPrefix("this grant lets tag:reverse-proxy → tag:database:5432")
        }, "\(error.findings.map(\.message))")
    }
    // An ACL is judged the same way.
    let acl = try F.edit(
      text, "\t\t{\"action\": \"accept\", \"src\": [\"tag:ci\"], \"dst\": [\"office-lan:22\"]},\n",
      "\t\t{\"action\": \"accept\", \"src\": [\"tag:ci\"], \"dst\": [\"office-lan:22\"]},\n\t\t{\"action\": \"accept\", \"src\": [\"tag:database\"], \"dst\": [\"tag:stalwart:*\"]},\n"
    )
    #expect(throws: FindingsError.self) { try Self.merge(Array(acl.utf8)) }
  }

  @Test func brokenMarkersAndBadPoliciesAreRefusedWithTheirLine() throws {
    let text = String(decoding: try Self.withoutAllowAll(), as: UTF8.self)
    let unpaired = try F.edit(text, "\t\"grants\": [\n", "\t\"grants\": [\n\t\t// tailwart:begin grants\n")
    do {
      _ = try Self.merge(Array(unpaired.utf8))
      Issue.record("an unpaired marker must be refused")
    } catch {
      #expect(error.findings.first?.span?.start.line == 21)
      #expect(error.findings.first?.message.contains("tailwart:begin without its tailwart:end") == true)
    }
    do {
      _ = try Self.merge(Array("{\"grants\": [\n  {\"src\": [\"*\"],,}\n]}".utf8))
      Issue.record("invalid HuJSON must be refused")
    } catch {
      #expect(error.findings.first?.span?.start.line == 2)
    }
  }

  /// Sections the policy lacks are added whole; text that shares a line
  /// with the insertion point is never commented out; merging again gives
  /// the same bytes; the policy's own tag owners stand.
  @Test func sparseAndOneLinePoliciesMergeAndMergeAgain() throws {
    for text in ["{}\n", "{\"grants\": [{\"src\": [\"group:ops\"], \"dst\": [\"tag:ci\"], \"ip\": [\"tcp:22\"]}]}"] {
      let merged = try Self.merge(Array(text.utf8)).bytes
      let tree = try HuJSON.parseLocated(merged)
      #expect(tree["grants"]?.items.count == (text.count > 4 ? 5 : 4), "\(String(decoding: merged, as: UTF8.self))")
      #expect(tree["tests"]?.items.count == 3)
      #expect(try Self.merge(merged).bytes == merged)
      var stripped = merged
      for block in try PolicyMerge.earlierBlocks(merged, comments: tree.comments).reversed() { stripped.removeSubrange(block) }
      #expect(stripped == Array(text.utf8))
    }
    let owned = "{\n  \"tagOwners\": {\"tag:stalwart\": [\"group:ops\"]},\n}\n"
    let result = try Self.merge(Array(owned.utf8))
    let tree = try HuJSON.parseLocated(result.bytes)
    #expect(tree["tagOwners"]?.value["tag:stalwart"]?.stringArray == ["group:ops"])
    #expect(result.warnings.map { $0.span?.start.line } == [2])
  }
}
