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
    // Read once: the bytes loaded are the bytes quoted.
    let bytes: [UInt8]
    do {
      bytes = try Inventory.read(path: inventory)
    } catch {
      console.report(error.findings, sources: [:], siteURL: nil)
      throw ExitCode.failure
    }
    do {
      return try Inventory.load(bytes: bytes, file: inventory)
    } catch {
      let quotable = QuotedSource.mayQuote(path: inventory, bytes: bytes)
      console.report(
        error.findings, sources: quotable ? [inventory: String(decoding: bytes, as: UTF8.self)] : [:], siteURL: nil)
      throw ExitCode.failure
    }
  }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, sarif, github
}
