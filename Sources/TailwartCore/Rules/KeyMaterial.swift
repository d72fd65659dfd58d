import Foundation

/// What a base64 blob of key material is, read from its DER structure just
/// far enough to tell a public key from a private one and to size it. Used
/// by the DKIM rule (is this the public key it should be?) and the secrets
/// rule (is this a private key pasted where a public one belongs?).
public enum KeyMaterial: Sendable, Equatable {
  public enum Algorithm: Sendable, Equatable {
    case rsa(bits: Int)
    case ed25519
    case other
  }

  /// A SubjectPublicKeyInfo (what `openssl pkey -pubout` prints and DKIM's
  /// `p=` carries for RSA).
  case publicKeyInfo(Algorithm)
  /// A bare PKCS #1 RSAPublicKey (some tools publish it instead).
  case rsaPublicKey(bits: Int)
  /// PKCS #1, PKCS #8 or SEC 1 private key: starts with a version number.
  case privateKey
  /// Bytes with no DER structure (a raw Ed25519 key is 32 of them).
  case raw(count: Int)

  /// Decodes standard base64 (whitespace ignored); nil when it is not base64.
  public static func decode(base64 text: String) -> [UInt8]? {
    let compact = text.filter { !$0.isWhitespace }
    guard !compact.isEmpty,
      compact.unicodeScalars.allSatisfy({
        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+/=".unicodeScalars.contains($0))
      })
    else { return nil }
    let padded = compact + String(repeating: "=", count: (4 - compact.count % 4) % 4)
    return Data(base64Encoded: padded).map { [UInt8]($0) }
  }

  /// Standard base64 with padding.
  public static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

  public init(bytes: [UInt8]) {
    var reader = DERReader(bytes)
    guard let outer = reader.read(), outer.tag == 0x30, reader.atEnd else {
      self = .raw(count: bytes.count)
      return
    }
    var inner = DERReader(outer.content)
    guard let first = inner.read() else {
      self = .raw(count: bytes.count)
      return
    }
    switch first.tag {
    case 0x02:
      // A one-byte INTEGER 0 or 1 first is a version field: a private key.
      // A long one is the modulus of a PKCS #1 public key.
      if first.content.count == 1 && first.content[0] <= 1 {
        self = .privateKey
      } else if let exponent = inner.read(), exponent.tag == 0x02, inner.atEnd {
        self = .rsaPublicKey(bits: Self.bits(of: first.content))
      } else {
        self = .raw(count: bytes.count)
      }
    case 0x30:
      var algorithm = DERReader(first.content)
      guard let oid = algorithm.read(), oid.tag == 0x06, let key = inner.read(), key.tag == 0x03, !key.content.isEmpty
      else {
        self = .raw(count: bytes.count)
        return
      }
      let bitString = Array(key.content.dropFirst())
      if oid.content == Self.rsaEncryption {
        var rsa = DERReader(bitString)
        if let sequence = rsa.read(), sequence.tag == 0x30 {
          var numbers = DERReader(sequence.content)
          if let modulus = numbers.read(), modulus.tag == 0x02 {
            self = .publicKeyInfo(.rsa(bits: Self.bits(of: modulus.content)))
            return
          }
        }
        self = .publicKeyInfo(.other)
      } else if oid.content == Self.ed25519 {
        self = bitString.count == 32 ? .publicKeyInfo(.ed25519) : .publicKeyInfo(.other)
      } else {
        self = .publicKeyInfo(.other)
      }
    default:
      self = .raw(count: bytes.count)
    }
  }

  /// 1.2.840.113549.1.1.1 and 1.3.101.112.
  static let rsaEncryption: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
  static let ed25519: [UInt8] = [0x2B, 0x65, 0x70]

  /// The bit length of a DER INTEGER's magnitude.
  static func bits(of integer: [UInt8]) -> Int {
    let magnitude = integer.drop { $0 == 0 }
    guard let top = magnitude.first else { return 0 }
    return (magnitude.count - 1) * 8 + (8 - top.leadingZeroBitCount)
  }
}
