/// What a site template is filled with. Typed, so that filling thousands of
/// pages needs no dynamic casts; an object's fields keep the order the page
/// wrote them in, so no page sorts its keys.
enum TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
  case text(String)
  case flag(Bool)
  case list([TemplateValue])
  case object(TemplateObject)

  init(stringLiteral text: String) { self = .text(text) }
  init(booleanLiteral flag: Bool) { self = .flag(flag) }

  /// A list of objects.
  static func objects(_ items: [TemplateObject]) -> TemplateValue { .list(items.map(TemplateValue.object)) }
}

/// Named template values, in the order they were added; names are unique
/// (Mustache sees a dictionary).
struct TemplateObject: ExpressibleByDictionaryLiteral {
  private(set) var fields: [(name: String, value: TemplateValue)]

  init(dictionaryLiteral elements: (String, TemplateValue)...) {
    fields = elements.map { (name: $0.0, value: $0.1) }
  }

  /// Adds a field the object does not have yet, at the end (no search for
  /// one to replace: pages add their optional fields this way).
  mutating func add(_ name: String, _ value: TemplateValue) {
    assert(!fields.contains { $0.name == name }, "template field \(name) is set twice")
    fields.append((name, value))
  }

  /// The value named `name`; setting one replaces it or adds it at the end.
  subscript(name: String) -> TemplateValue? {
    get { fields.first { $0.name == name }?.value }
    set {
      let index = fields.firstIndex { $0.name == name }
      switch (index, newValue) {
      case (let index?, let value?): fields[index].value = value
      case (let index?, nil): fields.remove(at: index)
      case (nil, let value?): fields.append((name, value))
      case (nil, nil): break
      }
    }
  }
}
