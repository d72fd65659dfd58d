import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The API key and secret, read from the environment only: never from a
/// flag (visible in `ps`) or the inventory (committed).
public struct SpaceshipCredentials: Sendable {
  public static let keyVariable = "SPACESHIP_API_KEY"
  public static let secretVariable = "SPACESHIP_API_SECRET"

  let key: String
  let secret: String

  public init(key: String, secret: String) {
    self.key = key
    self.secret = secret
  }

  public static func fromEnvironment(_ environment: [String: String]) throws(SpaceshipError) -> Self {
    let missing = [keyVariable, secretVariable].filter { (environment[$0] ?? "").isEmpty }
    guard missing.isEmpty else {
      throw SpaceshipError(
        "\(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") not set; export the API key and secret from Spaceship's API manager"
      )
    }
    return Self(key: environment[keyVariable]!, secret: environment[secretVariable]!)
  }

  /// `text` with the key and the secret blotted out, for anything printed
  /// that came back from the network.
  func redact(_ text: String) -> String {
    var out = text
    for value in [key, secret] where value.count >= 4 {
      out = out.replacingOccurrences(of: value, with: "<redacted>")
    }
    return out
  }
}

/// A request Spaceship did not carry out, said so that the operator knows
/// what to do; it never holds the key or the secret.
public struct SpaceshipError: Error, Sendable, CustomStringConvertible {
  public var description: String
  /// The HTTP status, when the provider answered.
  public var status: Int?

  public init(_ description: String, status: Int? = nil) {
    self.description = description
    self.status = status
  }
}

/// Spaceship's DNS records API for one domain, over Foundation's
/// URLSession: `GET` every page, `DELETE` by identity, `PUT` in batches.
/// Every request has a bounded timeout.
public struct SpaceshipClient: Sendable {
  public static let defaultBaseURL = "https://spaceship.dev/api/v1"
  /// The largest page Spaceship lists.
  public static let pageSize = 500

  public let baseURL: URL
  public let domain: String
  let credentials: SpaceshipCredentials
  let timeout: TimeInterval

  public init(baseURL: URL, domain: String, credentials: SpaceshipCredentials, timeout: TimeInterval = 30) {
    self.baseURL = baseURL
    self.domain = domain
    self.credentials = credentials
    self.timeout = timeout
  }

  var recordsURL: URL { baseURL.appendingPathComponent("dns/records").appendingPathComponent(domain) }

  /// Every record of the zone, page by page.
  public func list() async throws(SpaceshipError) -> [SpaceshipRecord] {
    var items: [SpaceshipRecord] = []
    while true {
      var components = URLComponents(url: recordsURL, resolvingAgainstBaseURL: false)!
      components.queryItems = [
        URLQueryItem(name: "take", value: String(Self.pageSize)),
        URLQueryItem(name: "skip", value: String(items.count)),
      ]
      let data = try await send("GET", components.url!, body: nil)
      let page: SpaceshipRecordList
      do {
        page = try JSONDecoder().decode(SpaceshipRecordList.self, from: data)
      } catch {
        throw SpaceshipError("the zone listing of \(domain) is not what Spaceship documents: \(error)")
      }
      items += page.items
      if page.items.isEmpty || items.count >= page.total { return items }
    }
  }

  /// Removes records by identity (type, name and data).
  public func delete(_ items: [SpaceshipRecord]) async throws(SpaceshipError) {
    _ = try await send("DELETE", recordsURL, body: try encode(items.map(\.identity)), items: items)
  }

  /// Adds records, or updates the TTL of those whose data is live.
  public func put(_ items: [SpaceshipRecord]) async throws(SpaceshipError) {
    _ = try await send("PUT", recordsURL, body: try encode(SpaceshipUpsert(force: true, items: items)), items: items)
  }

  func encode<T: Encodable>(_ value: T) throws(SpaceshipError) -> Data {
    do {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      return try encoder.encode(value)
    } catch {
      throw SpaceshipError("cannot encode the request: \(error)")
    }
  }

  /// Sends one request; `items` are the records in its body, so that a
  /// refusal can name the record it is about.
  func send(_ method: String, _ url: URL, body: Data?, items: [SpaceshipRecord] = []) async throws(SpaceshipError)
    -> Data
  {
    var request = URLRequest(url: url, timeoutInterval: timeout)
    request.httpMethod = method
    request.setValue(credentials.key, forHTTPHeaderField: "X-Api-Key")
    request.setValue(credentials.secret, forHTTPHeaderField: "X-Api-Secret")
    request.setValue("application/json", forHTTPHeaderField: "Accept")
    if let body {
      request.httpBody = body
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = timeout
    configuration.timeoutIntervalForResource = timeout * 2
    let session = URLSession(configuration: configuration)
    defer { session.finishTasksAndInvalidate() }
    let data: Data
    let response: URLResponse
    do {
      (data, response) = try await session.data(for: request)
    } catch {
      throw SpaceshipError(
        "\(method) \(url.host ?? url.absoluteString) failed: \(credentials.redact(error.localizedDescription))")
    }
    guard let http = response as? HTTPURLResponse else { throw SpaceshipError("\(method): no HTTP answer") }
    switch http.statusCode {
    case 200..<300:
      return data
    case 401, 403:
      throw SpaceshipError(
        "Spaceship refused the API key or secret (HTTP \(http.statusCode)); check \(SpaceshipCredentials.keyVariable) and \(SpaceshipCredentials.secretVariable) and that the key may manage DNS records of \(domain)",
        status: http.statusCode)
    case 422:
      throw SpaceshipError(
        "Spaceship refused the \(method) (HTTP 422): \(Self.providerMessage(data, items: items, redact: credentials.redact))",
        status: 422)
    default:
      let text = credentials.redact(String(decoding: data.prefix(300), as: UTF8.self))
      throw SpaceshipError(
        "\(method) answered HTTP \(http.statusCode)\(text.isEmpty ? "" : ": \(text)")", status: http.statusCode)
    }
  }

  /// Spaceship's error body (`detail`, and `data` with `field` and
  /// `details` for each refused value) in one line; a field of the body's
  /// `items[N]` is followed by that item.
  static func providerMessage(_ data: Data, items: [SpaceshipRecord] = [], redact: (String) -> String) -> String {
    struct Body: Decodable {
      struct Entry: Decodable {
        var field: String?
        var details: String?
      }
      var detail: String?
      var data: [Entry]?
    }
    guard let body = try? JSONDecoder().decode(Body.self, from: data) else {
      return redact(String(decoding: data.prefix(300), as: UTF8.self))
    }
    var parts: [String] = []
    if let detail = body.detail, !detail.isEmpty { parts.append(detail) }
    for entry in body.data ?? [] {
      var part = [entry.field, entry.details].compactMap { $0 }.joined(separator: ": ")
      if let item = entry.field.flatMap(Self.itemIndex).flatMap({ items.indices.contains($0) ? items[$0] : nil }) {
        part += " (the item \(describe(item)))"
      }
      parts.append(part)
    }
    return redact(parts.isEmpty ? "no reason given" : parts.joined(separator: "; "))
  }

  /// N in a field such as `items[N].port`.
  static func itemIndex(_ field: String) -> Int? {
    guard let open = field.firstIndex(of: "["), let close = field[open...].firstIndex(of: "]") else { return nil }
    return Int(field[field.index(after: open)..<close])
  }

  /// An item as one line of JSON, keys sorted.
  static func describe(_ item: SpaceshipRecord) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(item)).map { String(decoding: $0, as: UTF8.self) } ?? "\(item.type) \(item.name)"
  }
}
