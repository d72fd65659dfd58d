import Foundation
import Synchronization

/// Renders the site's Mustache templates once per data *shape* instead of
/// once per page. Logic-less templates branch only on booleans, on lists
/// (empty or not, and how long) and on which values are present; never on
/// what a string says. So each page's data is rendered once with a marker
/// in place of every string, the result is cut at the markers, and pages of
/// the same shape fill the cuts with their own strings: escaped exactly as
/// Mustache escapes where the template wrote `{{x}}`, as-is where it wrote
/// `{{{x}}}`. The output is byte for byte what rendering each page would
/// give; thousands of lesson pages cost a few dozen template renders.
/// One cache serves every thread that makes pages (behind a lock); each
/// part of the site looks in a cache of its own first (`forPart`), so
/// threads meet at that lock only for shapes their part has not seen.
final class TemplateFrames: Sendable {
  private struct Frame {
    enum Piece {
      /// UTF-8 bytes, ready to copy into a page.
      case text([UInt8])
      case value(Int, escaped: Bool)
    }
    let pieces: [Piece]
    /// Bytes of the text pieces: what a page needs besides its values.
    let size: Int

    init(pieces: [Piece]) {
      self.pieces = pieces
      size = pieces.reduce(0) { total, piece in
        if case .text(let text) = piece { return total + text.count }
        return total
      }
    }
  }

  /// Random per build, so no text in the lessons can pass for a marker. A
  /// marker ends in `'`, which Mustache's escaping turns into `&#39;`: that
  /// tells an escaped slot from a raw one.
  private static let prefix = "tw" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() + "v"

  private let templates: SiteTemplates
  private let cache = Mutex(Cache())
  /// The build's cache, for a part's own (nil for the build's).
  private let shared: TemplateFrames?

  private struct Cache {
    /// By template name and data shape (see `read`).
    var frames: [Shape: Frame] = [:]
    /// Frames whose strings are all known but a few slots, by caller key.
    var filled: [String: Filled] = [:]
  }

  /// A shape's bytes as a dictionary key, hashed as one block (an array of
  /// bytes is hashed a byte at a time, and the index page's shape runs to
  /// kilobytes).
  private struct Shape: Hashable {
    let bytes: [UInt8]

    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
  }

  private struct Filled {
    let frame: Frame
    let values: [String]
    /// The slots' names, in the order the caller gives them.
    let names: [String]
    /// Each slot's index in `values` (nil when the template does not use it).
    let indices: [Int?]
  }

  init(_ templates: SiteTemplates) {
    self.templates = templates
    shared = nil
  }

  private init(_ templates: SiteTemplates, shared: TemplateFrames) {
    self.templates = templates
    self.shared = shared
  }

  /// Frames for one part of the site, made on one thread: backed by this
  /// cache, which every part shares.
  func forPart() -> TemplateFrames { TemplateFrames(templates, shared: self) }

  /// `read` from this cache, then from the shared one (keeping what it
  /// finds there).
  private func lookUp<T>(_ read: (Cache) -> T?, keep: (inout Cache, T) -> Void) -> T? {
    if let found = cache.withLock({ read($0) }) { return found }
    guard let shared, let found = shared.cache.withLock({ read($0) }) else { return nil }
    cache.withLock { keep(&$0, found) }
    return found
  }

  /// Keeps `change` in this cache and the shared one.
  private func keep(_ change: (inout Cache) -> Void) {
    cache.withLock { change(&$0) }
    shared?.cache.withLock { change(&$0) }
  }

  func render(_ name: String, _ data: TemplateObject) -> String {
    var values: [String] = []
    values.reserveCapacity(32)
    let frame = self.frame(name, data, values: &values)
    return String(decoding: Self.fill(frame, values), as: UTF8.self)
  }

  /// Each item rendered with template `name`, one after the other (a
  /// list's items, which the page then takes as one raw value). An item of
  /// the same shape as the one before reuses its frame without a lookup.
  func render(_ name: String, items: [TemplateObject]) -> String {
    // (Most lists on most pages are empty.)
    guard !items.isEmpty else { return "" }
    var out: [UInt8] = []
    var values: [String] = []
    values.reserveCapacity(32)
    var shape: [UInt8] = []
    shape.reserveCapacity(256)
    var last: (shape: [UInt8], frame: Frame)?
    for item in items {
      values.removeAll(keepingCapacity: true)
      Self.read(name, item, values: &values, shape: &shape)
      let frame: Frame
      if let last, last.shape == shape {
        frame = last.frame
      } else {
        frame = self.frame(name, item, shape: shape)
        last = (shape, frame)
      }
      Self.fill(frame, values, into: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// For data that is the same for every call with the same `key` except
  /// for the top-level strings in `slots` (the layout: only the title and
  /// the body change from one lesson page to the next). `data` is built only
  /// the first time a key is seen; every call with a key names the same
  /// slots in the same order. Gives the page's bytes.
  func render(
    _ name: String, key: String, data: () -> TemplateObject, slots: KeyValuePairs<String, String>
  ) -> [UInt8] {
    let filled: Filled
    if let cached = lookUp({ $0.filled[key] }, keep: { $0.filled[key] = $1 }) {
      precondition(cached.names.elementsEqual(slots.lazy.map(\.key)), "layout \(key) is filled with other slots")
      filled = cached
    } else {
      var full = data()
      let markers = slots.map { "\(Self.prefix)slot-\($0.key)" }
      for (slot, marker) in zip(slots, markers) { full[slot.key] = .text(marker) }
      var values: [String] = []
      values.reserveCapacity(32)
      let frame = self.frame(name, full, values: &values)
      filled = Filled(
        frame: frame, values: values, names: slots.map(\.key), indices: markers.map { values.firstIndex(of: $0) })
      keep { $0.filled[key] = filled }
    }
    var values = filled.values
    for (index, slot) in zip(filled.indices, slots) { if let index { values[index] = slot.value } }
    return Self.fill(filled.frame, values)
  }

  private func frame(_ name: String, _ data: TemplateObject, values: inout [String]) -> Frame {
    var shape: [UInt8] = []
    shape.reserveCapacity(256)
    Self.read(name, data, values: &values, shape: &shape)
    return frame(name, data, shape: shape)
  }

  /// The template's name and the data's shape into `shape` (emptied
  /// first), its strings into `values`.
  private static func read(_ name: String, _ data: TemplateObject, values: inout [String], shape: inout [UInt8]) {
    shape.removeAll(keepingCapacity: true)
    var name = name
    name.withUTF8 { shape.append(contentsOf: $0) }
    shape.append(UInt8(ascii: ":"))
    read(.object(data), values: &values, shape: &shape)
  }

  /// The frame for `data`, whose shape (see `read`) is `shape`.
  private func frame(_ name: String, _ data: TemplateObject, shape: [UInt8]) -> Frame {
    let key = Shape(bytes: shape)
    if let cached = lookUp({ $0.frames[key] }, keep: { $0.frames[key] = $1 }) { return cached }
    // A shape not seen yet: render it once, with markers for its strings.
    // (Outside the lock: two threads may both render a new shape, and get
    // the same frame.)
    var count = 0
    let masked = Self.mask(.object(data), count: &count)
    let frame = Self.cut(templates.render(name, masked as? [String: Any] ?? [:]))
    keep { $0.frames[key] = frame }
    return frame
  }

  /// The frame filled with `values`, as UTF-8 bytes (appending to bytes
  /// is a copy; appending to a String also rescans what it appends).
  private static func fill(_ frame: Frame, _ values: [String]) -> [UInt8] {
    var out: [UInt8] = []
    // (With room for some escaping: growing a page's buffer copies it.)
    let valueBytes = values.reduce(0) { $0 + $1.utf8.count }
    out.reserveCapacity(frame.size + valueBytes + valueBytes / 8 + 64)
    fill(frame, values, into: &out)
    return out
  }

  /// The frame filled with `values`, appended to `out`.
  private static func fill(_ frame: Frame, _ values: [String], into out: inout [UInt8]) {
    for piece in frame.pieces {
      switch piece {
      case .text(let text): out.append(contentsOf: text)
      case .value(let index, let escaped):
        var value = values[index]
        value.withUTF8 { bytes in
          if escaped { HTML.appendEscaped(bytes, to: &out) } else { out.append(contentsOf: bytes) }
        }
      }
    }
  }

  /// The data's strings, in order, into `values`; `shape` records
  /// everything else (names, flags, list lengths) as bytes.
  private static func read(_ value: TemplateValue, values: inout [String], shape: inout [UInt8]) {
    switch value {
    case .text(let text):
      values.append(text)
      shape.append(UInt8(ascii: "s"))
    case .flag(let flag):
      shape.append(flag ? UInt8(ascii: "1") : UInt8(ascii: "0"))
    case .list(let items):
      shape.append(UInt8(ascii: "["))
      // The count's digits, last first: still one spelling per count.
      var digits = items.count
      repeat {
        shape.append(UInt8(ascii: "0") + UInt8(digits % 10))
        digits /= 10
      } while digits > 0
      shape.append(UInt8(ascii: ":"))
      for item in items { read(item, values: &values, shape: &shape) }
      shape.append(UInt8(ascii: "]"))
    case .object(let object):
      shape.append(UInt8(ascii: "{"))
      for field in object.fields {
        var name = field.name
        name.withUTF8 { shape.append(contentsOf: $0) }
        shape.append(UInt8(ascii: "="))
        read(field.value, values: &values, shape: &shape)
      }
      shape.append(UInt8(ascii: "}"))
    }
  }

  /// The data as swift-mustache takes it, with every string replaced by
  /// its marker, numbered in the order `read` lists the strings (`count` is
  /// how many came before).
  private static func mask(_ value: TemplateValue, count: inout Int) -> Any {
    switch value {
    case .text:
      count += 1
      return "\(prefix)\(count - 1)'"
    case .flag(let flag):
      return flag
    case .list(let items):
      return items.map { mask($0, count: &count) }
    case .object(let object):
      var out: [String: Any] = [:]
      for field in object.fields {
        let old = out.updateValue(mask(field.value, count: &count), forKey: field.name)
        precondition(old == nil, "template field \(field.name) is set twice")
      }
      return out
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
      pieces.append(.text(Array(text[start..<i])))
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
    pieces.append(.text(Array(text[start...])))
    return Frame(pieces: pieces)
  }
}
