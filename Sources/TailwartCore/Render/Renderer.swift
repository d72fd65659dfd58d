/// One output file: a path inside the output folder and its bytes.
public struct Output: Sendable, Equatable {
  /// Relative, `/`-separated, no `..`, no empty or hidden components.
  public let path: String
  public let bytes: [UInt8]
  /// Lines that a rule or lesson is about; the site links them.
  public let annotations: [OutputAnnotation]

  public init(path: String, bytes: [UInt8], annotations: [OutputAnnotation] = []) {
    precondition(OutputPath.isSafeFile(path), "renderer produced unsafe path \(path)")
    self.path = path
    self.bytes = bytes
    self.annotations = annotations
  }

  public init(path: String, text: String, annotations: [OutputAnnotation] = []) {
    self.init(path: path, bytes: Array(text.utf8), annotations: annotations)
  }

  public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// "Line N of this file exists because of lesson L / is what rule R checks."
public struct OutputAnnotation: Sendable, Equatable {
  /// 1-based line in the output.
  public let line: Int
  public let lessons: [Int]
  public let rules: [String]

  public init(line: Int, lessons: [Int] = [], rules: [String] = []) {
    self.line = line
    self.lessons = lessons
    self.rules = rules
  }
}

public enum OutputPath {
  /// True for a relative path that cannot leave the folder it is joined to.
  public static func isSafe(_ path: String) -> Bool {
    // One pass over the bytes (the site checks every page it writes): no
    // backslash or NUL anywhere, and every part between slashes non-empty
    // and not starting with a dot, which also refuses ".", "..", a leading
    // slash and a trailing one. "/" and "." are ASCII, so they are never
    // part of a longer character.
    var atPartStart = true
    for byte in path.utf8 {
      if byte == UInt8(ascii: "\\") || byte == 0 { return false }
      if atPartStart && (byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".")) { return false }
      atPartStart = byte == UInt8(ascii: "/")
    }
    return !atPartStart
  }

  /// `isSafe`, except that the file's own name may start with one dot
  /// (`.env.example`, the name Compose users expect). Folders stay visible,
  /// and the writer's manifest is never a file a renderer may produce.
  public static func isSafeFile(_ path: String) -> Bool {
    if isSafe(path) { return true }
    let slash = path.lastIndex(of: "/")
    let name = slash.map { path[path.index(after: $0)...] } ?? Substring(path)
    guard name.hasPrefix("."), name.count > 1, name.dropFirst().first != ".", name != GeneratedManifest.fileName
    else { return false }
    let folder = slash.map { String(path[..<$0]) + "/" } ?? ""
    return isSafe(folder + name.dropFirst())
  }
}

/// What every renderer may mention in its header.
public struct RenderContext: Sendable {
  /// The inventory's file name as the operator knows it (`inventory.yaml`).
  public var inventoryName: String
  /// The command that regenerates the files.
  public var regenerateCommand: String

  public init(inventoryName: String, regenerateCommand: String? = nil) {
    self.inventoryName = inventoryName
    self.regenerateCommand = regenerateCommand ?? "tailwart render -i \(inventoryName)"
  }
}

/// Turns a checked deployment into one or more files. Pure: model in, bytes
/// out; nothing here touches the disk.
public protocol Renderer: Sendable {
  /// The paths this renderer produces, relative to the output folder.
  static var paths: [String] { get }
  static func render(_ deployment: CheckedDeployment, context: RenderContext) throws -> [Output]
  /// Parses the output back (YAML through libyaml, JSON and HuJSON strictly)
  /// and throws when it is not what it should be.
  static func selfCheck(_ output: Output) throws
}

/// A renderer's output failed its own check: a bug in tailwart, never
/// written to disk.
public struct SelfCheckError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var problem: String
  public init(path: String, problem: String) {
    self.path = path
    self.problem = problem
  }
  public var description: String { "\(path): generated text does not parse back: \(problem)" }
}
