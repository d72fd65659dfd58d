/// A rule's page, built from its description: what it refuses, the lessons
/// behind it, why, an example that triggers it with the diagnostic tailwart
/// prints for it, the fixed lines, and the fix. `tailwart explain` prints
/// `text`; the site lays out the same pieces.
public struct RuleDocumentation: Sendable {
  /// One edit of the example inventory, widened to whole lines.
  public struct Excerpt: Sendable, Equatable {
    /// The lines as the clean example inventory has them (the fixed version).
    public let fixed: String
    /// The same lines after the edit, without markers; empty when the edit
    /// removes them.
    public let triggering: String
  }

  /// A triggering example, checked.
  public struct Example: Sendable {
    public let title: String
    public let excerpts: [Excerpt]
    /// This rule's findings on the edited inventory.
    public let findings: [Finding]
    /// The findings as `tailwart check` prints them, without colour.
    public let diagnostics: String
  }

  public let rule: RuleDescription
  /// Every triggering example, in the order the rule lists them.
  public let examples: [Example]

  public init(_ rule: RuleDescription) {
    self.rule = rule
    examples = rule.triggering.compactMap { Self.example($0, of: rule) }
  }

  /// "lesson 6", "lessons 8, 9", or "structural" for rules without one.
  public static func lessonsLabel(_ lessons: [Int]) -> String {
    switch lessons.count {
    case 0: "structural"
    case 1: "lesson \(lessons[0])"
    default: "lessons " + lessons.map(String.init).joined(separator: ", ")
    }
  }

  /// The page as plain text, paragraphs wrapped to `width` columns.
  public func text(width: Int = 80) -> String {
    var out = "\(rule.id): \(rule.summary)\n"
    out += "\(rule.severity.rawValue), \(Self.lessonsLabel(rule.lessons))\n\n"
    out += "Why\n" + Self.wrap(rule.rationale, width: width, indent: "  ") + "\n"
    if let example = examples.first {
      out += "Example that triggers it: \(example.title)\n"
      out += Self.indent(example.excerpts.map { $0.triggering.isEmpty ? "(lines removed)" : $0.triggering }) + "\n"
      let command = rule.kind == .notice ? "tailwart render" : "tailwart check"
      out += "\(command) prints:\n" + Self.indent([Self.trimmingTrailingNewlines(example.diagnostics)]) + "\n"
      out += "Fixed:\n" + Self.indent(example.excerpts.map(\.fixed)) + "\n"
    }
    out += "Fix\n" + Self.wrap(rule.fix, width: width, indent: "  ")
    out += "\nIgnoring\n" + Self.wrap(Self.ignoring(rule.id), width: width, indent: "  ")
    return out
  }

  /// Whether an `ignore:` entry may keep this rule's finding, and why not.
  public static func ignoring(_ id: String) -> String {
    if let why = IgnoreList.unignorable[id] {
      return "Its findings cannot be ignored: \(why)."
    }
    return "A deliberate exception can be kept in the inventory: an `ignore:` entry with `rule: \(id)`, "
      + "`at:` the key path of the value the finding points at, and `reason:`."
  }

  /// One line per rule: id, severity, lessons, summary.
  public static func list(_ rules: [RuleDescription] = RuleCatalog.descriptions) -> String {
    let idWidth = rules.map(\.id.count).max() ?? 0
    let labels = rules.map { lessonsLabel($0.lessons) }
    let labelWidth = labels.map(\.count).max() ?? 0
    return zip(rules, labels).map { rule, label in
      rule.id.padding(toLength: idWidth, withPad: " ", startingAt: 0) + "  "
        + rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
        + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  " + rule.summary + "\n"
    }.joined()
  }

  // MARK: building

  static func example(_ example: RuleExample, of rule: RuleDescription) -> Example? {
    guard let text = example.text else { return nil }
    var current = ExampleInventory.text
    var excerpts: [Excerpt] = []
    for edit in example.edits {
      let replacement = edit.replace.filter { $0 != RuleExample.marker }
      guard let range = current.range(of: edit.find) else { return nil }
      let prefix = current[..<range.lowerBound]
      let suffix = current[range.upperBound...]
      let fixed = Self.wholeLines(prefix: prefix, middle: Substring(edit.find), suffix: suffix)
      let triggering = Self.wholeLines(prefix: prefix, middle: Substring(replacement), suffix: suffix)
      excerpts.append(Excerpt(fixed: fixed, triggering: replacement.isEmpty ? "" : triggering))
      current = prefix + replacement + suffix
    }
    var findings: [Finding]
    var siteURL = ""
    var sources = [ExampleInventory.file: text]
    do {
      let loaded = try Inventory.load(bytes: Array(text.utf8), file: ExampleInventory.file)
      let result = Checker.check(loaded.deployment)
      findings = result.findings
      siteURL = loaded.deployment.siteURL.value
      // A notice is about a change: render the unedited example, then the
      // edited one, and show what render says about the difference.
      if rule.kind == .notice, let current = result.checked, let type = RuleCatalog.rule(id: rule.id),
        let base = try? Inventory.load(bytes: Array(ExampleInventory.text.utf8), file: ExampleInventory.file),
        let previous = Checker.check(base.deployment).checked
      {
        let context = RenderContext(inventoryName: ExampleInventory.file)
        findings = type.notices(previous: previous, current: current, context: context)
        for output in (try? RenderCatalog.renderAll(current, context: context)) ?? [] {
          sources[output.path] = output.text
        }
      }
    } catch {
      findings = error.findings
    }
    let site = siteURL
    let printer = DiagnosticPrinter(colour: false, sources: sources) { finding in
      RuleCatalog.seeAlso(finding, siteURL: site)
    }
    let mine = findings.filter { $0.ruleID == nil || $0.ruleID == rule.id }
    return Example(title: example.title, excerpts: excerpts, findings: mine, diagnostics: printer.format(mine))
  }

  /// `middle` with the rest of its first and last lines from around it.
  static func wholeLines(prefix: Substring, middle: Substring, suffix: Substring) -> String {
    let head = prefix.reversed().prefix { $0 != "\n" }.reversed()
    var tail = suffix.prefix { $0 != "\n" }
    if middle.hasSuffix("\n") || (middle.isEmpty && head.isEmpty) { tail = "" }
    var lines = String(head) + middle + tail
    while lines.hasSuffix("\n") { lines.removeLast() }
    return lines
  }

  static func indent(_ blocks: [String]) -> String {
    blocks.map { block in
      block.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
    }.joined(separator: "  ...\n")
  }

  static func trimmingTrailingNewlines(_ text: String) -> String {
    var text = text
    while text.hasSuffix("\n") { text.removeLast() }
    return text
  }

  /// Greedy word wrap; words longer than the line stay whole.
  static func wrap(_ paragraph: String, width: Int, indent: String) -> String {
    var out = ""
    var line = indent
    for word in paragraph.split(whereSeparator: \.isWhitespace) {
      if line.count > indent.count && line.count + 1 + word.count > width {
        out += line + "\n"
        line = indent
      }
      line += (line.count > indent.count ? " " : "") + word
    }
    if line.count > indent.count { out += line + "\n" }
    return out
  }
}
