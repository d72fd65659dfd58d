import Foundation

/// The pre-commit check: the inventory as it is staged (git's index), not as
/// it is in the working tree, checked against every rule, and the generated
/// files as they are staged compared with what that inventory renders. Only
/// the index decides; the working tree is read only to say which command
/// fixes a mismatch (`git add` when the working tree already holds the
/// right bytes, `tailwart render` first when it does not).
public enum StagedCheck {
  /// A generated file whose staged copy is not what the staged inventory
  /// renders.
  public struct Mismatch: Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
      /// Not in the index at all.
      case notStaged
      /// Staged, but rendered from another inventory.
      case stale
      /// Staged with changes tailwart did not make.
      case editedByHand
      /// Staged, but tailwart has no record of writing it.
      case notWrittenByTailwart
    }

    /// The file as the operator names it (relative to the current folder).
    public var path: String
    /// The file's path inside the output folder.
    public var outputPath: String
    public var problem: Problem
    /// The working tree's copy holds the rendered bytes: `git add` is all
    /// that is missing.
    public var workingTreeIsRendered: Bool
  }

  public struct Report: Sendable {
    /// The inventory as the operator named it.
    public var inventory: String
    /// False when the inventory is not in the index (nothing is checked).
    public var inventoryStaged = false
    /// The working tree's inventory differs from the staged one.
    public var inventoryHasUnstagedChanges = false
    /// The staged inventory's text, for quoting findings.
    public var source = ""
    public var siteURL: String?
    /// Load errors, or every rule's findings for the staged inventory.
    public var findings: [Finding] = []
    /// The output folder as the operator names it.
    public var outputFolder = ""
    /// git ignores the output folder: generated files are not committed, so
    /// they are not compared.
    public var outputIgnored = false
    /// How many generated files (and the manifest) were compared.
    public var compared = 0
    public var mismatches: [Mismatch] = []

    /// The commit may go ahead.
    public var passes: Bool { inventoryStaged ? !findings.hasErrors && mismatches.isEmpty : true }
    /// Every mismatch's working-tree copy is already right: staging them is the fix.
    public var onlyNeedsAdding: Bool { mismatches.allSatisfy(\.workingTreeIsRendered) }
  }

  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var description: String
  }

  /// Checks what is staged for `inventory` (a path relative to the current
  /// folder, inside a git working tree).
  public static func run(inventory: String, strict: Bool) throws(Failure) -> Report {
    let git = Git()
    var report = Report(inventory: inventory)
    do {
      _ = try git.run(["rev-parse", "--show-toplevel"])
    } catch {
      throw Failure(description: "not inside a git working tree (\(error))")
    }
    let entries: [Git.IndexEntry]
    do {
      entries = try git.staged([":(literal)" + inventory])
    } catch {
      throw Failure(description: error.description)
    }
    guard let entry = entries.first(where: { $0.mode.hasPrefix("100") }) else { return report }
    report.inventoryStaged = true

    let bytes: [UInt8]
    do {
      bytes = try git.blob(entry.object)
    } catch {
      throw Failure(description: error.description)
    }
    report.source = String(decoding: bytes, as: UTF8.self)
    if let working = FileManager.default.contents(atPath: inventory) {
      report.inventoryHasUnstagedChanges = [UInt8](working) != bytes
    } else {
      report.inventoryHasUnstagedChanges = true
    }

    let loaded: Inventory.Loaded
    do {
      loaded = try Inventory.load(bytes: bytes, file: inventory)
    } catch {
      report.findings = error.findings
      return report
    }
    let deployment = loaded.deployment
    report.siteURL = deployment.siteURL.value
    let result = Checker.check(deployment, strict: strict)
    report.findings = result.findings
    guard let checked = result.checked else { return report }

    let context = RenderContext(inventoryName: (inventory as NSString).lastPathComponent)
    let outputs: [Output]
    do {
      outputs = try RenderCatalog.renderAll(checked, context: context)
    } catch {
      throw Failure(description: "\(error)")
    }

    // The output folder in the operator's terms and in the repository's.
    let inventoryFolder = (inventory as NSString).deletingLastPathComponent
    report.outputFolder = Self.join(inventoryFolder, deployment.output.value)
    let topFolder = Self.normalise(Self.join((entry.path as NSString).deletingLastPathComponent, deployment.output.value))
    let names = outputs.map(\.path) + [GeneratedManifest.fileName]

    if let first = outputs.first {
      let probe = WritePlan.join(report.outputFolder, first.path)
      if (try? git.status(["check-ignore", "-q", "--", probe]))?.status == 0 {
        report.outputIgnored = true
        return report
      }
    }

    // The staged generated files, written into a scratch folder so that the
    // writer's own plan compares them (hashes, hand edits) exactly as
    // `render --check` would compare the working tree.
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("tailwart-staged-\(getpid())-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    var stagedManifest: [UInt8]?
    do {
      let specs = names.map { ":(top,literal)" + Self.join(topFolder, $0) }
      let staged = try git.staged(specs)
      for name in names {
        guard let item = staged.first(where: { $0.path == Self.join(topFolder, name) }) else { continue }
        guard item.mode.hasPrefix("100") else { continue }  // a link or a submodule is no generated file
        let content = try git.blob(item.object)
        if name == GeneratedManifest.fileName { stagedManifest = content }
        let target = scratch.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: target.path, contents: Data(content)) else {
          throw Failure(description: "cannot write the staged copy of \(name) to \(scratch.path)")
        }
      }
    } catch let error as Failure {
      throw error
    } catch let error as Git.Failure {
      throw Failure(description: error.description)
    } catch {
      throw Failure(description: "\(error)")
    }

    let plan: WritePlan
    do {
      plan = try OutputWriter.plan(outputs, folder: scratch.path)
    } catch {
      throw Failure(description: "\(error)")
    }
    report.compared = plan.entries.count + 1
    for entry in plan.entries where entry.needsWrite {
      let problem: Mismatch.Problem
      switch entry.state {
      case .missing: problem = .notStaged
      case .editedByHand: problem = .editedByHand
      case .notWrittenByTailwart: problem = .notWrittenByTailwart
      default: problem = .stale
      }
      let path = WritePlan.join(report.outputFolder, entry.output.path)
      report.mismatches.append(
        Mismatch(
          path: path, outputPath: entry.output.path, problem: problem,
          workingTreeIsRendered: Self.contents(path) == entry.output.bytes))
    }
    if stagedManifest != plan.manifest.bytes {
      let path = WritePlan.join(report.outputFolder, GeneratedManifest.fileName)
      report.mismatches.append(
        Mismatch(
          path: path, outputPath: GeneratedManifest.fileName, problem: stagedManifest == nil ? .notStaged : .stale,
          workingTreeIsRendered: Self.contents(path) == plan.manifest.bytes))
    }
    return report
  }

  private static func contents(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
  }

  /// `relative` inside `folder`, without a leading `./` for the current folder.
  static func join(_ folder: String, _ relative: String) -> String {
    folder.isEmpty || folder == "." ? relative : (folder.hasSuffix("/") ? folder + relative : folder + "/" + relative)
  }

  /// A repository path without `.` parts or doubled slashes (`./deploy/` → `deploy`).
  static func normalise(_ path: String) -> String {
    path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
  }
}
