import Testing

@testable import TailwartCore

/// The lines the site links to lessons and rules are the lines that carry
/// what those lessons are about.
struct OutputAnnotationTests {
  static func annotated(_ path: String) throws -> (lines: [Substring], byLine: [Int: OutputAnnotation]) {
    let outputs = try GoldenFiles.render(GoldenFiles.variants[0])
    let output = try #require(outputs.first { $0.path == path })
    let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false)
    let known = Set(RuleCatalog.descriptions.map(\.id))
    for annotation in output.annotations {
      #expect((1...lines.count).contains(annotation.line))
      #expect(!annotation.lessons.isEmpty || !annotation.rules.isEmpty)
      #expect(annotation.rules.allSatisfy(known.contains), "only rules that exist: \(annotation.rules)")
    }
    return (lines, Dictionary(output.annotations.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a }))
  }

  static func annotation(_ r: (lines: [Substring], byLine: [Int: OutputAnnotation]), on needle: String) throws
    -> OutputAnnotation
  {
    let index = try #require(r.lines.firstIndex { $0.contains(needle) }, "no line with \(needle)")
    return try #require(r.byLine[index + 1], "the line with \(needle) is not annotated")
  }

  @Test func marksMatchTheirNeedleAnywhereInALine() {
    let annotator = LineAnnotator([
      LineAnnotator.Mark("aab", lessons: [3]), LineAnnotator.Mark("end", rules: ["r"]),
      LineAnnotator.Mark("", lessons: [9]), LineAnnotator.Mark("héllo", lessons: [1, 2]),
      LineAnnotator.Mark("two", lessons: [2]),
    ])
    let text = "aaab\nno match here\nthe end\nsay héllo two\n\nen\nend"
    #expect(
      annotator.annotations(for: text) == [
        OutputAnnotation(line: 1, lessons: [3]), OutputAnnotation(line: 3, rules: ["r"]),
        OutputAnnotation(line: 4, lessons: [1, 2]), OutputAnnotation(line: 7, rules: ["r"]),
      ])
  }

  @Test func composeLinesPointAtTheirLessons() throws {
    let r = try Self.annotated("docker-compose.yml")
    #expect(try Self.annotation(r, on: "test: [\"CMD-SHELL\"").lessons.contains(1))
    #expect(try Self.annotation(r, on: "condition: \"service_healthy\"").lessons.contains(1))
    #expect(try Self.annotation(r, on: "TS_AUTHKEY:").lessons.contains(2))
    #expect(try Self.annotation(r, on: "- subnet:").lessons.contains(9))
    let route = try Self.annotation(r, on: "# relay route: ")
    #expect(route.lessons.contains(12))
    #expect(route.rules.contains("route-change-needs-restart"))
    #expect(r.byLine[1] == nil, "the header is about no lesson")
  }

  @Test func caddyfileLinesPointAtTheirLessons() throws {
    let r = try Self.annotated("caddy/Caddyfile")
    #expect(try Self.annotation(r, on: "tls sni").lessons.contains(5))
    #expect(try Self.annotation(r, on: "proxy_protocol v2").lessons.contains(3))
    let upstream = try Self.annotation(r, on: "upstream stalwart.")
    #expect(upstream.lessons.contains(6))
    #expect(upstream.rules.contains("magicdns-not-ips"))
  }
}

/// Every annotation of every output of every golden variant names a lesson
/// of the shipped lessons and a rule that exists: the site links them all.
struct OutputAnnotationReferencesTests {
  @Test(arguments: GoldenFiles.variants.indices)
  func annotationsNameRealLessonsAndRules(_ index: Int) throws {
    let known = Set(RuleCatalog.descriptions.map(\.id))
    for output in try GoldenFiles.render(GoldenFiles.variants[index]) {
      for annotation in output.annotations {
        #expect(annotation.rules.allSatisfy(known.contains), "\(output.path):\(annotation.line) \(annotation.rules)")
        #expect(annotation.lessons.allSatisfy { (1...13).contains($0) }, "\(output.path):\(annotation.line)")
      }
    }
  }
}
