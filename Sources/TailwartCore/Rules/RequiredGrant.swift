/// A connection the deployment needs the tailnet policy to allow: `source`
/// opens TCP connections to `destination` on `port`. The tailnet denies what
/// no grant allows, so each one must be granted (lessons 5 and 11).
struct RequiredGrant: Sendable {
  let source: TailscaleTag
  let destination: TailscaleTag
  let port: Int

  func isGranted(by grants: [Grant]) -> Bool {
    grants.contains { $0.allows(source: source, destination: destination, tcpPort: port) }
  }

  /// The grant as it is written under `grants:`.
  var text: String { "{src: [\(source)], dst: [\(destination)], ip: [tcp:\(port)]}" }

  /// The exact edit: the port added to the grant that already joins the two
  /// tags, or a new grant.
  func help(grants: [Grant]) -> String {
    if let existing = grants.first(where: { grant in
      grant.src.map(\.value) == [source.description] && grant.dst.map(\.value) == [destination.description]
    }) {
      let ports = (existing.ip.map(\.value.description) + ["tcp:\(port)"]).joined(separator: ", ")
      return
        "add tcp:\(port) to the grant from \(source) to \(destination) (line \(existing.span.start.line)): `ip: [\(ports)]`"
    }
    return "add under `grants`: `- \(text)`"
  }
}
