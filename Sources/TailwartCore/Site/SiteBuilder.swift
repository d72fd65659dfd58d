import Foundation

/// Builds the lessons site, in named steps:
///   parse → lessons → cross references → pages → write
/// (the lessons step starts on each piece of a long file as soon as that
/// piece is parsed).
/// Every problem in the Markdown is found before the first page is written:
/// a build that fails writes nothing.
public enum SiteBuilder {
  /// - Parameters:
  ///   - source: the lessons Markdown.
  ///   - files: the generated files to show (see `GeneratedFiles.catalog`).
  ///   - output: the folder the site goes to; created when missing.
  ///   - strict: warnings stop the build like errors.
  ///   - rules: the rules to document (the catalog's, unless testing).
  ///   - freesMemory: false when the process exits right after the build
  ///     (the site command): the parsed tree and what was made from it are
  ///     then left for the operating system to take back at once, as
  ///     compilers do, instead of being freed node by node and string by
  ///     string (about a tenth of a large build).
  public static func build(
    _ source: LessonsSource, files: GeneratedFiles, output: URL, strict: Bool = false,
    rules: [RuleDescription] = RuleCatalog.descriptions, freesMemory: Bool = true, force: Bool = false,
    protecting protected: [String] = []
  ) throws(SiteError) -> SiteReport {
    try build(
      source, files: { files }, output: output, strict: strict, rules: rules, freesMemory: freesMemory, force: force,
      protecting: protected)
  }

  /// As `build(_:files:output:strict:rules:freesMemory:)`, with the
  /// generated files made by `files` on another core while the lessons are
  /// parsed (their rendering takes about as long as parsing a few hundred
  /// lessons).
  public static func build(
    _ source: LessonsSource, files makeFiles: @escaping @Sendable () -> GeneratedFiles, output: URL,
    strict: Bool = false, rules: [RuleDescription] = RuleCatalog.descriptions, freesMemory: Bool = true,
    force: Bool = false, protecting protected: [String] = []
  ) throws(SiteError) -> SiteReport {
    let pendingFiles = Pending(makeFiles)
    // The page templates are parsed meanwhile too.
    let pendingTemplates = Pending { Result { () throws(SiteError) in try SiteTemplates() } }
    // parse
    // (Each piece's share of the outline is read as soon as it is parsed.)
    // (The pieces' trees are not joined: every node moves into a page of
    // its own below, a piece at a time on each core.)
    let (document, parts) = MarkdownDocument.parse(
      bytes: source.bytes, pieces: 4 * ParallelChunks.cores, joinsPieces: false
    ) {
      OutlinePart($0, lineOffset: $1, first: $2)
    }

    // lessons
    var outline: LessonsOutline
    do {
      outline = try LessonsOutline.make(parts: parts, source: source)
    } catch {
      throw SiteError(step: .lessons, file: source.file, findings: error.findings)
    }

    // cross references
    outline.detachPages(from: document)
    let files = pendingFiles.value
    let links = CrossLinker.run(source: source, outline: outline, files: files, document: document)
    var findings = links.findings
    for rule in rules {
      for n in rule.lessons where outline.lessons[n] == nil {
        findings.append(
          Finding(
            .warning, file: source.file, at: nil,
            "rule \(rule.id) comes from lesson \(n), which this file does not have; its page says so"))
      }
    }
    if strict {
      for k in findings.indices where findings[k].severity == .warning { findings[k].severity = .error }
    }
    findings = findings.sortedForDisplay()
    if findings.hasErrors {
      throw SiteError(step: .crossReferences, file: source.file, findings: findings)
    }

    // pages, each written as soon as it is made
    let templates = try pendingTemplates.value.get()
    var writer = try SiteWriter(root: output, force: force, protecting: protected)
    let pages = SitePages(
      document: document, outline: outline, mentions: links.mentions, searchText: links.searchText, files: files,
      rules: rules,
      sourceName: source.file.split(separator: "/").last.map(String.init) ?? source.file,
      templates: templates)
    try pages.build(into: &writer)
    let removed = try writer.finish()
    // (The parts too: freeing them, thousands of small objects, right after
    // the outline was made would hold up the serial step.)
    if !freesMemory { _ = Unmanaged.passRetained(KeptUntilExit([document, outline, links, pages, parts])) }
    var unavailable: String?
    if case .unavailable(let reason) = files.state { unavailable = reason }
    return SiteReport(
      warnings: findings, files: writer.files, written: writer.written, removed: removed,
      filesUnavailable: unavailable)
  }

  /// What a build leaves alive for the rest of the process (`freesMemory`).
  private final class KeptUntilExit {
    let values: [Any]
    init(_ values: [Any]) { self.values = values }
  }
}
