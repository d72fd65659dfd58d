import ArgumentParser
import Foundation
import TailwartCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Start a deployment: a commented inventory.yaml with your values, a .gitignore and the lessons.",
    discussion: """
      Writes DIR/inventory.yaml (the reference deployment with your values and a fresh random ULA \
      Global ID), DIR/inventory.schema.json (for editors), DIR/.gitignore (_site/ and .tailwart/) \
      and DIR/site/lessons.md (a copy of the project's lessons, yours to extend). On a terminal it asks for each value not given as an \
      option; otherwise it writes the reference's placeholders and lists them. It never \
      overwrites a file: an existing inventory.yaml stops it before anything is written, and an \
      existing .gitignore or lessons file is left as it is. The result passes `tailwart check`.
      """
  )

  @Argument(help: ArgumentHelp("The folder to start in (created if missing).", valueName: "DIR"))
  var directory: String = "."

  @Option(help: ArgumentHelp("The mail domain (e.g. example.org).", valueName: "DOMAIN"))
  var domain: String?

  @Option(help: ArgumentHelp("Your tailnet's MagicDNS suffix (e.g. tail1234ab.ts.net).", valueName: "SUFFIX"))
  var tailnet: String?

  @Option(name: .customLong("edge-ipv4"), help: ArgumentHelp("The edge's public IPv4 address.", valueName: "ADDRESS"))
  var edgeIPv4: String?

  @Option(
    name: .customLong("acme-account"),
    help: ArgumentHelp("Stalwart's ACME account URI, if it has one already.", valueName: "URI"))
  var acmeAccount: String?

  func validate() throws {
    if let domain, Self.domain(domain) == nil { throw ValidationError("--domain \(domain) is not a DNS name such as example.org") }
    if let tailnet, TailnetName(tailnet) == nil {
      throw ValidationError("--tailnet \(tailnet) is not a MagicDNS suffix such as tail1234ab.ts.net")
    }
    if let edgeIPv4, IPv4Address(edgeIPv4) == nil { throw ValidationError("--edge-ipv4 \(edgeIPv4) is not an IPv4 address") }
    if let acmeAccount, Self.account(acmeAccount) == nil {
      throw ValidationError("--acme-account \(acmeAccount) is not an https URL")
    }
  }

  static func domain(_ text: String) -> DomainName? {
    DomainName(text).flatMap { $0.labels.count >= 2 && !$0.text.hasSuffix(".ts.net") ? $0 : nil }
  }

  static func account(_ text: String) -> String? {
    text.hasPrefix("https://") && text.count > 8 && !text.contains(where: { $0.isWhitespace || $0 == "\"" }) ? text : nil
  }

  func run() throws {
    let console = Console()
    let folder = directory
    let inventoryPath = Self.join(folder, "inventory.yaml")
    if Self.exists(inventoryPath) {
      console.status("tailwart: error: \(inventoryPath) already exists; init never overwrites a file (nothing written)")
      throw ExitCode.failure
    }

    var values = NewDeployment.Values(
      domain: domain.flatMap(Self.domain), tailnet: tailnet.flatMap(TailnetName.init),
      edgeIPv4: edgeIPv4.flatMap(IPv4Address.init), accountURI: acmeAccount)
    if isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 {
      if values.domain == nil { values.domain = Self.ask("mail domain (e.g. example.org)", Self.domain) }
      if values.tailnet == nil { values.tailnet = Self.ask("tailnet MagicDNS suffix (e.g. tail1234ab.ts.net)", TailnetName.init) }
      if values.edgeIPv4 == nil { values.edgeIPv4 = Self.ask("the edge's public IPv4 address", IPv4Address.init) }
      if values.accountURI == nil {
        values.accountURI = Self.ask("Stalwart's ACME account URI (empty if it has none yet)", Self.account)
      }
    }

    let text = NewDeployment.inventory(values, globalID: NewDeployment.randomGlobalID())
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Self.create(inventoryPath, text)
    } catch {
      console.status("tailwart: error: cannot write \(inventoryPath): \(error.localizedDescription)")
      throw ExitCode.failure
    }
    console.status("wrote \(inventoryPath)")

    let gitignorePath = Self.join(folder, ".gitignore")
    if let existing = FileManager.default.contents(atPath: gitignorePath).map({ String(decoding: $0, as: UTF8.self) }) {
      let present = Set(existing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
      let missing = NewDeployment.gitignoreLines.filter { !present.contains($0) && !present.contains("/" + $0) }
      if !missing.isEmpty {
        console.status("note: \(gitignorePath) exists and is left as it is; add to it: \(missing.joined(separator: " "))")
      }
    } else {
      try write(gitignorePath, NewDeployment.gitignore, console: console)
    }

    let schemaPath = Self.join(folder, InventorySchema.fileName)
    if Self.exists(schemaPath) {
      console.status("note: \(schemaPath) exists and is left as it is (tailwart schema -o \(schemaPath) rewrites it)")
    } else {
      try write(schemaPath, InventorySchema.json(), console: console)
    }

    let lessonsPath = Self.join(folder, NewDeployment.lessonsPath)
    if Self.exists(lessonsPath) {
      console.status("note: \(lessonsPath) exists and is left as it is")
    } else {
      try write(lessonsPath, NewDeployment.lessons, console: console)
    }

    let left = NewDeployment.placeholders(values)
    if !left.isEmpty {
      console.status(
        "placeholders to replace in \(inventoryPath): "
          + left.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
    }
    let inFolder = folder == "." ? "" : "cd \(ShellWord.quote(folder)) && "
    console.status("next: \(inFolder)tailwart check && tailwart render && tailwart site")
  }

  private func write(_ path: String, _ text: String, console: Console) throws {
    do {
      let parent = (path as NSString).deletingLastPathComponent
      if !parent.isEmpty { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
      try Self.create(path, text)
    } catch {
      console.status("tailwart: error: cannot write \(path): \(error.localizedDescription)")
      throw ExitCode.failure
    }
    console.status("wrote \(path)")
  }

  /// Asks on the terminal until the answer parses; an empty answer or the
  /// end of input keeps the placeholder.
  static func ask<T>(_ question: String, _ parse: (String) -> T?) -> T? {
    while true {
      StandardStreams.err("\(question): ")
      guard let line = readLine(strippingNewline: true) else {
        StandardStreams.err("\n")
        return nil
      }
      let answer = line.trimmingCharacters(in: .whitespaces)
      if answer.isEmpty { return nil }
      if let value = parse(answer) { return value }
      StandardStreams.err("  not valid here; try again, or press Enter to keep the placeholder\n")
    }
  }

  static func join(_ folder: String, _ name: String) -> String {
    folder == "." || folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name)
  }

  /// True for anything at `path`, a dangling symbolic link included.
  static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// Creates `path` with `text`; fails if anything is already there (never
  /// replaces a file, not even one made a moment ago by someone else).
  static func create(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard fd >= 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
    }
    let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
  }
}
