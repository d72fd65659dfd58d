/// `.env.example`: every environment variable the generated files name,
/// one line each with what it holds and which container reads it. Copied
/// to `.env` beside docker-compose.yml and filled in on the host; Compose
/// passes each variable to its container and refuses to start while one is
/// unset, so a secret never has to sit in the inventory or in a plan.
public enum EnvExampleRenderer: Renderer {
  public static let path = ".env.example"
  public static let paths = [path]

  public static func render(_ checked: CheckedDeployment, context: RenderContext) throws -> [Output] {
    var text = AnnotatedText()
    for line in GeneratedHeader.lines(context) { text.emit("# \(line)") }
    text.emit("#")
    text.emit("# Every environment variable the files beside this one name. Copy it to .env")
    text.emit("# on the host (never commit .env) and fill in each value: docker compose")
    text.emit("# passes each to the container that reads it and refuses to start while one")
    text.emit("# is unset or empty.", lessons: [2], rules: ["no-secrets-in-inventory"])
    for variable in EnvironmentVariable.all(checked.deployment) {
      text.emit("")
      text.emit("# \(GeneratedHeader.commentSafe(variable.comment)) (read by \(variable.service))")
      text.emit("\(variable.name)=", lessons: [2], rules: ["no-secrets-in-inventory"])
    }
    return [text.output(path: path)]
  }

  /// Every line is a comment, blank, or `NAME=` with nothing after it.
  public static func selfCheck(_ output: Output) throws {
    var names: Set<Substring> = []
    for line in output.text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.isEmpty || line.hasPrefix("#") { continue }
      guard line.hasSuffix("="), EnvironmentVariableName(String(line.dropLast())) != nil else {
        throw SelfCheckError(path: output.path, problem: "line \"\(line)\" is not NAME= with an empty value")
      }
      guard names.insert(line.dropLast()).inserted else {
        throw SelfCheckError(path: output.path, problem: "\(line.dropLast()) is listed twice")
      }
    }
  }
}

extension EnvironmentVariable {
  /// Every variable any output names, in a fixed order: the sidecar's auth
  /// key, then what Stalwart's plan reads. Renderers of files that name a
  /// variable and the Compose environment both read this list.
  public static func all(_ d: Deployment) -> [EnvironmentVariable] {
    var out = [
      EnvironmentVariable(
        name: d.sidecar.authKeyEnv.value.text, service: d.sidecar.service.value,
        comment: SidecarCredential(d.sidecar).envExampleComment)
    ]
    if d.relay != nil, let auth = d.relayAuth {
      out.append(
        EnvironmentVariable(
          name: auth.passwordEnv.value.text, service: d.stalwart.service.value,
          comment: "password of the relay login \(auth.username.value), for Stalwart's relay route"))
    }
    if let provider = d.stalwart.acme.provider, let secret = d.stalwart.acme.apiSecretEnv {
      out.append(
        EnvironmentVariable(
          name: secret.value.text, service: d.stalwart.service.value,
          comment: "\(provider.value.prefix(1).uppercased() + provider.value.dropFirst()) API secret Stalwart writes ACME challenges and its DNS records with"))
    }
    var seen: Set<String> = []
    return out.filter { seen.insert("\($0.service) \($0.name)").inserted }
  }

  /// The variables the container of `service` reads.
  public static func all(_ d: Deployment, service: String) -> [EnvironmentVariable] {
    all(d).filter { $0.service == service }
  }
}
