/// What `no-secrets-in-inventory` advises for a Tailscale credential found
/// in the inventory: revoke it, keep its successor in the environment, and
/// make `sidecar.auth_key_kind` say what the variable holds, since an auth
/// key and an OAuth client secret are rendered differently.
enum SidecarCredentialAdvice {
  static func help(foundType type: String, sidecar: Sidecar) -> String {
    let env = sidecar.authKeyEnv.value
    let kind = sidecar.authKeyKind.value
    let tag = sidecar.tag.value
    switch type {
    case "client":
      let set = kind == .oauthClientSecret ? "" : " and set `auth_key_kind: oauth-client-secret`"
      return
        "revoke it in the Tailscale admin console, put the new secret in .env as \(env)=…\(set); "
        + "tailwart appends ?ephemeral=…&preauthorized=… and --advertise-tags=\(tag) for it"
    case "auth":
      let set = kind == .authKey ? "" : " and set `auth_key_kind: auth-key`"
      let made =
        sidecar.ephemeral.value ? "ephemeral, pre-approved and tagged \(tag)" : "pre-approved and tagged \(tag)"
      return
        "revoke it in the Tailscale admin console, create a new one \(made), put it in .env as \(env)=…\(set); "
        + "an auth key is used as it is, so nothing is appended to it"
    default:
      return
        "revoke it in the Tailscale admin console and keep its replacement in .env; name the variable, never the value"
    }
  }
}
