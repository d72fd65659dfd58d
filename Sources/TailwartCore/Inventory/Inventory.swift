/// Reading an inventory file: size limit first (a huge file is never read
/// whole), then libyaml, then the decoder.
public enum Inventory {
  /// The loaded deployment and the text it came from (for diagnostics).
  public struct Loaded: Sendable {
    public var deployment: Deployment
    public var source: String
  }

  public static func load(path: String, limits: LoadLimits = LoadLimits()) throws(FindingsError) -> Loaded {
    let bytes = try read(path: path, limits: limits)
    return try load(bytes: bytes, file: path, limits: limits)
  }

  public static func load(bytes: [UInt8], file: String, limits: LoadLimits = LoadLimits()) throws(FindingsError) -> Loaded {
    let (root, comments) = try YAMLLoader.loadDocument(bytes, file: file, limits: limits)
    var deployment = try InventoryDecoder.decode(root, file: file)
    deployment.comments = comments
    return Loaded(deployment: deployment, source: String(decoding: bytes, as: UTF8.self))
  }

  /// The file's bytes, read through `SourceFile`: a regular file that
  /// resolves inside its repository (a link to `/proc/self/environ` or to a
  /// file elsewhere is refused), refused past the size limit before it is
  /// read whole.
  public static func read(path: String, limits: LoadLimits = LoadLimits()) throws(FindingsError) -> [UInt8] {
    try SourceFile.read(path: path, rules(path: path, limits: limits))
  }

  /// The rules an inventory is read by.
  public static func rules(path: String, limits: LoadLimits = LoadLimits()) -> SourceFile.Rules {
    SourceFile.Rules(maxBytes: limits.maxBytes, root: SourceFile.repositoryRoot(of: path), outsideGit: true)
  }
}
