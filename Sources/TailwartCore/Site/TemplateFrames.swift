import Foundation

/// Renders the site's Mustache templates once per data *shape* instead of
/// once per page. Logic-less templates branch only on booleans, on lists
/// (empty or not, and how long) and on which values are present; never on
/// what a string says. So each page's data is rendered once with a marker
/// in place of every string, the result is cut at the markers, and pages of
/// the same shape fill the cuts with their own strings: escaped exactly as
/// Mustache escapes where the template wrote `{{x}}`, as-is where it wrote
/// `{{{x}}}`. The output is byte for byte what rendering each page would
/// give; thousands of lesson pages cost a few dozen template renders.
final class TemplateFrames {
  private struct Frame {
    enum Piece {
      case text(String)
      case value(Int, escaped: Bool)
    }
    let pieces: [Piece]
    /// Bytes of the text pieces: what a page needs besides its values.
    let size: Int

    init(pieces: [Piece]) {
      self.pieces = pieces
      size = pieces.reduce(0) { total, piece in
        if case .text(let text) = piece { return total + text.utf8.count }
        return total
      }
    }
  }

  /// Random per build, so no text in the lessons can pass for a marker. A
  /// marker ends in `'`, which Mustache's escaping turns into `&#39;`: that
  /// tells an escaped slot from a raw one.
  private static let prefix = "tw" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() + "v"

  private let templates: SiteTemplates
  /// By template name and data shape (see `read`).
  private var frames: [[UInt8]: Frame] = [:]
  /// Frames whose strings are all known but a few slots, by caller key.
  private var filled: [String: (frame: Frame, values: [String], slots: [String: Int])] = [:]

  init(_ templates: SiteTemplates) { self.templates = templates }

  func render(_ name: String, _ data: [String: Any]) -> String {
    var values: [String] = []
    let frame = self.frame(name, data, values: &values)
    return Self.fill(frame, values)
  }

  /// For data that is the same for every call with the same `key` except
  /// for the top-level strings in `slots` (the layout: only the title and
  /// the body change from one lesson page to the next). `data` is built only
  /// the first time a key is seen.
  func render(_ name: String, key: String, data: () -> [String: Any], slots: [String: String]) -> String {
    if let cached = filled[key] {
      var values = cached.values
      for (slot, value) in slots { if let index = cached.slots[slot] { values[index] = value } }
      return Self.fill(cached.frame, values)
    }
    var full = data()
    let markers = Dictionary(uniqueKeysWithValues: slots.keys.map { ($0, "\(Self.prefix)slot-\($0)") })
    for (slot, marker) in markers { full[slot] = marker }
    var values: [String] = []
    let frame = self.frame(name, full, values: &values)
    var indices: [String: Int] = [:]
    for (slot, marker) in markers { indices[slot] = values.firstIndex(of: marker) }
    filled[key] = (frame, values, indices)
    for (slot, value) in slots { if let index = indices[slot] { values[index] = value } }
    return Self.fill(frame, values)
  }

  private func frame(_ name: String, _ data: [String: Any], values: inout [String]) -> Frame {
    var shape = Array(name.utf8) + [UInt8(ascii: ":")]
    shape.reserveCapacity(256)
    Self.read(data, values: &values, shape: &shape)
    if let cached = frames[shape] { return cached }
    // A shape not seen yet: render it once, with markers for its strings.
    var count = 0
    let masked = Self.mask(data, count: &count)
    let frame = Self.cut(templates.render(name, masked as? [String: Any] ?? [:]))
    frames[shape] = frame
    return frame
  }

  private static func fill(_ frame: Frame, _ values: [String]) -> String {
    var out = ""
    out.reserveCapacity(frame.size + values.reduce(0) { $0 + $1.utf8.count })
    for piece in frame.pieces {
      switch piece {
      case .text(let text): out += text
      case .value(let index, let escaped): out += escaped ? HTML.escape(values[index]) : values[index]
      }
    }
    return out
  }

  /// The data's strings, in a stable order, into `values`; `shape` records
  /// everything else (keys, booleans, list lengths). Runs for every page,
  /// so it builds nothing else, and the shape is bytes (appending to a
  /// `String` costs several times more).
  private static func read(_ value: Any, values: inout [String], shape: inout [UInt8]) {
    switch value {
    case let text as String:
      values.append(text)
      shape.append(UInt8(ascii: "s"))
    case let flag as Bool:
      shape.append(flag ? UInt8(ascii: "1") : UInt8(ascii: "0"))
    case let list as [[String: Any]]:
      open(list: list.count, shape: &shape)
      for item in list { read(item, values: &values, shape: &shape) }
      shape.append(UInt8(ascii: "]"))
    case let object as [String: Any]:
      shape.append(UInt8(ascii: "{"))
      // Sorted keys: a dictionary's own order differs between instances.
      for (key, item) in object.sorted(by: { $0.key < $1.key }) {
        shape.append(contentsOf: key.utf8)
        shape.append(UInt8(ascii: "="))
        read(item, values: &values, shape: &shape)
      }
      shape.append(UInt8(ascii: "}"))
    case let list as [Any]:
      open(list: list.count, shape: &shape)
      for item in list { read(item, values: &values, shape: &shape) }
      shape.append(UInt8(ascii: "]"))
    default:
      preconditionFailure("template data holds only strings, booleans, objects and lists, not \(type(of: value))")
    }
  }

  /// "[N:" for a list of N items.
  private static func open(list count: Int, shape: inout [UInt8]) {
    shape.append(UInt8(ascii: "["))
    shape.append(contentsOf: String(count).utf8)
    shape.append(UInt8(ascii: ":"))
  }

  /// The data with every string replaced by its marker, numbered in the
  /// order `read` lists the strings (`count` is how many came before).
  private static func mask(_ value: Any, count: inout Int) -> Any {
    switch value {
    case is String:
      count += 1
      return "\(prefix)\(count - 1)'"
    case let flag as Bool:
      return flag
    case let list as [[String: Any]]:
      return list.map { mask($0, count: &count) }
    case let object as [String: Any]:
      var out: [String: Any] = [:]
      for (key, item) in object.sorted(by: { $0.key < $1.key }) { out[key] = mask(item, count: &count) }
      return out
    case let list as [Any]:
      return list.map { mask($0, count: &count) }
    default:
      preconditionFailure("template data holds only strings, booleans, objects and lists, not \(type(of: value))")
    }
  }

  /// Splits rendered text at the markers (a byte scan: pages such as the
  /// index hold thousands of them).
  private static func cut(_ rendered: String) -> Frame {
    let text = Array(rendered.utf8)
    let marker = Array(prefix.utf8)
    var pieces: [Frame.Piece] = []
    var start = 0
    var i = 0
    while i + marker.count <= text.count {
      guard text[i] == marker[0], text[i..<i + marker.count].elementsEqual(marker) else {
        i += 1
        continue
      }
      pieces.append(.text(String(decoding: text[start..<i], as: UTF8.self)))
      var j = i + marker.count
      var index = 0
      while j < text.count, text[j] >= 0x30, text[j] <= 0x39 {
        index = index * 10 + Int(text[j] - 0x30)
        j += 1
      }
      if text[j...].starts(with: Array("&#39;".utf8)) {
        pieces.append(.value(index, escaped: true))
        j += 5
      } else {
        precondition(text[j...].starts(with: [UInt8(ascii: "'")]), "a template marker was cut apart")
        pieces.append(.value(index, escaped: false))
        j += 1
      }
      start = j
      i = j
    }
    pieces.append(.text(String(decoding: text[start...], as: UTF8.self)))
    return Frame(pieces: pieces)
  }
}
