import ArgumentParser
import Foundation
import TailwartCore

struct SiteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "site",
    abstract: "Build the lessons website: every lesson, rule and generated file, cross-linked.",
    discussion: """
      Reads the lessons Markdown the inventory names (or --lessons FILE) and writes a static \
      site that works opened from disk. A reference to a lesson or heading that does not exist \
      fails the build with file:line and writes nothing. When the inventory fails `check`, the \
      site is still built and its file pages say why they are empty. Pages whose bytes did not \
      change are not rewritten; pages an earlier build made that this one no longer makes (a \
      lesson removed or renumbered) are removed, and nothing else: the output folder's \
      .tailwart-manifest.json lists what the site wrote, with a hash of each file. A file the \
      site did not write, or that was edited since, is overwritten only with --force. The pages \
      are written all or none.
      Exit 0 on success (warnings allowed), 1 on errors, 2 on usage errors.
      """
  )

  @OptionGroup var options: InventoryOptions

  @Option(help: ArgumentHelp("The lessons Markdown (default: the inventory's `lessons`).", valueName: "FILE"))
  var lessons: String?

  @Option(
    name: [.short, .customLong("output")],
    help: ArgumentHelp("Where the site goes (default: _site next to the inventory).", valueName: "DIR"))
  var output: String?

  @Flag(help: "Overwrite files in the output folder that tailwart did not write, or that were edited since.")
  var force = false

  func run() throws {
    let console = Console()
    let inventory = options.inventory
    let inventoryExists = FileManager.default.fileExists(atPath: inventory)
    // Without --lessons, the inventory names the lessons file: a broken
    // inventory stops here. With --lessons, the site is built even when the
    // inventory does not load or fails check; its file pages say why.
    var loaded: Inventory.Loaded?
    if lessons == nil { loaded = try options.load(console: console) }

    let inventoryFolder = URL(fileURLWithPath: inventory).deletingLastPathComponent()
    let lessonsPath: String
    if let lessons {
      lessonsPath = lessons
    } else if let loaded {
      lessonsPath = Self.join(inventoryFolder, loaded.deployment.lessons.value)
    } else {
      throw UsageError("no lessons file: give --lessons FILE or an inventory (-i FILE)")
    }
    let outputPath = output ?? Self.join(inventoryFolder, "_site")

    let context = RenderContext(inventoryName: URL(fileURLWithPath: inventory).lastPathComponent)
    let files: GeneratedFiles
    if let inventory = loaded ?? (inventoryExists ? try? Inventory.load(path: inventory) : nil) {
      let result = Checker.check(inventory.deployment, strict: options.strict)
      let errors = result.findings.filter { $0.severity == .error }.count
      files = GeneratedFiles.catalog(
        result.checked, context: context,
        reason:
          "\(self.options.inventory) fails tailwart check (\(errors) error\(errors == 1 ? "" : "s")); run tailwart check -i \(self.options.inventory)"
      )
    } else {
      files = GeneratedFiles.catalog(
        nil, context: context,
        reason: inventoryExists
          ? "\(inventory) does not load (run tailwart check -i \(inventory))" : "no inventory was given")
    }

    let source: LessonsSource
    do {
      // Named by the inventory, the lessons file lies in its repository.
      source = try LessonsSource.read(
        path: lessonsPath, root: lessons == nil ? SourceFile.repositoryRoot(of: inventory) : nil)
    } catch {
      console.report(error.findings, sources: [:], siteURL: nil)
      console.status("tailwart: site build stopped at step 'parse' (\(lessonsPath)); nothing was written")
      throw ExitCode.failure
    }
    do {
      let report = try SiteBuilder.build(
        source, files: files, output: URL(fileURLWithPath: outputPath), strict: options.strict, force: force,
        protecting: [inventoryFolder.relativePath, (lessonsPath as NSString).deletingLastPathComponent].map {
          $0.isEmpty ? "." : $0
        })
      if inventoryExists, let reason = report.filesUnavailable {
        console.status("tailwart: note: \(reason); the file pages say so")
      }
      // The text is only needed to quote lines; a long file is not decoded for nothing.
      console.report(report.warnings, sources: report.warnings.isEmpty ? [:] : [source.file: source.text], siteURL: nil)
      let unchanged = report.files - report.written
      console.status(
        Summary.line(
          outputPath, [(report.written, "written"), (unchanged, "unchanged")] + Summary.unlessZero(report.removed, "removed"),
          total: Summary.count(report.files, "file"), keepZero: true))
    } catch {
      console.report(error.findings, sources: [source.file: source.text], siteURL: nil)
      let tail = "; nothing was written"
      console.status("tailwart: \(error)\(tail)")
      throw ExitCode.failure
    }
  }

  /// `relative` inside `folder`, kept relative when the folder is "." so
  /// messages show the paths the operator typed.
  static func join(_ folder: URL, _ relative: String) -> String {
    let base = folder.relativePath
    return base.isEmpty || base == "." ? relative : base + "/" + relative
  }
}
