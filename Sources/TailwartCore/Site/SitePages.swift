import Foundation

/// The "pages" step: every page of the site, each handed to the writer as
/// soon as it is made, so no more than a page per core is held in memory.
/// The pages are made in parts side by side: lesson pages in chunks, and
/// the index, rule, file, error and search pages alongside them.
struct SitePages {
  let document: MarkdownDocument
  let outline: LessonsOutline
  /// For each entry, the lessons it mentions.
  let mentions: [[Int]]
  /// Each entry's text for search, then the index page's.
  let searchText: [String]
  let files: GeneratedFiles
  let rules: [RuleDescription]
  let sourceName: String
  let templates: SiteTemplates

  /// For each entry, the entries that mention it, in document order: one
  /// list for all of them (thousands of entries would each grow a list of
  /// their own, one mention at a time, before any page is made).
  struct Referrers {
    /// Where each entry's referrers start in `all`; the last is the count.
    private var starts: [Int]
    private var all: [Int]

    /// `mentions[i]`: the lesson numbers entry `i` mentions; `lessons`:
    /// lesson number to entry.
    init(mentions: [[Int]], lessons: [Int: Int], entries: Int) {
      var counts = [Int](repeating: 0, count: entries + 1)
      var targets: [Int] = []
      targets.reserveCapacity(mentions.reduce(0) { $0 + $1.count })
      for numbers in mentions {
        for n in numbers {
          let target = lessons[n] ?? -1
          targets.append(target)
          if target >= 0 { counts[target + 1] += 1 }
        }
      }
      for k in 0..<entries { counts[k + 1] += counts[k] }
      starts = counts
      var next = counts
      all = [Int](repeating: 0, count: counts[entries])
      var t = 0
      for (i, numbers) in mentions.enumerated() {
        for _ in numbers {
          let target = targets[t]
          t += 1
          guard target >= 0 else { continue }
          all[next[target]] = i
          next[target] += 1
        }
      }
    }

    func of(_ entry: Int) -> ArraySlice<Int> { all[starts[entry]..<starts[entry + 1]] }
  }

  /// A share of the site's pages, made on a thread of its own.
  private enum Part: Hashable {
    case lessons(Range<Int>)
    case index, rules, files, errors, search, assets
  }

  /// What pages say about each other, worked out before any page is made.
  private struct Relations {
    /// Lesson number to the rules (indices) that enforce it.
    var rulesByLesson: [Int: [Int]]
    /// The entries that mention each entry (see `Referrers`).
    var referrers: Referrers
    var annotated: AnnotatedLines
  }

  func build(into writer: inout SiteWriter) throws(SiteError) {
    let referrers = Referrers(mentions: mentions, lessons: outline.lessons, entries: outline.entries.count)
    let relations = Relations(
      rulesByLesson: Dictionary(grouping: rules.indices.flatMap { r in rules[r].lessons.map { ($0, r) } }, by: \.0)
        .mapValues { $0.map(\.1) },
      referrers: referrers, annotated: AnnotatedLines(files: files))
    // One template cache for all parts: pages of one shape cost one
    // Mustache render whichever part meets them first.
    let frames = TemplateFrames(templates)

    // A few chunks of lessons per core, so that the other parts, which
    // start first, even out with them. Each part writes into folders no
    // other part creates (the lessons folder exists before they start).
    try writer.prepareFolder("lessons")
    let lessonParts = ParallelChunks.ranges(outline.entries.count, pieces: 4 * ParallelChunks.cores)
      .map(Part.lessons)
    let schedule: [Part] = [.rules, .index, .errors, .search, .files, .assets] + lessonParts
    let base = writer.fork()
    let results = ParallelChunks.each(schedule.count) { k -> (SearchIndex, SiteWriter, SiteError?) in
      var search = SearchIndex()
      var writer = base
      do throws(SiteError) {
        try make(schedule[k], relations: relations, frames: frames.forPart(), writer: &writer, search: &search)
      } catch {
        return (search, writer, error)
      }
      return (search, writer, nil)
    }

    // The search index lists lessons first, then the index page, the rules
    // and the files, whichever part finished first.
    let done = Dictionary(uniqueKeysWithValues: zip(schedule, results))
    var search: [SearchIndex] = []
    for part in lessonParts + [.index, .rules, .files, .errors, .search, .assets] {
      guard let (partSearch, partWriter, error) = done[part] else { continue }
      if let error { throw error }
      search.append(partSearch)
      writer.absorb(partWriter)
    }
    try writer.write(SitePage(path: "search-index.js", parts: SearchIndex.script(search)))
  }

  private func make(
    _ part: Part, relations: Relations, frames: TemplateFrames, writer: inout SiteWriter, search: inout SearchIndex
  ) throws(SiteError) {
    switch part {
    case .lessons(let range):
      search = SearchIndex(reservingFor: range.count)
      var links = FolderLinks(page: outline.entries.first?.path ?? "")
      for i in range {
        try writer.write(entryPage(i, relations: relations, frames: frames, links: &links, search: &search))
      }
    case .index:
      try writer.write(indexPage(frames: frames, search: &search))
    case .rules:
      for rule in rules {
        let page = SitePath.rulePage(rule.id)
        search.add(
          title: rule.id, url: page, kind: "rule", summary: rule.summary, text: rule.rationale + " " + rule.fix)
        try writer.write(
          layout(
            page, kind: "rule", title: rule.id,
            body: rulePage(rule, page: page, annotated: relations.annotated, frames: frames), frames: frames))
      }
      try writer.write(rulesPage(frames: frames))
    case .files:
      try filePages(frames: frames, writer: &writer, search: &search)
    case .errors:
      let errorRows = errorIndex()
      try writer.write(
        layout(
          "errors.html", kind: "errors", title: "Error messages",
          body: frames.render(
            "errors",
            [
              "errors": items("error-row", errorRows, frames: frames),
              "hasErrors": .flag(!errorRows.isEmpty),
            ]),
          frames: frames))
    case .search:
      try writer.write(searchPage(frames: frames))
    case .assets:
      for key in EmbeddedFiles.files.keys.sorted() where key.hasPrefix("site/assets/") {
        try writer.write(
          SitePage(path: "assets/" + key.dropFirst("site/assets/".count), text: EmbeddedFiles.files[key] ?? ""))
      }
    }
  }

  // MARK: the index, rules, files and search pages

  private func indexPage(frames: TemplateFrames, search: inout SearchIndex) -> SitePage {
    let lessonEntries = outline.entries.filter { $0.number != nil }
    let sectionEntries = outline.entries.filter { $0.number == nil }
    var messages = Set<String>()
    for entry in outline.entries { messages.formUnion(entry.errorMessages) }
    search.add(
      title: outline.title, url: "index.html", kind: "page", summary: "", text: searchText[outline.entries.count])
    let index = frames.render(
      "index",
      [
        "intro": .text(outline.pageHTML(0, document: document)),
        "introHasTitle": .flag(outline.introHasTitle),
        "siteTitle": .text(outline.title),
        "lessons": items("card", lessonEntries.map(card), frames: frames),
        "hasLessons": .flag(!lessonEntries.isEmpty),
        "lessonCount": .text(String(lessonEntries.count)),
        "sections": items("card", sectionEntries.map(card), frames: frames),
        "hasSections": .flag(!sectionEntries.isEmpty),
        "sectionsHeading": lessonEntries.isEmpty ? "Sections" : "Other sections",
        "ruleCount": .text(String(rules.count)),
        "fileCount": .text(String(files.paths.count)),
        "errorCount": .text(String(messages.count)),
      ])
    return layout("index.html", kind: "index", title: nil, body: index, frames: frames)
  }

  private func rulesPage(frames: TemplateFrames) -> SitePage {
    let ruleRows: [TemplateObject] = rules.map { rule in
      [
        "href": .text(SitePath.rulePage(rule.id)), "id": .text(rule.id), "summary": .text(rule.summary),
        "severity": .text(rule.severity.rawValue),
        "lessons": .objects(
          rule.lessons.compactMap { n in
            outline.lessons[n].map { ["href": .text(outline.entries[$0].path), "number": .text(String(n))] }
          }),
        "missing": .objects(rule.lessons.filter { outline.lessons[$0] == nil }.map { ["number": .text(String($0))] }),
      ]
    }
    return layout(
      "rules.html", kind: "rules", title: "Rules",
      body: frames.render("rules", ["rules": .objects(ruleRows), "hasRules": .flag(!ruleRows.isEmpty)]),
      frames: frames)
  }

  private func filePages(frames: TemplateFrames, writer: inout SiteWriter, search: inout SearchIndex)
    throws(SiteError)
  {
    var unavailable: TemplateObject? = nil
    if case .unavailable(let reason) = files.state { unavailable = ["reason": .text(reason)] }
    var fileTiles: [TemplateObject] = []
    for path in files.paths {
      let page = SitePath.filePage(path)
      let output = files.output(path)
      search.add(title: path, url: page, kind: "file", summary: "generated file", text: "")
      var data: TemplateObject = ["path": .text(path)]
      if let output {
        let (rows, lines, notes) = sourceRows(output, page: page)
        data["rendered"] = .object([
          "rows": .text(rows), "lineCount": .text(String(lines)), "noteCount": .text(String(notes)),
          "hasNotes": .flag(notes > 0),
        ])
        fileTiles.append(["href": .text(page), "path": .text(path), "description": .text("\(lines) lines")])
      } else {
        data["reason"] = .text(unavailableReason(path))
        fileTiles.append(["href": .text(page), "path": .text(path), "description": "not rendered in this build"])
      }
      try writer.write(layout(page, kind: "file", title: path, body: frames.render("file", data), frames: frames))
    }
    var filesData: TemplateObject = ["files": .objects(fileTiles), "hasFiles": .flag(!fileTiles.isEmpty)]
    if let unavailable { filesData["unavailable"] = .object(unavailable) }
    try writer.write(
      layout(
        "files.html", kind: "files", title: "Generated files", body: frames.render("files", filesData),
        frames: frames))
  }

  private func searchPage(frames: TemplateFrames) -> SitePage {
    var everything: [TemplateObject] = outline.entries.map { ["href": .text($0.path), "title": .text($0.title)] }
    everything += rules.map { ["href": .text(SitePath.rulePage($0.id)), "title": .text("Rule \($0.id)")] }
    everything += files.paths.map { ["href": .text(SitePath.filePage($0)), "title": .text("File \($0)")] }
    everything += [
      ["href": "index.html", "title": "Index"], ["href": "rules.html", "title": "Rules"],
      ["href": "files.html", "title": "Generated files"], ["href": "errors.html", "title": "Error messages"],
    ]
    return layout(
      "search.html", kind: "search", title: "Search",
      body: frames.render("search", ["pages": items("page-item", everything, frames: frames)]),
      scripts: ["search-index.js", "assets/search.js"], frames: frames)
  }

  // MARK: pieces

  /// A lesson's or section's page; `links` holds hrefs from the lessons
  /// folder, where every entry page sits.
  private func entryPage(
    _ i: Int, relations: Relations, frames: TemplateFrames, links: inout FolderLinks, search: inout SearchIndex
  ) -> SitePage {
    let entry = outline.entries[i]
    let page = entry.path
    search.add(
      title: entry.title, url: page, kind: entry.number == nil ? "section" : "lesson",
      summary: entry.number == nil ? entry.summary : "\(entry.status.label) · \(entry.summary)", text: searchText[i])
    for message in entry.errorMessages {
      search.add(title: message, url: page, kind: "error", summary: entry.title, text: "")
    }
    var data: TemplateObject = [
      "content": .text(outline.pageHTML(i + 1, document: document)),
      "isLesson": .flag(entry.number != nil),
      "number": .text(entry.number.map(String.init) ?? ""),
      "status": .text(entry.status.label),
      "statusClass": entry.status.isResolved ? "resolved" : "open",
    ]
    if let number = entry.number {
      let ruleItems: [TemplateObject] = (relations.rulesByLesson[number] ?? []).map { r in
        [
          "href": .text(links.href(to: SitePath.rulePage(rules[r].id))), "id": .text(rules[r].id),
          "summary": .text(rules[r].summary),
        ]
      }
      data.add("rules", items("rule-item", ruleItems, frames: frames))
      data.add("hasRules", .flag(!ruleItems.isEmpty))
      let referrerItems: [TemplateObject] = relations.referrers.of(i).map { k in
        ["href": .text(links.href(to: outline.entries[k].path)), "title": .text(outline.entries[k].title)]
      }
      data.add("referrers", items("link-item", referrerItems, frames: frames))
      data.add("hasReferrers", .flag(!referrerItems.isEmpty))
      let lineItems = relations.annotated.lines(lesson: number).map {
        line($0, href: links.href(to: SitePath.filePage($0.path)))
      }
      data.add("lines", items("line-item", lineItems, frames: frames))
      data.add("hasLines", .flag(!lineItems.isEmpty))
    }
    if i > 0 {
      let previous = outline.entries[i - 1]
      data.add("previous", .object(["href": .text(links.href(to: previous.path)), "title": .text(previous.title)]))
    }
    if i + 1 < outline.entries.count {
      let next = outline.entries[i + 1]
      data.add("next", .object(["href": .text(links.href(to: next.path)), "title": .text(next.title)]))
    }
    return layout(page, kind: "lesson", title: entry.title, body: frames.render("lesson", data), frames: frames)
  }

  /// A page inside the site's layout.
  private func layout(
    _ path: String, kind: String, title: String?, body: String, scripts: [String] = [], frames: TemplateFrames
  ) -> SitePage {
    let root = SitePath.root(from: path)
    let pageTitle = title.map { "\($0) · \(outline.title)" } ?? outline.title
    // Only the title and body differ between pages of one folder and kind.
    let key = "\(path.utf8.contains(UInt8(ascii: "/")) ? root : path)|\(kind)|\(scripts.joined(separator: ","))"
    let html = frames.render(
      "page", key: key,
      data: {
        let nav: [TemplateObject] = [
          ("index.html", "Lessons"), ("rules.html", "Rules"), ("files.html", "Files"), ("errors.html", "Errors"),
          ("search.html", "Search"),
        ].map { item in ["href": .text(root + item.0), "label": .text(item.1), "current": .flag(path == item.0)] }
        return [
          "lang": "en",
          "root": .text(root),
          "kind": .text(kind),
          "siteTitle": .text(outline.title),
          "nav": .objects(nav),
          "isSearch": .flag(kind == "search"),
          "sourceName": .text(sourceName),
          "scripts": .objects(scripts.map { ["src": .text(root + $0)] }),
        ]
      }, slots: ["pageTitle": pageTitle, "body": body])
    return SitePage(path: path, bytes: html)
  }

  private func link(from page: String, to entry: SiteEntry) -> TemplateObject {
    ["href": .text(SitePath.relative(from: page, to: entry.path)), "title": .text(entry.title)]
  }

  private func card(_ entry: SiteEntry) -> TemplateObject {
    [
      "href": .text(entry.path),
      "isLesson": .flag(entry.number != nil),
      "number": .text(entry.number.map(String.init) ?? ""),
      "name": .text(Self.name(entry)),
      "status": .text(entry.status.label),
      "statusClass": entry.status.isResolved ? "resolved" : "open",
      "summary": .text(entry.summary),
      "hasSummary": .flag(!entry.summary.isEmpty),
    ]
  }

  /// The title without its "6. " prefix (the index shows the number apart).
  static func name(_ entry: SiteEntry) -> String {
    guard entry.number != nil, let dot = entry.title.firstIndex(of: ".") else { return entry.title }
    return String(entry.title[entry.title.index(after: dot)...]).trimmed
  }

  /// A list's items, each rendered by its own template, as one piece of
  /// HTML: a page's shape then does not depend on how long its lists are
  /// (see `TemplateFrames`), and items of one shape cost one render.
  private func items(_ template: String, _ items: [TemplateObject], frames: TemplateFrames) -> TemplateValue {
    .text(frames.render(template, items: items))
  }

  /// A line of a generated file; `href` leads to the file's page.
  private func line(_ line: AnnotatedLines.Line, href: String) -> TemplateObject {
    [
      "href": .text(href + SitePath.fragment("L\(line.line)")), "path": .text(line.path),
      "line": .text(String(line.line)),
    ]
  }

  private func errorIndex() -> [TemplateObject] {
    var byMessage: [String: [Int]] = [:]
    var order: [String] = []
    for (i, entry) in outline.entries.enumerated() {
      for message in entry.errorMessages {
        if byMessage[message] == nil { order.append(message) }
        byMessage[message, default: []].append(i)
      }
    }
    // Each message lowercased once, not once per comparison.
    let sorted = order.map { (key: $0.lowercased(), message: $0) }.sorted { a, b in
      a.key != b.key ? a.key < b.key : a.message < b.message
    }
    return sorted.map { item in
      [
        "message": .text(item.message),
        "lessons": .objects((byMessage[item.message] ?? []).map { link(from: "errors.html", to: outline.entries[$0]) }),
      ]
    }
  }

  private func unavailableReason(_ path: String) -> String {
    if case .unavailable(let reason) = files.state { return reason }
    return "the renderers produced no \(path) for this inventory"
  }

  // MARK: rule pages

  private func rulePage(_ rule: RuleDescription, page: String, annotated: AnnotatedLines, frames: TemplateFrames)
    -> String
  {
    let lessons: [TemplateObject] = rule.lessons.map { n in
      guard let i = outline.lessons[n] else {
        return ["exists": false, "number": .text(String(n)), "sourceName": .text(sourceName)]
      }
      let entry = outline.entries[i]
      return [
        "exists": true, "number": .text(String(n)), "href": .text(SitePath.relative(from: page, to: entry.path)),
        "title": .text(entry.title),
        "status": .text(entry.status.label), "statusClass": entry.status.isResolved ? "resolved" : "open",
      ]
    }
    let examples: [TemplateObject] = rule.triggering.enumerated().map { k, example in
      [
        "n": .text(String(k + 1)), "title": .text(example.title),
        "edits": items(
          "rule-edit", example.edits.map { ["refused": .text(Self.marked($0.replace)), "accepted": .text($0.find)] },
          frames: frames),
      ]
    }
    return frames.render(
      "rule",
      [
        "id": .text(rule.id), "summary": .text(rule.summary), "severity": .text(rule.severity.rawValue),
        "sourceName": .text(sourceName), "rationale": .text(Self.prose(rule.rationale)),
        "fix": .text(Self.prose(rule.fix)),
        "lessons": items("rule-lesson", lessons, frames: frames), "hasLessons": .flag(!lessons.isEmpty),
        "examples": items("rule-example", examples, frames: frames),
        "lines": items(
          "line-item",
          annotated.lines(rule: rule.id).map {
            line($0, href: SitePath.relative(from: page, to: SitePath.filePage($0.path)))
          }, frames: frames),
        "hasLines": .flag(!annotated.lines(rule: rule.id).isEmpty),
      ])
  }

  /// A rule's own prose (with `code` spans) as HTML, through cmark-gfm.
  static func prose(_ text: String) -> String {
    let document = MarkdownDocument(text)
    return document.html(document.root)
  }

  /// An example's edited text, escaped, with the part each `↓` marker
  /// points at highlighted. A highlight with nothing in it is left out.
  static func marked(_ text: String) -> String {
    // Between highlights the text is escaped a stretch at a time; only a
    // highlighted token is read character by character (to find where it
    // ends). `<mark>` is written only around a token with something in it,
    // so an empty highlight never shows.
    var out = ""
    var rest = Substring(text)
    while let marker = rest.firstIndex(of: RuleExample.marker) {
      out += HTML.escape(String(rest[..<marker]))
      rest = rest[rest.index(after: marker)...]
      let end =
        rest.firstIndex { $0 == RuleExample.marker || $0.isWhitespace || ",]}".contains($0) } ?? rest.endIndex
      if end > rest.startIndex { out += "<mark>" + HTML.escape(String(rest[..<end])) + "</mark>" }
      rest = rest[end...]
    }
    return out + HTML.escape(String(rest))
  }

  // MARK: file pages

  /// Table rows for a file's lines: an anchor per line, and links to the
  /// lessons and rules a line is about.
  private func sourceRows(_ output: Output, page: String) -> (String, Int, Int) {
    var notes: [Int: OutputAnnotation] = [:]
    for note in output.annotations {
      if let old = notes[note.line] {
        notes[note.line] = OutputAnnotation(
          line: note.line, lessons: old.lessons + note.lessons, rules: old.rules + note.rules)
      } else {
        notes[note.line] = note
      }
    }
    // Split at line feeds as bytes (Foundation's components(separatedBy:)
    // searches in UTF-16; "\r\n" splits the same way).
    var lines = output.text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
      String(Substring($0))
    }
    if lines.last == "" { lines.removeLast() }
    var rows = ""
    var noted = 0
    for (k, text) in lines.enumerated() {
      let number = k + 1
      var why: [String] = []
      if let note = notes[number] {
        noted += 1
        for n in note.lessons {
          if let i = outline.lessons[n] {
            why.append(
              "<a href=\"\(HTML.escape(SitePath.relative(from: page, to: outline.entries[i].path)))\">lesson \(n)</a>")
          } else {
            why.append("<span class=\"quiet\">lesson \(n)</span>")
          }
        }
        for id in note.rules {
          if rules.contains(where: { $0.id == id }) {
            why.append(
              "<a href=\"\(HTML.escape(SitePath.relative(from: page, to: SitePath.rulePage(id))))\"><code>\(HTML.escape(id))</code></a>"
            )
          } else {
            why.append("<code>\(HTML.escape(id))</code>")
          }
        }
      }
      rows += "<tr id=\"L\(number)\"\(why.isEmpty ? "" : " class=\"noted\"")>"
      rows += "<td class=\"ln\"><a href=\"#L\(number)\">\(number)</a></td>"
      rows += "<td class=\"text\"><code>\(HTML.escape(text))</code></td>"
      rows += "<td class=\"why\">\(why.joined(separator: " "))</td></tr>\n"
    }
    return (rows, lines.count, noted)
  }
}
