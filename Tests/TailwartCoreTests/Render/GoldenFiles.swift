import Foundation
import Testing

@testable import TailwartCore

/// The golden-file inputs: the repository's inventory.yaml and variants of
/// it, each with the outputs every renderer must produce for it.
enum GoldenFiles {
  struct Variant: CustomTestStringConvertible, Sendable {
    var name: String
    var inventory: URL
    var expected: URL { GoldenFiles.folder.appendingPathComponent(name).appendingPathComponent("expected") }
    var testDescription: String { name }
  }

  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

  static let variants: [Variant] = [
    Variant(name: "shipped", inventory: packageRoot.appendingPathComponent("inventory.yaml")),
    Variant(name: "edge-ipv6", inventory: folder.appendingPathComponent("edge-ipv6/inventory.yaml")),
    Variant(name: "no-relay", inventory: folder.appendingPathComponent("no-relay/inventory.yaml")),
  ]

  /// True when the expected files are to be rewritten from the renderers.
  static var recording: Bool { ProcessInfo.processInfo.environment["TAILWART_RECORD"] == "1" }

  /// The variant checked and rendered, as `render` does it.
  static func render(_ variant: Variant) throws -> [Output] {
    let checked = try check(variant)
    return try RenderCatalog.renderAll(checked, context: RenderContext(inventoryName: "inventory.yaml"))
  }

  static func check(_ variant: Variant) throws -> CheckedDeployment {
    let bytes = [UInt8](try Data(contentsOf: variant.inventory))
    let loaded = try Inventory.load(bytes: bytes, file: "inventory.yaml")
    let result = Checker.check(loaded.deployment)
    guard let checked = result.checked else {
      throw Refused(findings: result.findings.map { "\($0.span?.description ?? "-"): \($0.message)" })
    }
    return checked
  }

  struct Refused: Error, CustomStringConvertible {
    var findings: [String]
    var description: String { "the inventory does not pass check: " + findings.joined(separator: "; ") }
  }
}
