/// The clean inventory every rule example edits. It passes every rule; the
/// examples' tests check that, and each example's edit is what a rule page
/// shows as "triggers" (the edited lines) and "fixed" (the original lines).
public enum ExampleInventory {
  public static let file = "inventory.yaml"

  public static let text = """
    domain: example.com
    tailnet: tail7b1641.ts.net
    site_url: https://lessons.tail7b1641.ts.net
    lessons: site/lessons.md
    output: deploy
    tag_owners: [autogroup:admin]

    nodes:
      the-record-prod:
        tag: tag:database
      mailbox:
        tag: tag:mail
      edge:
        tag: tag:reverse-proxy

    grants:
      - src: [tag:reverse-proxy]
        dst: [tag:stalwart]
        ip: [tcp:25, tcp:465, tcp:587, tcp:993, tcp:443]
      - src: [tag:stalwart]
        dst: [tag:database]
        ip: [tcp:5432]
      - src: [tag:stalwart]
        dst: [tag:mail]
        ip: [tcp:587]

    sidecar:
      service: ts-stalwart
      machine: stalwart
      tag: tag:stalwart
      ephemeral: true
      image: tailscale/tailscale:v1.90.6
      auth_key_env: TS_AUTHKEY
      healthcheck:
        waits_for: [database]
        interval: 10s
        timeout: 5s
        retries: 12
        start_period: 30s

    stalwart:
      service: stalwart
      image: stalwartlabs/stalwart:v0.16
      hostname: mail.example.com
      start_after: service_healthy
      listeners:
        smtp: {port: 25, proxy_protocol: true}
        submissions: {port: 465, proxy_protocol: true}
        submission: {port: 587, proxy_protocol: true}
        imaps: {port: 993, proxy_protocol: true}
        https: {port: 443}
        admin: {port: 8080}
      auto_ban_allow: [100.64.0.0/10, 203.0.113.10]
      publish_records: [tlsa]
      acme:
        challenge: dns-01
        provider: spaceship
        api_secret_env: SPACESHIP_API_SECRET
        hostnames: []
        account_uri: https://acme-v02.api.letsencrypt.org/acme/acct/1234567890
        contact: postmaster@example.com

    database:
      host: the-record-prod
      port: 5432

    relay:
      host: mailbox
      port: 587

    edge:
      node: edge
      public_ipv4: 203.0.113.10
      listen_ipv6: false
      forward: [25, 465, 587, 993]
      proxy_protocol: v2
      passthrough: [mta-sts, autoconfig, autodiscover]

    vps:
      blocks_outbound_smtp: true

    network:
      ipv6: true
      subnet: fd3c:91e2:5a07:1::/64
      gateway: fd3c:91e2:5a07:1::1

    dns:
      provider: spaceship
      ttl: 3600
      hosts:
        mail: [203.0.113.10]
        "@": [203.0.113.20, 2001:db8::20]
      mx:
        - {host: mail.example.com, preference: 10}
      spf: v=spf1 mx -all
      dmarc: v=DMARC1; p=reject; rua=mailto:postmaster@example.com
      tls_rpt: v=TLSRPTv1; rua=mailto:postmaster@example.com
      mta_sts: {id: "20260611", mode: enforce, max_age: 604800}
      dkim:
        - selector: 202606e
          algorithm: ed25519
          public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
      caa:
        issuer: letsencrypt.org
        iodef: mailto:postmaster@example.com

    """
}
