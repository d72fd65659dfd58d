/// Reads one YAML mapping field by field for the decoder: each key is
/// converted by one parser per kind of value, every key read is remembered,
/// and what is left over is reported as unknown (with a "did you mean").
/// Problems go to the shared `Problems` list; reading goes on, so one run
/// reports every error in the file.
final class Problems {
  let file: String
  var findings: [Finding] = []

  init(file: String) { self.file = file }

  func error(_ span: SourceSpan?, _ message: String, help: String? = nil, notes: [String] = [], isSecret: Bool = false) {
    var finding = Finding(.error, file: file, at: span, message, help: help, notes: notes)
    finding.isSecret = isSecret
    findings.append(finding)
  }
}

final class Fields {
  let mapping: YAMLMapping
  /// Dotted path for messages (`stalwart.acme`); empty at the top level.
  let path: String
  let known: [String]
  let problems: Problems
  private var read: Set<String> = []

  init(_ mapping: YAMLMapping, path: String, known: [String], problems: Problems) {
    self.mapping = mapping
    self.path = path
    self.known = known
    self.problems = problems
    InventoryFields.audit(path: path, known: known)
  }

  /// Opens `node` as a mapping with the given keys, or reports what it is.
  static func open(_ node: YAMLNode, path: String, known: [String], problems: Problems) -> Fields? {
    guard case .mapping(let m) = node else {
      problems.error(node.span, "\(path.isEmpty ? "the inventory" : path) must be a mapping, found \(node.kindDescription)")
      return nil
    }
    return Fields(m, path: path, known: known, problems: problems)
  }

  func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// The node under `key`; a null value counts as absent.
  func node(_ key: String) -> YAMLNode? {
    precondition(known.contains(key), "decoder reads undeclared key \(key)")
    read.insert(key)
    guard let node = mapping[key] else { return nil }
    if case .scalar(let s) = node, s.isNull { return nil }
    return node
  }

  func keySpan(_ key: String) -> SourceSpan {
    mapping.entries.first { $0.key.value == key }?.key.span ?? mapping.span
  }

  func missing(_ key: String, _ expectation: String) {
    let present = mapping[key] != nil
    problems.error(
      present ? keySpan(key) : mapping.span,
      present ? "\(name(key)) has no value; expected \(expectation)" : "missing required key \"\(name(key))\"",
      help: present ? nil : "add `\(key):` with \(expectation)")
  }

  /// Reports every key that no decoder step asked for.
  func finish() {
    for entry in mapping.entries where !read.contains(entry.key.value) {
      var help: String?
      if let guess = Self.closest(to: entry.key.value, in: known) {
        help = "did you mean \"\(guess)\"?"
      } else {
        help = "known keys here: \(known.joined(separator: ", "))"
      }
      problems.error(
        SourceSpan(entry.key.span.start, length: entry.key.value.count),
        "unknown key \(Echo.quoted(name(entry.key.value)))", help: help)
    }
  }

  // MARK: scalar kinds

  /// A string scalar (quoted or plain, but not null or boolean).
  func string(_ key: String, _ expectation: String = "a string") -> Located<String>? {
    guard let node = node(key) else { return nil }
    return Self.string(node, name(key), expectation, problems)
  }

  static func string(_ node: YAMLNode, _ what: String, _ expectation: String, _ problems: Problems) -> Located<String>? {
    guard case .scalar(let s) = node, !(s.isPlain && CoreSchema.bool(s) != nil) else {
      problems.error(node.span, "\(what) must be \(expectation), found \(node.kindDescription)")
      return nil
    }
    return Located(s.value, at: s.span)
  }

  /// A value parsed from a string by `parse` (an address, a name, a port...).
  func value<T>(_ key: String, _ expectation: String, _ parse: (String) -> T?) -> Located<T>? {
    guard let node = node(key) else { return nil }
    return Self.value(node, name(key), expectation, problems, parse)
  }

  static func value<T>(
    _ node: YAMLNode, _ what: String, _ expectation: String, _ problems: Problems, _ parse: (String) -> T?
  ) -> Located<T>? {
    guard let text = string(node, what, expectation, problems) else { return nil }
    guard let value = parse(text.value) else {
      // Never echo a secret into logs: name its kind and show a prefix only.
      if let secret = SecretLiteral.find(in: text.value) {
        problems.error(
          text.span, "\(what) must be \(expectation), found \(secret)",
          help: "keep secrets in the environment and name the variable here; rotate this one, it is in the file's history",
          isSecret: true)
      } else {
        problems.error(text.span, "\(what) must be \(expectation), found \(Echo.quoted(text.value))")
      }
      return nil
    }
    return Located(value, at: text.span)
  }

  func int(_ key: String, _ range: ClosedRange<Int>, _ expectation: String) -> Located<Int>? {
    guard let node = node(key) else { return nil }
    return Self.int(node, name(key), range, expectation, problems)
  }

  static func int(
    _ node: YAMLNode, _ what: String, _ range: ClosedRange<Int>, _ expectation: String, _ problems: Problems
  ) -> Located<Int>? {
    guard case .scalar(let s) = node, let n = CoreSchema.int(s) else {
      var help: String?
      if case .scalar(let s) = node, !s.isPlain, Int(s.value) != nil { help = "write the number without quotes" }
      problems.error(node.span, "\(what) must be \(expectation), found \(node.kindDescription)", help: help)
      return nil
    }
    guard range.contains(n) else {
      problems.error(node.span, "\(what) must be \(expectation), found \(n)")
      return nil
    }
    return Located(n, at: s.span)
  }

  func port(_ key: String) -> Located<Port>? {
    int(key, 1...65535, "a port number from 1 to 65535")?.map { Port($0)! }
  }

  static func port(_ node: YAMLNode, _ what: String, _ problems: Problems) -> Located<Port>? {
    int(node, what, 1...65535, "a port number from 1 to 65535", problems)?.map { Port($0)! }
  }

  func bool(_ key: String) -> Located<Bool>? {
    guard let node = node(key) else { return nil }
    guard case .scalar(let s) = node, let b = CoreSchema.bool(s) else {
      var help: String?
      if case .scalar(let s) = node, ["yes", "no", "on", "off", "y", "n"].contains(s.value.lowercased()) {
        help = "write true or false"
      }
      problems.error(node.span, "\(name(key)) must be true or false, found \(node.kindDescription)", help: help)
      return nil
    }
    return Located(b, at: s.span)
  }

  /// One of a fixed set of words.
  func choice<T: RawRepresentable & CaseIterable>(_ key: String) -> Located<T>? where T.RawValue == String {
    let words = T.allCases.map(\.rawValue)
    let expectation = "one of " + words.joined(separator: ", ")
    guard let node = node(key) else { return nil }
    return Self.choice(node, name(key), expectation, problems)
  }

  static func choice<T: RawRepresentable & CaseIterable>(
    _ node: YAMLNode, _ what: String, _ expectation: String, _ problems: Problems
  ) -> Located<T>? where T.RawValue == String {
    guard let text = string(node, what, expectation, problems) else { return nil }
    guard let value = T(rawValue: text.value.lowercased()) ?? T(rawValue: text.value) else {
      let guess = closest(to: text.value, in: T.allCases.map(\.rawValue))
      problems.error(
        text.span, "\(what) must be \(expectation), found \(Echo.quoted(text.value))",
        help: guess.map { "did you mean \"\($0)\"?" })
      return nil
    }
    return Located(value, at: text.span)
  }

  // MARK: lists and nested mappings

  /// A list whose items are read by `item`; a single scalar where a list
  /// belongs is an error (YAML would not make it a list).
  func list<T>(_ key: String, _ item: (YAMLNode, String) -> T?) -> Located<[T]>? {
    guard let node = node(key) else { return nil }
    guard case .sequence(let seq) = node else {
      problems.error(node.span, "\(name(key)) must be a list, found \(node.kindDescription)", help: "write it as `[item, ...]` or one `- item` per line")
      return nil
    }
    var out: [T] = []
    for (i, child) in seq.items.enumerated() {
      if let value = item(child, "\(name(key))[\(i)]") { out.append(value) }
    }
    return Located(out, at: seq.span)
  }

  func fields(_ key: String, known: [String]) -> Fields? {
    guard let node = node(key) else { return nil }
    return Fields.open(node, path: name(key), known: known, problems: problems)
  }

  // MARK: suggestions

  /// The known word closest to `word`, if it is close enough to be a typo.
  static func closest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    let limit = max(1, min(3, word.count / 3))
    return best.1 <= limit ? best.0 : nil
  }

  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
