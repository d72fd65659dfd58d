import ArgumentParser
import Foundation
import TailwartCore

struct SchemaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema",
    abstract: "Print the JSON Schema of inventory.yaml, for editors' completion and hover text.",
    discussion: """
      Made from the same table of keys the inventory's decoder is held to. Save it beside the \
      inventory (-o inventory.schema.json) and name it on the inventory's first line: \
      `# yaml-language-server: $schema=inventory.schema.json` (VS Code's YAML extension, Neovim \
      with yaml-language-server). An existing file is replaced only when its bytes differ.
      """
  )

  @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the schema to FILE instead of stdout.", valueName: "FILE"))
  var output: String?

  func run() throws {
    let text = InventorySchema.json()
    guard let output else {
      StandardStreams.out(text)
      return
    }
    if FileManager.default.contents(atPath: output) == Data(text.utf8) {
      StandardStreams.err("\(output): already up to date\n")
      return
    }
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
    } catch {
      StandardStreams.err("tailwart: error: cannot write \(output): \(error.localizedDescription)\n")
      throw ExitCode.failure
    }
    StandardStreams.err("wrote \(output)\n")
  }
}
