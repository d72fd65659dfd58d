/// The "pages" step: every file of the site, in memory, each page one
/// template render. Nothing here touches the disk.
struct SitePages {
  let document: MarkdownDocument
  let outline: LessonsOutline
  let links: CrossLinker
  let files: GeneratedFiles
  let rules: [RuleDescription]
  /// The lessons file's name, for the footer and the rule pages.
  let sourceName: String
  let templates: SiteTemplates

  /// Lesson number to the rules that enforce it.
  private var rulesByLesson: [Int: [RuleDescription]] {
    var out: [Int: [RuleDescription]] = [:]
    for rule in rules { for n in rule.lessons { out[n, default: []].append(rule) } }
    return out
  }

  func make() -> [Output] {
    var pages: [Output] = []
    var search = SearchIndex()
    let enforcing = rulesByLesson
    let annotated = AnnotatedLines(files: files)
    // Lesson number to the entries that mention it, in document order.
    var referrers: [Int: [Int]] = [:]
    for (i, numbers) in links.mentions.enumerated() { for n in numbers { referrers[n, default: []].append(i) } }
    func add(_ path: String, _ html: String) { pages.append(Output(path: path, text: html)) }

    for i in outline.entries.indices {
      let entry = outline.entries[i]
      let badge = LessonBadge(status: entry.status, ruleIDs: (enforcing[entry.number ?? -1] ?? []).map(\.id))
      search.add(
        title: entry.title, url: entry.path, kind: entry.number == nil ? "section" : "lesson",
        summary: entry.number == nil ? entry.summary : "\(badge.label) · \(entry.summary)", text: links.searchText[i])
      for message in entry.errorMessages {
        search.add(title: message, url: entry.path, kind: "error", summary: entry.title, text: "")
      }
      add(
        entry.path,
        entryPage(i, badge: badge, enforcing: enforcing, referrers: referrers[entry.number ?? -1] ?? [], annotated: annotated))
    }
    search.add(
      title: outline.title, url: "index.html", kind: "page", summary: "",
      text: links.searchText[outline.entries.count])
    add("index.html", indexPage(enforcing: enforcing))
    for rule in rules {
      let page = SitePath.rulePage(rule.id)
      search.add(title: rule.id, url: page, kind: "rule", summary: rule.summary, text: rule.rationale + " " + rule.fix)
      add(page, rulePage(rule, page: page, enforcing: enforcing, annotated: annotated))
    }
    add("rules.html", rulesPage())
    for path in files.paths {
      search.add(title: path, url: SitePath.filePage(path), kind: "file", summary: "generated file", text: "")
      add(SitePath.filePage(path), filePage(path))
    }
    add("files.html", filesPage())
    add("errors.html", errorsPage())
    add("search.html", searchPage())
    pages.append(Output(path: "search-index.js", text: search.script))
    for key in EmbeddedFiles.files.keys.sorted() where key.hasPrefix("site/assets/") && !key.hasSuffix("/.keep") {
      pages.append(Output(path: "assets/" + key.dropFirst("site/assets/".count), text: EmbeddedFiles.files[key] ?? ""))
    }
    return pages
  }

  /// A page: `template` (which extends the `page` layout) filled with `data`
  /// and what the layout needs.
  private func render(
    _ template: String, path: String, kind: String, title: String?, scripts: [String] = [], _ data: [String: Any]
  ) -> String {
    let root = SitePath.root(from: path)
    let nav: [[String: Any]] = [
      ("index.html", "Lessons"), ("rules.html", "Rules"), ("files.html", "Files"), ("errors.html", "Errors"),
      ("search.html", "Search"),
    ].map { ["href": root + $0.0, "label": $0.1, "current": path == $0.0] }
    var all = data
    all["lang"] = "en"
    all["root"] = root
    all["kind"] = kind
    all["pageTitle"] = title.map { "\($0) · \(outline.title)" } ?? outline.title
    all["siteTitle"] = outline.title
    all["nav"] = nav
    all["isSearch"] = kind == "search"
    all["sourceName"] = sourceName
    all["scripts"] = scripts.map { ["src": root + $0] }
    return templates.render(template, all)
  }

  // MARK: lessons and sections

  private func entryPage(
    _ i: Int, badge: LessonBadge, enforcing: [Int: [RuleDescription]], referrers: [Int], annotated: AnnotatedLines
  ) -> String {
    let entry = outline.entries[i]
    let page = entry.path
    var data: [String: Any] = [
      "content": document.html(entry.content),
      "isLesson": entry.number != nil,
      "number": entry.number.map(String.init) ?? "",
      "badge": badgeData(badge, from: page),
    ]
    if let number = entry.number {
      let ruleItems: [[String: Any]] = (enforcing[number] ?? []).map { rule in
        ["href": SitePath.relative(from: page, to: SitePath.rulePage(rule.id)), "id": rule.id, "summary": rule.summary]
      }
      data["rules"] = ruleItems
      data["hasRules"] = !ruleItems.isEmpty
      let referrerItems: [[String: Any]] = referrers.map {
        ["href": SitePath.relative(from: page, to: outline.entries[$0].path), "title": outline.entries[$0].title]
      }
      data["referrers"] = referrerItems
      data["hasReferrers"] = !referrerItems.isEmpty
      let lines = annotated.lines(lesson: number).map { lineLink($0, from: page) }
      data["lines"] = lines
      data["hasLines"] = !lines.isEmpty
    }
    if i > 0 {
      let previous = outline.entries[i - 1]
      data["previous"] = ["href": SitePath.relative(from: page, to: previous.path), "title": previous.title]
    }
    if i + 1 < outline.entries.count {
      let next = outline.entries[i + 1]
      data["next"] = ["href": SitePath.relative(from: page, to: next.path), "title": next.title]
    }
    return render("lesson", path: page, kind: "lesson", title: entry.title, data)
  }

  /// What the badge partial shows; `from` is the page it sits on.
  private func badgeData(_ badge: LessonBadge, from page: String) -> [String: Any] {
    var ids: [String] = []
    if case .enforced(let ruleIDs) = badge { ids = ruleIDs }
    return [
      "style": badge.style, "label": badge.label, "enforced": !ids.isEmpty,
      "rules": ids.enumerated().map { k, id in
        ["href": SitePath.relative(from: page, to: SitePath.rulePage(id)), "id": id, "last": k == ids.count - 1]
      },
    ]
  }

  private func lineLink(_ line: AnnotatedLines.Line, from page: String) -> [String: Any] {
    [
      "href": SitePath.relative(from: page, to: SitePath.filePage(line.path)) + SitePath.fragment("L\(line.line)"),
      "path": line.path, "line": String(line.line),
    ]
  }

  // MARK: the index, rules, files, errors and search pages

  private func indexPage(enforcing: [Int: [RuleDescription]]) -> String {
    func card(_ entry: SiteEntry) -> [String: Any] {
      var card: [String: Any] = ["href": entry.path, "name": Self.name(entry)]
      if let number = entry.number {
        card["number"] = String(number)
        card["badge"] = badgeData(
          LessonBadge(status: entry.status, ruleIDs: (enforcing[number] ?? []).map(\.id)), from: "index.html")
      }
      if !entry.summary.isEmpty { card["summary"] = entry.summary }
      return card
    }
    let lessons = outline.entries.filter { $0.number != nil }.map(card)
    let sections = outline.entries.filter { $0.number == nil }.map(card)
    let messages = Set(outline.entries.flatMap(\.errorMessages))
    return render(
      "index", path: "index.html", kind: "index", title: nil,
      [
        "intro": document.html(outline.intro), "introHasTitle": outline.introHasTitle,
        "lessons": lessons, "hasLessons": !lessons.isEmpty, "lessonCount": String(lessons.count),
        "sections": sections, "hasSections": !sections.isEmpty,
        "sectionsHeading": lessons.isEmpty ? "Sections" : "Other sections",
        "ruleCount": String(rules.count), "fileCount": String(files.paths.count), "errorCount": String(messages.count),
      ])
  }

  /// The title without its "6. " prefix (the index shows the number apart).
  static func name(_ entry: SiteEntry) -> String {
    guard entry.number != nil, let dot = entry.title.firstIndex(of: ".") else { return entry.title }
    return String(entry.title[entry.title.index(after: dot)...]).trimmed
  }

  private func rulesPage() -> String {
    let rows: [[String: Any]] = rules.map { rule in
      [
        "href": SitePath.rulePage(rule.id), "id": rule.id, "summary": rule.summary, "severity": rule.severity.rawValue,
        "lessons": rule.lessons.compactMap { n in
          outline.lessons[n].map { ["href": outline.entries[$0].path, "number": String(n)] }
        },
        "missing": rule.lessons.filter { outline.lessons[$0] == nil }.map { ["number": String($0)] },
      ]
    }
    return render("rules", path: "rules.html", kind: "rules", title: "Rules", ["rules": rows, "hasRules": !rows.isEmpty])
  }

  private func rulePage(
    _ rule: RuleDescription, page: String, enforcing: [Int: [RuleDescription]], annotated: AnnotatedLines
  ) -> String {
    let lessons: [[String: Any]] = rule.lessons.map { n in
      guard let i = outline.lessons[n] else { return ["exists": false, "number": String(n)] }
      let entry = outline.entries[i]
      let badge = LessonBadge(status: entry.status, ruleIDs: (enforcing[n] ?? []).map(\.id))
      return [
        "exists": true, "number": String(n), "href": SitePath.relative(from: page, to: entry.path),
        "title": entry.title, "badge": badgeData(badge, from: page),
      ]
    }
    let examples: [[String: Any]] = rule.triggering.enumerated().map { k, example in
      [
        "n": String(k + 1), "title": example.title,
        "edits": example.edits.map { ["refused": Self.marked($0.replace), "accepted": $0.find] },
      ]
    }
    let lines = annotated.lines(rule: rule.id).map { lineLink($0, from: page) }
    return render(
      "rule", path: page, kind: "rule", title: rule.id,
      [
        "id": rule.id, "summary": rule.summary, "severity": rule.severity.rawValue,
        "rationale": Self.prose(rule.rationale), "fix": Self.prose(rule.fix),
        "lessons": lessons, "hasLessons": !lessons.isEmpty, "examples": examples,
        "lines": lines, "hasLines": !lines.isEmpty,
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

  private var unavailableReason: String? {
    if case .unavailable(let reason) = files.state { return reason }
    return nil
  }

  private func filesPage() -> String {
    let tiles: [[String: Any]] = files.paths.map { path in
      let description = files.output(path).map { "\(Self.lines(of: $0.text).count) lines" } ?? "not rendered in this build"
      return ["href": SitePath.filePage(path), "path": path, "description": description]
    }
    var data: [String: Any] = ["files": tiles, "hasFiles": !tiles.isEmpty]
    if let reason = unavailableReason { data["unavailable"] = ["reason": reason] }
    return render("files", path: "files.html", kind: "files", title: "Generated files", data)
  }

  private static func lines(of text: String) -> [Substring] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  /// A generated file, a row per line: an anchor per line, and links to the
  /// lessons and rules a line is about.
  private func filePage(_ path: String) -> String {
    let page = SitePath.filePage(path)
    guard let output = files.output(path) else {
      return render(
        "file", path: page, kind: "file", title: path,
        ["path": path, "reason": unavailableReason ?? "the renderers produced no \(path) for this inventory"])
    }
    var notes: [Int: (lessons: [Int], rules: [String])] = [:]
    for note in output.annotations {
      notes[note.line, default: ([], [])].lessons += note.lessons
      notes[note.line, default: ([], [])].rules += note.rules
    }
    let text = Self.lines(of: output.text)
    let rows: [[String: Any]] = text.enumerated().map { k, line in
      let n = k + 1
      var why: [[String: Any]] = []
      for lesson in notes[n]?.lessons ?? [] {
        var href: Any = false
        if let i = outline.lessons[lesson] { href = SitePath.relative(from: page, to: outline.entries[i].path) }
        why.append(["href": href, "label": "lesson \(lesson)", "code": false])
      }
      for id in notes[n]?.rules ?? [] {
        let href: Any = rules.contains { $0.id == id } ? SitePath.relative(from: page, to: SitePath.rulePage(id)) : false
        why.append(["href": href, "label": id, "code": true])
      }
      for k in why.indices { why[k]["last"] = k == why.count - 1 }
      return ["n": String(n), "text": String(line), "why": why, "noted": !why.isEmpty]
    }
    let noted = rows.filter { $0["noted"] as? Bool == true }.count
    var rendered: [String: Any] = ["lines": rows, "lineCount": String(text.count)]
    if noted > 0 { rendered["noteCount"] = String(noted) }
    return render("file", path: page, kind: "file", title: path, ["path": path, "rendered": rendered])
  }

  private func errorsPage() -> String {
    var byMessage: [String: [Int]] = [:]
    for (i, entry) in outline.entries.enumerated() {
      for message in entry.errorMessages { byMessage[message, default: []].append(i) }
    }
    let rows: [[String: Any]] = byMessage.keys.sorted { a, b in
      a.lowercased() != b.lowercased() ? a.lowercased() < b.lowercased() : a < b
    }.map { message in
      [
        "message": message,
        "lessons": (byMessage[message] ?? []).map {
          ["href": outline.entries[$0].path, "title": outline.entries[$0].title]
        },
      ]
    }
    return render(
      "errors", path: "errors.html", kind: "errors", title: "Error messages",
      ["errors": rows, "hasErrors": !rows.isEmpty])
  }

  private func searchPage() -> String {
    var everything: [[String: Any]] = outline.entries.map { ["href": $0.path, "title": $0.title] }
    everything += rules.map { ["href": SitePath.rulePage($0.id), "title": "Rule \($0.id)"] }
    everything += files.paths.map { ["href": SitePath.filePage($0), "title": "File \($0)"] }
    everything += [
      ["href": "index.html", "title": "Index"], ["href": "rules.html", "title": "Rules"],
      ["href": "files.html", "title": "Generated files"], ["href": "errors.html", "title": "Error messages"],
    ]
    return render(
      "search", path: "search.html", kind: "search", title: "Search",
      scripts: ["search-index.js", "assets/search.js"], ["pages": everything])
  }
}
