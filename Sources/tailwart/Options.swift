import ArgumentParser
import Foundation
import TailwartCore

/// Options every command that reads the inventory shares.
struct InventoryOptions: ParsableArguments {
  @Option(name: [.short, .customLong("inventory")], help: "The inventory file.")
  var inventory: String = "inventory.yaml"

  @Flag(help: "Treat warnings as errors.")
  var strict = false

  /// Loads and decodes the inventory; a missing file is a usage error.
  func load(console: Console) throws -> Inventory.Loaded {
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: inventory, isDirectory: &isDirectory) {
      throw UsageError("inventory file \(inventory) not found (use -i FILE)")
    }
    do {
      return try Inventory.load(path: inventory)
    } catch {
      let source = (try? Inventory.read(path: inventory)).map { String(decoding: $0, as: UTF8.self) }
      console.report(error.findings, sources: source.map { [inventory: $0] } ?? [:], siteURL: nil)
      throw ExitCode.failure
    }
  }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, sarif, github
}
