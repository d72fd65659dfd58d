/// A parsed HuJSON (or plain JSON) value. Comments and trailing commas are
/// gone; numbers keep their text so nothing is rounded on the way through.
public indirect enum HuJSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  /// The number exactly as written (`3.14159E+435` stays that).
  case number(String)
  case string(String)
  case array([HuJSONValue])
  /// Members in document order; names are unique (the parser refuses
  /// duplicates).
  case object([HuJSONMember])

  /// The member named `name`, when this is an object that has one.
  public subscript(name: String) -> HuJSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.name == name }?.value
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var arrayValue: [HuJSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }

  public var objectValue: [HuJSONMember]? {
    if case .object(let members) = self { return members }
    return nil
  }

  /// The array's items when every one is a string.
  public var stringArray: [String]? {
    guard let items = arrayValue else { return nil }
    let strings = items.compactMap(\.stringValue)
    return strings.count == items.count ? strings : nil
  }
}

/// One `"name": value` pair of an object.
public struct HuJSONMember: Sendable, Equatable {
  public var name: String
  public var value: HuJSONValue

  public init(name: String, value: HuJSONValue) {
    self.name = name
    self.value = value
  }
}
