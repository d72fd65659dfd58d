/// Structural: the plan is written in the settings schema of one Stalwart
/// release. Objects and fields differ between releases (1.0 renamed and
/// regrouped much of 0.16), and a plan in the wrong schema fails half-way
/// through `stalwart-cli apply` or, worse, sets something else.
public enum StalwartVersionKnown: Rule {
  public static let description = RuleDescription(
    id: "stalwart-version-known",
    summary: "a Stalwart image whose tag names no release whose settings schema tailwart knows (0.16)",
    lessons: [],
    rationale: """
      Stalwart keeps its settings as typed objects, and `stalwart/plan.ndjson` names those \
      objects and their fields. They change between releases: 1.0 has a different schema and \
      converts 0.16 plans with a script of its own. tailwart writes the plan for the release \
      the image tag names, so a tag that names no known release (`latest`, no tag, `v1.0`) \
      would make a plan in a schema the server may not speak.
      """,
    fix: """
      Pin the image to a release tailwart knows: `stalwartlabs/stalwart:v0.16` or a v0.16.x tag.
      """,
    triggering: [
      RuleExample(
        "the 1.0 image", replacing: "  image: stalwartlabs/stalwart:v0.16",
        with: "  image: ↓stalwartlabs/stalwart:v1.0"),
      RuleExample(
        "the moving latest tag", replacing: "  image: stalwartlabs/stalwart:v0.16",
        with: "  image: ↓stalwartlabs/stalwart:latest"),
    ],
    nonTriggering: [
      RuleExample(
        "a patch release of 0.16", replacing: "  image: stalwartlabs/stalwart:v0.16",
        with: "  image: stalwartlabs/stalwart:v0.16.19")
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    let image = d.stalwart.image
    guard StalwartSchemaVersion(image: image.value) == nil else { return }
    let known = StalwartSchemaVersion.allCases.map { "v\($0.rawValue)" }.joined(separator: ", ")
    findings.report(
      image.span,
      "\(image.value) names no Stalwart release whose settings schema tailwart knows (\(known)); the plan would be in the wrong schema",
      help: "pin the image to `stalwartlabs/stalwart:\(StalwartSchemaVersion.v0_16.suggestedTag)`")
  }
}
