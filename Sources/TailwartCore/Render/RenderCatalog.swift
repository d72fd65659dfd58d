/// Every renderer, in the order their files are listed. A new output is
/// added here and nowhere else.
public enum RenderCatalog {
  public static let all: [any Renderer.Type] = [
    ComposeRenderer.self,
    ACLRenderer.self,
    CaddyRenderer.self,
    ZoneRenderer.self,
    SpaceshipRenderer.self,
    StalwartPlanRenderer.self,
    EnvExampleRenderer.self,
  ]

  /// Renders and self-checks every output, in memory.
  public static func renderAll(_ deployment: CheckedDeployment, context: RenderContext) throws -> [Output] {
    var outputs: [Output] = []
    for renderer in all {
      for output in try renderer.render(deployment, context: context) {
        try renderer.selfCheck(output)
        outputs.append(output)
      }
    }
    return outputs
  }
}
