import Foundation

/// Runs `git` in the current folder with the environment tailwart was given
/// (inside a hook that includes `GIT_INDEX_FILE`, so a partial commit's
/// temporary index is the one read).
struct Git: Sendable {
  struct Failure: Error, Sendable, CustomStringConvertible {
    var description: String
  }

  /// git's standard output; throws with git's first line of complaint when
  /// it exits non-zero.
  func run(_ arguments: [String]) throws(Failure) -> [UInt8] {
    let result = try status(arguments)
    guard result.status == 0 else {
      let reason = result.stderr.split(separator: "\n").first.map { ": " + $0 } ?? ""
      throw Failure(description: "git \(arguments.first ?? "") failed\(reason)")
    }
    return result.stdout
  }

  /// git's exit status, standard output and standard error.
  func status(_ arguments: [String]) throws(Failure) -> (status: Int32, stdout: [UInt8], stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw Failure(description: "cannot run git: \(error.localizedDescription)")
    }
    // git says little on stderr; stdout is read to its end first.
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let complaint = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, [UInt8](data), String(decoding: complaint, as: UTF8.self))
  }

  /// One entry of the index (the staging area).
  struct IndexEntry: Sendable, Equatable {
    /// `100644`, `100755`, `120000` (a symbolic link), `160000` (a submodule).
    var mode: String
    var object: String
    /// The path from the repository's top folder.
    var path: String
  }

  /// The index's entries for `pathspecs` (paths relative to the current
  /// folder, or with pathspec magic such as `:(top,literal)`).
  func staged(_ pathspecs: [String]) throws(Failure) -> [IndexEntry] {
    let bytes = try run(["ls-files", "--stage", "-z", "--full-name", "--"] + pathspecs)
    return bytes.split(separator: 0).compactMap { record in
      // "<mode> <object> <stage>\t<path>"
      guard let tab = record.firstIndex(of: 0x09) else { return nil }
      let fields = String(decoding: record[record.startIndex..<tab], as: UTF8.self).split(separator: " ")
      guard fields.count == 3 else { return nil }
      return IndexEntry(
        mode: String(fields[0]), object: String(fields[1]),
        path: String(decoding: record[(tab + 1)...], as: UTF8.self))
    }
  }

  /// The bytes of a blob, exactly as committed (no filters applied).
  func blob(_ object: String) throws(Failure) -> [UInt8] {
    try run(["cat-file", "blob", object])
  }
}
