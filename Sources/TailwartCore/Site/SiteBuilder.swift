import Foundation

/// Builds the lessons site, in named steps (`SiteStep`):
///
///     parse → lessons → cross references → pages → write
///
/// - parse: libcmark-gfm reads the whole file into one tree;
/// - lessons (`LessonsOutline`): the tree is cut into pages (the index's
///   introduction, one entry per lesson or section), headings get their ids,
///   lessons their numbers, status, summary and error messages;
/// - cross references (`CrossLinker`): one page at a time, references
///   become link nodes and problems become findings;
/// - pages (`SitePages`): every file of the site in memory, each page one
///   template render;
/// - write (`OutputWriter`, shared with `render`): all or nothing, only the
///   files that changed, a manifest with their hashes, and never a file
///   tailwart did not write (unless forced).
///
/// Every problem in the Markdown is found before the first page is written:
/// a build that fails writes nothing.
public enum SiteBuilder {
  /// - Parameters:
  ///   - source: the lessons Markdown.
  ///   - files: the generated files to show (see `GeneratedFiles.catalog`).
  ///   - output: the folder the site goes to; created when missing.
  ///   - strict: warnings stop the build like errors.
  ///   - rules: the rules to document (the catalog's, unless testing).
  ///   - force: overwrite files tailwart did not write, or that were edited.
  ///   - protected: folders refused as the output folder (the inventory's).
  public static func build(
    _ source: LessonsSource, files: GeneratedFiles, output: URL, strict: Bool = false,
    rules: [RuleDescription] = RuleCatalog.descriptions, force: Bool = false, protecting protected: [String] = []
  ) throws(SiteError) -> SiteReport {
    // parse
    let document = MarkdownDocument(bytes: source.bytes)

    // lessons
    let outline: LessonsOutline
    do {
      outline = try LessonsOutline.make(document, source: source)
    } catch {
      throw SiteError(step: .lessons, file: source.file, findings: error.findings)
    }

    // cross references
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
    if findings.hasErrors { throw SiteError(step: .crossReferences, file: source.file, findings: findings) }

    // pages
    let pages = SitePages(
      document: document, outline: outline, links: links, files: files, rules: rules,
      sourceName: source.file.split(separator: "/").last.map(String.init) ?? source.file,
      templates: try SiteTemplates()
    ).make()

    // write
    let report: OutputWriter.Report
    do throws(OutputWriter.Failure) {
      let plan = try OutputWriter.plan(
        pages, folder: output.standardizedFileURL.path,
        command: .site, protecting: protected)
      report = try OutputWriter.write(plan, force: force)
    } catch {
      throw SiteError(step: .write, file: error.path, findings: [Finding(.error, file: error.path, at: nil, error.problem)])
    }
    var unavailable: String?
    if case .unavailable(let reason) = files.state { unavailable = reason }
    return SiteReport(
      warnings: findings, files: pages.count, written: report.written.count, removed: report.removed.count,
      filesUnavailable: unavailable)
  }
}
