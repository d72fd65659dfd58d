import Foundation

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
    let root = try YAMLLoader.load(bytes, file: file, limits: limits)
    let deployment = try InventoryDecoder.decode(root, file: file)
    return Loaded(deployment: deployment, source: String(decoding: bytes, as: UTF8.self))
  }

  /// The file's bytes, refusing non-regular files and anything over the limit
  /// before reading it.
  public static func read(path: String, limits: LoadLimits = LoadLimits()) throws(FindingsError) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw FindingsError([Finding(.error, file: path, at: nil, "no such file")])
    }
    if isDirectory.boolValue {
      throw FindingsError([Finding(.error, file: path, at: nil, "is a folder, not an inventory file")])
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw FindingsError([Finding(.error, file: path, at: nil, "cannot be read (permission denied?)")])
    }
    defer { try? handle.close() }
    do {
      // Read one byte past the limit: enough to know it is too large, and
      // works for pipes and devices whose size is unknown.
      let data = try handle.read(upToCount: limits.maxBytes + 1) ?? Data()
      if data.count > limits.maxBytes {
        throw FindingsError([
          Finding(
            .error, file: path, at: nil,
            "file is larger than \(limits.maxBytes) bytes; an inventory is a few kilobytes")
        ])
      }
      return [UInt8](data)
    } catch let error as FindingsError {
      throw error
    } catch {
      throw FindingsError([Finding(.error, file: path, at: nil, "cannot be read: \(error.localizedDescription)")])
    }
  }
}
