/// A YAML node as written: scalars keep their text and style, mappings keep
/// key order, and everything keeps its position. Nothing is typed yet; the
/// decoder does that with the positions at hand.
public indirect enum YAMLNode: Sendable {
  case scalar(YAMLScalar)
  case sequence(YAMLSequence)
  case mapping(YAMLMapping)

  public var span: SourceSpan {
    switch self {
    case .scalar(let s): s.span
    case .sequence(let s): s.span
    case .mapping(let m): m.span
    }
  }

  /// What the node is, as an error message would name it.
  public var kindDescription: String {
    switch self {
    case .scalar(let s): s.kindDescription
    case .sequence: "a list"
    case .mapping: "a mapping"
    }
  }
}

public struct YAMLScalar: Sendable, Hashable {
  public enum Style: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
  }

  public var value: String
  public var style: Style
  /// An explicit tag (`!!str`), already checked to be a core-schema tag.
  public var tag: String?
  public var span: SourceSpan

  public init(value: String, style: Style = .plain, tag: String? = nil, span: SourceSpan) {
    self.value = value
    self.style = style
    self.tag = tag
    self.span = span
  }

  /// A plain, untagged scalar: the only kind YAML resolves to null, bool or
  /// number.
  public var isPlain: Bool { style == .plain && tag == nil }

  /// YAML 1.2 core schema null.
  public var isNull: Bool {
    (isPlain && ["", "~", "null", "Null", "NULL"].contains(value)) || tag == "tag:yaml.org,2002:null"
  }

  public var kindDescription: String {
    if isNull { return "null" }
    if isPlain || tag != nil {
      if CoreSchema.bool(self) != nil { return "the boolean \(value)" }
      if CoreSchema.int(self) != nil { return "the number \(value)" }
    }
    return "the string \(Echo.quoted(value))"
  }
}

public struct YAMLSequence: Sendable {
  public var items: [YAMLNode]
  public var span: SourceSpan
}

public struct YAMLMapping: Sendable {
  public struct Entry: Sendable {
    public var key: YAMLScalar
    public var value: YAMLNode
  }

  public var entries: [Entry]
  public var span: SourceSpan

  public subscript(key: String) -> YAMLNode? {
    entries.first { $0.key.value == key }?.value
  }
}

/// Resolution of plain scalars by the YAML 1.2 core schema (not YAML 1.1:
/// `yes`, `no`, `on`, `off` stay strings).
public enum CoreSchema {
  public static func bool(_ s: YAMLScalar) -> Bool? {
    guard s.isPlain || s.tag == "tag:yaml.org,2002:bool" else { return nil }
    switch s.value {
    case "true", "True", "TRUE": return true
    case "false", "False", "FALSE": return false
    default: return nil
    }
  }

  public static func int(_ s: YAMLScalar) -> Int? {
    guard s.isPlain || s.tag == "tag:yaml.org,2002:int" else { return nil }
    var text = Substring(s.value)
    var sign = 1
    if text.first == "-" || text.first == "+" {
      if text.first == "-" { sign = -1 }
      text = text.dropFirst()
    }
    guard !text.isEmpty else { return nil }
    let radix: Int
    if text.hasPrefix("0x") {
      radix = 16
      text = text.dropFirst(2)
    } else if text.hasPrefix("0o") {
      radix = 8
      text = text.dropFirst(2)
    } else {
      radix = 10
    }
    guard !text.isEmpty, text.allSatisfy({ $0.isHexDigit }), let n = Int(text, radix: radix) else { return nil }
    let (value, overflow) = n.multipliedReportingOverflow(by: sign)
    return overflow ? nil : value
  }
}
