/// How the sidecar's credential reaches tailscaled, by kind (see
/// `AuthKeyKind`): the value Compose puts in `TS_AUTHKEY`, and what the
/// file says about making the credential.
struct SidecarCredential {
  let sidecar: Sidecar

  init(_ sidecar: Sidecar) { self.sidecar = sidecar }

  var variable: String { sidecar.authKeyEnv.value.text }

  /// `${VAR:?…}` (Compose stops with the message when it is unset or
  /// empty), with the OAuth attributes appended only to a client secret:
  /// an auth key is sent as it is, so a suffix would break it.
  var environmentValue: String {
    let v = variable
    switch sidecar.authKeyKind.value {
    case .authKey:
      return "${\(v):?set \(v) in .env to a tagged auth key}"
    case .oauthClientSecret:
      return "${\(v):?set \(v) in .env to an OAuth client secret}"
        + "?ephemeral=\(sidecar.ephemeral.value)&preauthorized=true"
    }
  }

  /// What .env.example says about the variable.
  var envExampleComment: String {
    switch sidecar.authKeyKind.value {
    case .authKey:
      "Tailscale auth key (tskey-auth-...) the sidecar joins the tailnet with, tagged \(sidecar.tag.value)"
    case .oauthClientSecret:
      "Tailscale OAuth client secret (tskey-client-...) the sidecar mints its key with, for \(sidecar.tag.value)"
    }
  }

  /// The comment above `TS_AUTHKEY`, wrapped to fit the file.
  var commentLines: [String] {
    let tag = sidecar.tag.value.description
    let v = variable
    let text: String
    switch sidecar.authKeyKind.value {
    case .authKey:
      var kind = sidecar.ephemeral.value ? ["ephemeral", "pre-approved"] : ["pre-approved"]
      if !sidecar.keepState.value { kind.append("reusable (the node logs in at every start)") }
      text =
        "\(v) holds an auth key (tskey-auth-...), which Tailscale sends as it is: nothing may be appended "
        + "to it. Create it in the admin console \(kind.joined(separator: ", ")) and tagged \(tag). "
        + "Keep it in .env, never in the repository (lesson 2)."
    case .oauthClientSecret:
      text =
        "\(v) holds an OAuth client secret (tskey-client-...) allowed to create keys for \(tag). "
        + "Tailscale reads ?ephemeral=...&preauthorized=... only on such a secret, and mints a key "
        + "for the tags in --advertise-tags. Keep it in .env, never in the repository (lesson 2)."
    }
    return Self.wrap(text, width: 72)
  }

  /// Words joined into lines of at most `width` characters.
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += line.isEmpty ? String(word) : " " + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }
}
