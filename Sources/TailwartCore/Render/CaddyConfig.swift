/// The part of Caddy's native JSON configuration (with the caddy-l4 app)
/// that the edge needs. Encoded to write caddy/caddy.json and decoded to
/// check it, in the self-check and in tests. Keys are Caddy's own.
public struct CaddyConfig: Codable, Sendable, Equatable {
  public var apps: Apps

  public struct Apps: Codable, Sendable, Equatable {
    public var http: HTTPApp?
    public var layer4: Layer4App?
  }

  public struct HTTPApp: Codable, Sendable, Equatable {
    public var servers: [String: HTTPServer]
  }

  public struct HTTPServer: Codable, Sendable, Equatable {
    public var listen: [String]
    /// Applied in order to each accepted connection: the layer4 wrapper
    /// must come before `tls` to see the ClientHello unterminated.
    public var listenerWrappers: [ListenerWrapper]
    public var routes: [HTTPRoute]
    /// Present (one catch-all policy) so the server speaks TLS.
    public var tlsConnectionPolicies: [TLSConnectionPolicy]?
    /// Set to keep Caddy from opening :80 for HTTP→HTTPS redirects.
    public var automaticHTTPS: AutomaticHTTPS? = nil

    enum CodingKeys: String, CodingKey {
      case listen
      case listenerWrappers = "listener_wrappers"
      case routes
      case tlsConnectionPolicies = "tls_connection_policies"
      case automaticHTTPS = "automatic_https"
    }
  }

  public struct AutomaticHTTPS: Codable, Sendable, Equatable {
    public var disableRedirects: Bool

    enum CodingKeys: String, CodingKey {
      case disableRedirects = "disable_redirects"
    }
  }

  public struct ListenerWrapper: Codable, Sendable, Equatable {
    /// `layer4` or `tls`.
    public var wrapper: String
    public var routes: [Layer4Route]?
  }

  public struct TLSConnectionPolicy: Codable, Sendable, Equatable {}

  public struct HTTPRoute: Codable, Sendable, Equatable {
    /// Host matchers; absent matches every request.
    public var match: [HTTPMatch]? = nil
    public var handle: [HTTPHandler]
    public var terminal: Bool? = nil
  }

  public struct HTTPMatch: Codable, Sendable, Equatable {
    public var host: [String]
  }

  public struct HTTPHandler: Codable, Sendable, Equatable {
    /// `static_response` or `reverse_proxy`.
    public var handler: String
    public var abort: Bool? = nil
    /// For `reverse_proxy`: where the site is served from.
    public var upstreams: [HTTPUpstream]? = nil
  }

  public struct HTTPUpstream: Codable, Sendable, Equatable {
    public var dial: String
  }

  public struct Layer4App: Codable, Sendable, Equatable {
    public var servers: [String: Layer4Server]
  }

  public struct Layer4Server: Codable, Sendable, Equatable {
    public var listen: [String]
    public var routes: [Layer4Route]
  }

  public struct Layer4Route: Codable, Sendable, Equatable {
    /// Matcher sets; absent matches every connection.
    public var match: [Layer4Match]?
    public var handle: [Layer4Handler]
  }

  public struct Layer4Match: Codable, Sendable, Equatable {
    public var tls: TLSMatch?
  }

  public struct TLSMatch: Codable, Sendable, Equatable {
    public var sni: [String]
  }

  public struct Layer4Handler: Codable, Sendable, Equatable {
    /// `proxy`.
    public var handler: String
    public var upstreams: [Upstream]
    /// `v1` or `v2`; absent sends no PROXY header.
    public var proxyProtocol: String?

    enum CodingKeys: String, CodingKey {
      case handler, upstreams
      case proxyProtocol = "proxy_protocol"
    }
  }

  public struct Upstream: Codable, Sendable, Equatable {
    public var dial: [String]
  }
}
