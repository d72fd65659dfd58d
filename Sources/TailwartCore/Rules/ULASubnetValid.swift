/// Lesson 9: the container gets IPv6 egress from a unique local /64 that
/// Docker masquerades, not from the host's addresses. The prefix must be a
/// ULA, a /64 with its gateway inside, clear of Tailscale's own range, and
/// random enough not to collide with anyone else's.
public enum ULASubnetValid: Rule {
  public static let description = RuleDescription(
    id: "ula-subnet-valid",
    summary:
      "an IPv6 network that is not a ULA /64 with its gateway inside, overlaps Tailscale's range, or has a hand-picked Global ID",
    lessons: [9],
    rationale: """
      IPv6 on the host does not reach the container: the container and the sidecar have their \
      own network stack. What works is what Docker does for IPv4: a private subnet on the \
      Docker network, masqueraded out of the host's public address. For IPv6 that subnet is a \
      unique local one (fd00::/8) of exactly /64, with the gateway inside it. It must not \
      overlap Tailscale's fd7a:115c:a1e0::/48, or tailnet traffic is routed into Docker. And its \
      40-bit Global ID should be random: a memorable one such as fd00:: or one spelling a word \
      is what everyone else picks too, and two such networks clash once they are connected.
      """,
    fix: """
      Pick a random Global ID (`printf 'fd%02x:%02x%02x:%02x%02x::/64\\n' $(od -An -N5 -tu1 \
      /dev/urandom)` prints one), write it as `network.subnet`, and make `network.gateway` the \
      address ending in `::1` inside it.
      """,
    triggering: [
      RuleExample(
        "a subnet outside the unique local range",
        [
          .init("  subnet: fd3c:91e2:5a07:1::/64", "  subnet: ↓2001:db8:5a07:1::/64"),
          .init("  gateway: fd3c:91e2:5a07:1::1", "  gateway: 2001:db8:5a07:1::1"),
        ]),
      RuleExample(
        "a /48 where Docker needs a /64",
        [
          .init("  subnet: fd3c:91e2:5a07:1::/64", "  subnet: ↓fd3c:91e2:5a07::/48"),
          .init("  gateway: fd3c:91e2:5a07:1::1", "  gateway: fd3c:91e2:5a07::1"),
        ]),
      RuleExample(
        "a gateway outside the subnet",
        replacing: "  gateway: fd3c:91e2:5a07:1::1", with: "  gateway: ↓fd3c:91e2:5a07:2::1"),
      RuleExample(
        "a subnet inside Tailscale's IPv6 range",
        [
          .init("  subnet: fd3c:91e2:5a07:1::/64", "  subnet: ↓fd7a:115c:a1e0:1::/64"),
          .init("  gateway: fd3c:91e2:5a07:1::1", "  gateway: fd7a:115c:a1e0:1::1"),
        ]),
      RuleExample(
        "a subnet written with host bits set",
        replacing: "  subnet: fd3c:91e2:5a07:1::/64", with: "  subnet: ↓fd3c:91e2:5a07:1::1/64"),
      RuleExample(
        "the all-zero Global ID",
        [
          .init("  subnet: fd3c:91e2:5a07:1::/64", "  subnet: ↓fd00::/64"),
          .init("  gateway: fd3c:91e2:5a07:1::1", "  gateway: fd00::1"),
        ]),
      RuleExample(
        "a Global ID that spells words",
        [
          .init("  subnet: fd3c:91e2:5a07:1::/64", "  subnet: ↓fd00:dead:beef::/64"),
          .init("  gateway: fd3c:91e2:5a07:1::1", "  gateway: fd00:dead:beef::1"),
        ]),
    ],
    nonTriggering: [
      RuleExample(
        "another random Global ID",
        [
          .init("  subnet: fd3c:91e2:5a07:1::/64", "  subnet: fdd0:5c78:413c::/64"),
          .init("  gateway: fd3c:91e2:5a07:1::1", "  gateway: fdd0:5c78:413c::1"),
        ]),
      RuleExample(
        "no IPv6 on the network at all",
        replacing: "network:\n  ipv6: true", with: "network:\n  ipv6: false"),
    ])

  public static func check(_ d: Deployment, into findings: inout RuleFindings) {
    guard d.network.ipv6.value, let subnet = d.network.subnet else { return }
    let block = subnet.value
    guard case .v6(let address) = block.address else {
      findings.report(
        subnet.span, "network.subnet \(block) is IPv4; the IPv6 network needs a unique local IPv6 /64",
        help: "write a ULA /64 such as `subnet: fd3c:91e2:5a07:1::/64` with a random Global ID")
      return
    }
    var sound = true
    if !CIDR.uniqueLocal.contains(block.address) {
      sound = false
      findings.report(
        subnet.span,
        "network.subnet \(block) is not a unique local prefix (fd00::/8); Docker masquerades a private subnet",
        help:
          "use a ULA /64 with a random Global ID, e.g. from `printf 'fd%02x:%02x%02x:%02x%02x::/64\\n' $(od -An -N5 -tu1 /dev/urandom)`"
      )
    } else if block.overlaps(CIDR.tailnetIPv6) {
      sound = false
      findings.report(
        subnet.span,
        "network.subnet \(block) overlaps Tailscale's fd7a:115c:a1e0::/48; tailnet traffic would be routed into Docker",
        help:
          "use a ULA /64 with a random Global ID, e.g. from `printf 'fd%02x:%02x%02x:%02x%02x::/64\\n' $(od -An -N5 -tu1 /dev/urandom)`"
      )
    }
    let network = Self.networkAddress(address, prefix: min(block.prefix, 64))
    if block.prefix != 64 {
      sound = false
      findings.report(
        subnet.span, "network.subnet is a /\(block.prefix); Docker's IPv6 network needs exactly a /64",
        help: "write `subnet: \(network)/64`")
    } else if !block.isNetworkAddress {
      findings.report(
        subnet.span, "network.subnet \(block) has bits set after the /64; the prefix is \(network)/64",
        help: "write `subnet: \(network)/64`")
    }
    if let gateway = d.network.gateway, !block.contains(.v6(gateway.value)) {
      findings.report(
        gateway.span,
        "network.gateway \(gateway.value) is outside the subnet \(block); containers would have no route out",
        help: "write `gateway: \(Self.firstHost(network))`")
    }
    guard sound else { return }
    let globalID = ULAGlobalID(address)
    if let reason = globalID.notRandomReason {
      findings.warn(
        subnet.span,
        "the ULA Global ID of \(globalID.prefix) does not look random (\(reason)); a chosen prefix collides with other networks",
        help: "generate one: `printf 'fd%02x:%02x%02x:%02x%02x::/64\\n' $(od -An -N5 -tu1 /dev/urandom)`")
    }
  }

  static func networkAddress(_ address: IPv6Address, prefix: Int) -> IPv6Address {
    var bytes = address.bytes
    for bit in prefix..<128 { bytes[bit / 8] &= ~(0x80 >> UInt8(bit % 8)) }
    return IPv6Address(bytes: bytes)
  }

  static func firstHost(_ network: IPv6Address) -> IPv6Address {
    var bytes = network.bytes
    bytes[15] |= 1
    return IPv6Address(bytes: bytes)
  }
}
