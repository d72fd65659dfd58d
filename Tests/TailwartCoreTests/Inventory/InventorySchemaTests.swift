import Foundation
import Testing

@testable import TailwartCore

/// The JSON Schema is made from `InventoryFields`, and the decoder is held to
/// the same table: these tests fail when a key is decoded but not described
/// (or described but not decoded), when the schema and the table differ, or
/// when the shipped schema is not what `tailwart schema` writes.
@Suite(.serialized)
struct InventorySchemaTests {
  static let root = ExternalTool.packageRoot

  /// Inventories that together open every section of the table: the shipped
  /// one, the golden ones, and the shipped one with the rarer sections added.
  static func inventories() throws -> [String] {
    let shipped = try String(contentsOf: root.appendingPathComponent("inventory.yaml"), encoding: .utf8)
    var texts = [shipped, ExampleInventory.text]
    for name in ["edge-ipv6", "no-relay"] {
      texts.append(
        try String(contentsOf: root.appendingPathComponent("Tests/TailwartCoreTests/Render/Golden/\(name)/inventory.yaml"), encoding: .utf8))
    }
    texts.append(
      shipped + """

        ignore:
          - {rule: magicdns-not-ips, at: relay.host, reason: an example}

        """)
    texts.append(
      shipped.replacingOccurrences(
        of: "\n  extra: []", with: "\n  extra: [{name: www, type: CNAME, value: mail.example.com, ttl: 300}]\n  dkim: [{selector: s1, algorithm: ed25519, public_key: c5S41gt4lMhhFaHVxOMIoPK8ZT7UoZpCyEBh3WJhixA=}]"))
    return texts
  }

  @Test func theDecoderReadsExactlyTheTablesKeys() throws {
    for text in try Self.inventories() {
      _ = try? Inventory.load(bytes: Array(text.utf8), file: "inventory.yaml")
    }
    #expect(InventoryFields.drift.isEmpty, "\(InventoryFields.drift.joined(separator: "\n"))")
    let described = Set(InventoryFields.sections.map(\.path))
    let decoded = InventoryFields.sectionsDecoded
    #expect(described.subtracting(decoded).isEmpty, "sections never decoded: \(described.subtracting(decoded).sorted())")
  }

  @Test func theSchemaIsTheTable() throws {
    let schema = try #require(try JSONSerialization.jsonObject(with: Data(InventorySchema.json().utf8)) as? [String: Any])
    let definitions = try #require(schema["definitions"] as? [String: Any])
    #expect(definitions.count == InventoryFields.sections.count - 1)
    for (path, fields) in InventoryFields.sections {
      let object = try #require(path.isEmpty ? schema : definitions[InventorySchema.name(path)] as? [String: Any], "\(path)")
      #expect(object["additionalProperties"] as? Bool == false, "\(path)")
      let properties = try #require(object["properties"] as? [String: [String: Any]])
      #expect(Set(properties.keys) == Set(fields.map(\.name)), "\(path)")
      #expect(Set(object["required"] as? [String] ?? []) == Set(fields.filter(\.required).map(\.name)), "\(path)")
      for field in fields { #expect(properties[field.name]?["description"] as? String == field.description) }
    }
  }

  @Test func theShippedSchemaIsUpToDateAndNamedByTheInventory() throws {
    let shipped = try String(contentsOf: Self.root.appendingPathComponent(InventorySchema.fileName), encoding: .utf8)
    #expect(shipped == InventorySchema.json(), "run: tailwart schema -o \(InventorySchema.fileName)")
    let inventory = try String(contentsOf: Self.root.appendingPathComponent("inventory.yaml"), encoding: .utf8)
    #expect(inventory.hasPrefix(InventorySchema.modeline + "\n"))
  }

  /// check-jsonschema with the schema accepts every inventory above and
  /// refuses a misspelt key, at the top and inside a section.
  @Test func checkJSONSchemaAcceptsTheInventoriesAndRefusesAMisspeltKey() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tailwart-schema-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let schema = folder.appendingPathComponent("inventory.schema.json")
    try Data(InventorySchema.json().utf8).write(to: schema)
    var files: [String] = []
    for (i, text) in try Self.inventories().enumerated() {
      let file = folder.appendingPathComponent("good-\(i).yaml")
      try Data(text.utf8).write(to: file)
      files.append(file.path)
    }
    let good = try ExternalTool.run(["check-jsonschema", "--schemafile", schema.path] + files)
    #expect(good.status == 0, "\(good.output)")

    let shipped = try Self.inventories()[0]
    for (find, replace, key) in [
      ("\ntailnet: ", "\ntailnett: ", "tailnett"), ("  auth_key_env: ", "  auth_key_envv: ", "auth_key_envv"),
    ] {
      let file = folder.appendingPathComponent("bad-\(key).yaml")
      #expect(shipped.contains(find))
      try Data(shipped.replacingOccurrences(of: find, with: replace).utf8).write(to: file)
      let bad = try ExternalTool.run(["check-jsonschema", "--schemafile", schema.path, file.path])
      #expect(bad.status != 0)
      #expect(bad.output.contains("'\(key)' was unexpected"), "\(bad.output)")
    }
  }
}
