import Foundation
import Testing

@testable import TailwartCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Inputs are regular files inside their repository: never a pipe or a
/// device (which could block or never end), never a link out of the
/// repository, never a file inside `.git`.
@Suite(.timeLimit(.minutes(1)))
struct SourceFileTests {
  /// A temporary repository (`.git` folder included) holding the shipped
  /// inventory, and a folder outside it.
  struct Repository {
    let root: URL
    let outside: URL
    var inventory: String { root.appendingPathComponent("inventory.yaml").path }

    init() throws {
      let base = FileManager.default.temporaryDirectory.appendingPathComponent("tw-input-\(UUID().uuidString)")
      root = base.appendingPathComponent("repo")
      outside = base.appendingPathComponent("outside")
      for folder in [root.appendingPathComponent(".git"), root.appendingPathComponent("site"), outside] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      }
      try Data(ExampleInventory.text.utf8).write(to: root.appendingPathComponent("inventory.yaml"))
      try Data("[remote \"origin\"]\n\turl = https://ops:s3cr3tT0ken@git.example.com/mail.git\n".utf8)
        .write(to: root.appendingPathComponent(".git/config"))
    }

    func remove() { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
  }

  @Test func aFIFOIsRefusedWithoutBlocking() throws {
    let repo = try Repository()
    defer { repo.remove() }
    let fifo = repo.root.appendingPathComponent("fifo.yaml").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let error = #expect(throws: FindingsError.self) { _ = try Inventory.read(path: fifo) }
    #expect(error?.findings.first?.message.contains("is a named pipe (FIFO), not a regular file") == true)
    let lessons = #expect(throws: FindingsError.self) { _ = try LessonsSource.read(path: fifo) }
    #expect(lessons?.findings.first?.message.contains("named pipe") == true)
  }

  @Test(arguments: ["/dev/null", "/dev/zero", "/tmp"])
  func devicesAndFoldersAreRefused(_ path: String) throws {
    let error = #expect(throws: FindingsError.self) { _ = try Inventory.read(path: path) }
    #expect(error?.findings.first?.message.contains("not a regular file") == true)
  }

  @Test func aLinkOutOfTheRepositoryIsRefused() throws {
    let repo = try Repository()
    defer { repo.remove() }
    let elsewhere = repo.outside.appendingPathComponent("inventory.yaml")
    try Data(ExampleInventory.text.utf8).write(to: elsewhere)
    let link = repo.root.appendingPathComponent("linked.yaml").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: elsewhere.path)
    let error = #expect(throws: FindingsError.self) { _ = try Inventory.read(path: link) }
    #expect(error?.findings.first?.message.contains("resolves to a file outside") == true)

    // A link that stays inside the repository is fine.
    let inside = repo.root.appendingPathComponent("site/inventory.yaml").path
    try FileManager.default.createSymbolicLink(atPath: inside, withDestinationPath: repo.inventory)
    #expect(try Inventory.read(path: inside) == Array(ExampleInventory.text.utf8))
  }

  /// The environment is never read, so never printed.
  @Test func aLinkToProcSelfEnvironIsRefused() throws {
    #if os(Linux)
      let repo = try Repository()
      defer { repo.remove() }
      let link = repo.root.appendingPathComponent("env.yaml").path
      try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/proc/self/environ")
      let error = #expect(throws: FindingsError.self) { _ = try Inventory.read(path: link) }
      #expect(error?.findings.count == 1)
      #expect(error?.findings.first?.message.contains("outside") == true)
    #endif
  }

  /// The lessons file the inventory names lies in its repository, outside
  /// `.git` (whose config holds remotes with credentials).
  @Test func lessonsInsideGitOrOutsideTheRepositoryAreRefused() throws {
    let repo = try Repository()
    defer { repo.remove() }
    let root = SourceFile.repositoryRoot(of: repo.inventory)
    #expect(root.hasSuffix("/repo"))
    let git = #expect(throws: FindingsError.self) {
      _ = try LessonsSource.read(path: repo.root.appendingPathComponent(".git/config").path, root: root)
    }
    #expect(git?.findings.first?.message.contains("inside .git") == true)

    let notes = repo.outside.appendingPathComponent("notes.md")
    try Data("# Notes\n".utf8).write(to: notes)
    let link = repo.root.appendingPathComponent("site/lessons.md").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: notes.path)
    let away = #expect(throws: FindingsError.self) { _ = try LessonsSource.read(path: link, root: root) }
    #expect(away?.findings.first?.message.contains("outside") == true)
  }

  @Test func quotingOnlyForInventoryText() {
    #expect(QuotedSource.mayQuote(path: "deploy/inventory.yaml", bytes: Array("a: b\n".utf8)))
    #expect(!QuotedSource.mayQuote(path: "/proc/self/environ", bytes: Array("A=b\0C=d\0".utf8)))
    #expect(!QuotedSource.mayQuote(path: "credentials", bytes: Array("[default]\nkey = x\n".utf8)))
    #expect(!QuotedSource.mayQuote(path: "x.yaml", bytes: [0x61, 0xFF]))
  }
}
