import Foundation
import PackagePlugin

/// Embeds `templates/` and `site/assets/` into TailwartCore, so renderers and
/// the site builder never look for files next to the binary, and the
/// reference `inventory.yaml` and `site/lessons.md`, which `tailwart init`
/// starts a deployment from.
@main
struct EmbedFiles: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let root = context.package.directoryURL
    var inputs: [URL] = []
    for folder in ["templates", "site/assets"] {
      let base = root.appending(path: folder)
      guard
        let walker = FileManager.default.enumerator(
          at: base, includingPropertiesForKeys: [.isRegularFileKey])
      else { continue }
      for case let url as URL in walker {
        let isFile = (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) ?? false
        if isFile && !url.lastPathComponent.hasPrefix(".") { inputs.append(url) }
      }
    }
    // `tailwart init` writes these two for a new deployment.
    for file in ["inventory.yaml", "site/lessons.md"] {
      inputs.append(root.appending(path: file))
    }
    inputs.sort { $0.path < $1.path }
    let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(inputs.count) template and asset files",
        executable: try context.tool(named: "embed-files").url,
        arguments: [output.path, root.path] + inputs.map(\.path),
        inputFiles: inputs,
        outputFiles: [output]
      )
    ]
  }
}
