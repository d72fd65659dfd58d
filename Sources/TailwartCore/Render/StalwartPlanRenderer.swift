/// `stalwart/plan.ndjson`: Stalwart's own settings for `stalwart-cli apply
/// --file`. NDJSON has no comments, so the file carries no header; the
/// README and the generated-file page say where it comes from.
public enum StalwartPlanRenderer: Renderer {
  public static let path = "stalwart/plan.ndjson"
  public static let paths = [path]

  public static func render(_ checked: CheckedDeployment, context: RenderContext) throws -> [Output] {
    let plan = try StalwartPlan(checked)
    var text = AnnotatedText()
    for op in plan.operations { text.emit(op.line, lessons: op.lessons, rules: op.rules) }
    return [text.output(path: path)]
  }

  public static func selfCheck(_ output: Output) throws {
    let problems = StalwartPlanSchema.check(plan: output.text)
    if !problems.isEmpty {
      throw SelfCheckError(path: output.path, problem: problems.joined(separator: "; "))
    }
  }
}
