import Foundation

/// The "pages" step: every page of the site, each handed to the writer as
/// soon as it is made, so no more than a page per core is held in memory.
/// Lesson pages come first, in chunks side by side (one per core).
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

  func build(into writer: inout SiteWriter) throws(SiteError) {
    let templates = TemplateFrames(self.templates)
    let rulesByLesson = Dictionary(grouping: rules.indices.flatMap { r in rules[r].lessons.map { ($0, r) } }, by: \.0)
      .mapValues { $0.map(\.1) }
    let annotated = AnnotatedLines(files: files)
    var referrers: [Int: [Int]] = [:]
    for (i, numbers) in mentions.enumerated() {
      for n in numbers { referrers[n, default: []].append(i) }
    }

    // Lesson and section pages, chunk by chunk; each chunk has its own
    // template cache and writer, and hands back its part of the search index.
    try writer.prepareFolder("lessons")
    let base = writer.fork()
    let chunks = ParallelChunks.map(outline.entries.count) { range -> (SearchIndex, SiteWriter, SiteError?) in
      var search = SearchIndex()
      var writer = base
      let frames = TemplateFrames(self.templates)
      do throws(SiteError) {
        for i in range {
          try writer.write(
            entryPage(
              i, frames: frames, search: &search, rulesByLesson: rulesByLesson, referrers: referrers,
              annotated: annotated))
        }
      } catch {
        return (search, writer, error)
      }
      return (search, writer, nil)
    }
    var search = SearchIndex()
    for (part, chunkWriter, error) in chunks {
      if let error { throw error }
      search.append(part)
      writer.absorb(chunkWriter)
    }
    func emit(_ page: SitePage) throws(SiteError) { try writer.write(page) }

    // The index.
    let lessonEntries = outline.entries.filter { $0.number != nil }
    let sectionEntries = outline.entries.filter { $0.number == nil }
    let errorRows = errorIndex()
    search.add(
      title: outline.title, url: "index.html", kind: "page", summary: "", text: searchText[outline.entries.count])
    let index = templates.render(
      "index",
      [
        "intro": document.renderFragment(0),
        "introHasTitle": outline.introHasTitle,
        "siteTitle": outline.title,
        "lessons": lessonEntries.map { templates.render("card", card($0)) }.joined(),
        "hasLessons": !lessonEntries.isEmpty,
        "lessonCount": String(lessonEntries.count),
        "sections": sectionEntries.map { templates.render("card", card($0)) }.joined(),
        "hasSections": !sectionEntries.isEmpty,
        "sectionsHeading": lessonEntries.isEmpty ? "Sections" : "Other sections",
        "ruleCount": String(rules.count),
        "fileCount": String(files.paths.count),
        "errorCount": String(errorRows.count),
      ])
    try emit(layout("index.html", kind: "index", title: nil, body: index, frames: templates))

    // Rules.
    for rule in rules {
      let page = SitePath.rulePage(rule.id)
      search.add(title: rule.id, url: page, kind: "rule", summary: rule.summary, text: rule.rationale + " " + rule.fix)
      try emit(
        layout(
          page, kind: "rule", title: rule.id, body: rulePage(rule, page: page, annotated: annotated, frames: templates),
          frames: templates))
    }
    let ruleRows: [[String: Any]] = rules.map { rule in
      [
        "href": SitePath.rulePage(rule.id), "id": rule.id, "summary": rule.summary, "severity": rule.severity.rawValue,
        "lessons": rule.lessons.compactMap { n in
          outline.lessons[n].map { ["href": outline.entries[$0].path, "number": String(n)] }
        },
        "missing": rule.lessons.filter { outline.lessons[$0] == nil }.map { ["number": String($0)] },
      ]
    }
    try emit(
      layout(
        "rules.html", kind: "rules", title: "Rules",
        body: templates.render("rules", ["rules": ruleRows, "hasRules": !ruleRows.isEmpty]), frames: templates))

    // Generated files.
    var unavailable: [String: Any]? = nil
    if case .unavailable(let reason) = files.state { unavailable = ["reason": reason] }
    var fileTiles: [[String: Any]] = []
    for path in files.paths {
      let page = SitePath.filePage(path)
      let output = files.output(path)
      search.add(title: path, url: page, kind: "file", summary: "generated file", text: "")
      var data: [String: Any] = ["path": path]
      if let output {
        let (rows, lines, notes) = sourceRows(output, page: page)
        data["rendered"] = [
          "rows": rows, "lineCount": String(lines), "noteCount": String(notes), "hasNotes": notes > 0,
        ]
        fileTiles.append(["href": page, "path": path, "description": "\(lines) lines"])
      } else {
        data["reason"] = unavailableReason(path)
        fileTiles.append(["href": page, "path": path, "description": "not rendered in this build"])
      }
      try emit(layout(page, kind: "file", title: path, body: templates.render("file", data), frames: templates))
    }
    var filesData: [String: Any] = ["files": fileTiles, "hasFiles": !fileTiles.isEmpty]
    if let unavailable { filesData["unavailable"] = unavailable }
    try emit(
      layout(
        "files.html", kind: "files", title: "Generated files", body: templates.render("files", filesData),
        frames: templates))

    // Error messages, search.
    try emit(
      layout(
        "errors.html", kind: "errors", title: "Error messages",
        body: templates.render(
          "errors",
          ["errors": errorRows.map { templates.render("error-row", $0) }.joined(), "hasErrors": !errorRows.isEmpty]),
        frames: templates))
    var everything: [[String: Any]] = outline.entries.map { ["href": $0.path, "title": $0.title] }
    everything += rules.map { ["href": SitePath.rulePage($0.id), "title": "Rule \($0.id)"] }
    everything += files.paths.map { ["href": SitePath.filePage($0), "title": "File \($0)"] }
    everything += [
      ["href": "index.html", "title": "Index"], ["href": "rules.html", "title": "Rules"],
      ["href": "files.html", "title": "Generated files"], ["href": "errors.html", "title": "Error messages"],
    ]
    try emit(
      layout(
        "search.html", kind: "search", title: "Search",
        body: templates.render("search", ["pages": everything.map { templates.render("page-item", $0) }.joined()]),
        scripts: ["search-index.js", "assets/search.js"], frames: templates))
    try emit(SitePage(path: "search-index.js", bytes: search.script))

    for key in EmbeddedFiles.files.keys.sorted() where key.hasPrefix("site/assets/") {
      try emit(SitePage(path: "assets/" + key.dropFirst("site/assets/".count), text: EmbeddedFiles.files[key] ?? ""))
    }
  }

  // MARK: pieces

  private func entryPage(
    _ i: Int, frames: TemplateFrames, search: inout SearchIndex, rulesByLesson: [Int: [Int]], referrers: [Int: [Int]],
    annotated: AnnotatedLines
  ) -> SitePage {
    let entry = outline.entries[i]
    let page = entry.path
    search.add(
      title: entry.title, url: page, kind: entry.number == nil ? "section" : "lesson",
      summary: entry.number == nil ? entry.summary : "\(entry.status.label) · \(entry.summary)", text: searchText[i])
    for message in entry.errorMessages {
      search.add(title: message, url: page, kind: "error", summary: entry.title, text: "")
    }
    var data: [String: Any] = [
      "content": document.renderFragment(i + 1),
      "isLesson": entry.number != nil,
      "number": entry.number.map(String.init) ?? "",
      "status": entry.status.label,
      "statusClass": entry.status.isResolved ? "resolved" : "open",
    ]
    if let number = entry.number {
      let ruleItems: [[String: Any]] = (rulesByLesson[number] ?? []).map { r in
        [
          "href": SitePath.relative(from: page, to: SitePath.rulePage(rules[r].id)), "id": rules[r].id,
          "summary": rules[r].summary,
        ]
      }
      data["rules"] = ruleItems
      data["hasRules"] = !ruleItems.isEmpty
      let referrerItems: [[String: Any]] = (referrers[number] ?? []).map { k in
        ["href": SitePath.relative(from: page, to: outline.entries[k].path), "title": outline.entries[k].title]
      }
      data["referrers"] = referrerItems
      data["hasReferrers"] = !referrerItems.isEmpty
      let lineItems = annotated.lines(lesson: number).map { line(page: page, $0) }
      data["lines"] = lineItems
      data["hasLines"] = !lineItems.isEmpty
    }
    if i > 0 { data["previous"] = link(from: page, to: outline.entries[i - 1]) }
    if i + 1 < outline.entries.count { data["next"] = link(from: page, to: outline.entries[i + 1]) }
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
        let nav: [[String: Any]] = [
          ("index.html", "Lessons"), ("rules.html", "Rules"), ("files.html", "Files"), ("errors.html", "Errors"),
          ("search.html", "Search"),
        ].map { item in ["href": root + item.0, "label": item.1, "current": path == item.0] }
        return [
          "lang": "en",
          "root": root,
          "kind": kind,
          "siteTitle": outline.title,
          "nav": nav,
          "isSearch": kind == "search",
          "sourceName": sourceName,
          "scripts": scripts.map { ["src": root + $0] },
        ]
      }, slots: ["pageTitle": pageTitle, "body": body])
    return SitePage(path: path, text: html)
  }

  private func link(from page: String, to entry: SiteEntry) -> [String: Any] {
    ["href": SitePath.relative(from: page, to: entry.path), "title": entry.title]
  }

  private func card(_ entry: SiteEntry) -> [String: Any] {
    [
      "href": entry.path,
      "isLesson": entry.number != nil,
      "number": entry.number.map(String.init) ?? "",
      "name": Self.name(entry),
      "status": entry.status.label,
      "statusClass": entry.status.isResolved ? "resolved" : "open",
      "summary": entry.summary,
      "hasSummary": !entry.summary.isEmpty,
    ]
  }

  /// The title without its "6. " prefix (the index shows the number apart).
  static func name(_ entry: SiteEntry) -> String {
    guard entry.number != nil, let dot = entry.title.firstIndex(of: ".") else { return entry.title }
    return String(entry.title[entry.title.index(after: dot)...]).trimmed
  }

  private func line(page: String, _ line: AnnotatedLines.Line) -> [String: Any] {
    [
      "href": SitePath.relative(from: page, to: SitePath.filePage(line.path)) + SitePath.fragment("L\(line.line)"),
      "path": line.path, "line": String(line.line),
    ]
  }

  private func errorIndex() -> [[String: Any]] {
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
        "message": item.message,
        "lessons": (byMessage[item.message] ?? []).map { link(from: "errors.html", to: outline.entries[$0]) },
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
    let lessons: [[String: Any]] = rule.lessons.map { n in
      guard let i = outline.lessons[n] else { return ["exists": false, "number": String(n)] }
      let entry = outline.entries[i]
      return [
        "exists": true, "number": String(n), "href": SitePath.relative(from: page, to: entry.path),
        "title": entry.title,
        "status": entry.status.label, "statusClass": entry.status.isResolved ? "resolved" : "open",
      ]
    }
    let examples: [[String: Any]] = rule.triggering.enumerated().map { k, example in
      [
        "n": String(k + 1), "title": example.title,
        "edits": example.edits.map { ["refused": Self.marked($0.replace), "accepted": $0.find] },
      ]
    }
    return frames.render(
      "rule",
      [
        "id": rule.id, "summary": rule.summary, "severity": rule.severity.rawValue, "sourceName": sourceName,
        "rationale": Self.prose(rule.rationale), "fix": Self.prose(rule.fix),
        "lessons": lessons, "hasLessons": !lessons.isEmpty, "examples": examples,
        "lines": annotated.lines(rule: rule.id).map { line(page: page, $0) },
        "hasLines": !annotated.lines(rule: rule.id).isEmpty,
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
    var out = ""
    var highlight = false
    // `<mark>` is written with the first character it holds, so an empty
    // highlight never shows.
    var opened = false
    for character in text {
      if character == RuleExample.marker {
        if highlight, opened { out += "</mark>" }
        highlight = true
        opened = false
        continue
      }
      if highlight, character.isWhitespace || ",]}".contains(character) {
        if opened { out += "</mark>" }
        highlight = false
      }
      if highlight, !opened {
        out += "<mark>"
        opened = true
      }
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      // A character of several scalars ("&" with a combining mark) is
      // escaped byte by byte, as `HTML.escape` does everywhere else.
      default: if character.isASCII { out.append(character) } else { out += HTML.escape(String(character)) }
      }
    }
    if highlight, opened { out += "</mark>" }
    return out
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
    var lines = output.text.components(separatedBy: "\n")
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
