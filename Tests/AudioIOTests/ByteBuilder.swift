import Foundation

/// Builds test inputs byte by byte, in either byte order.
struct ByteBuilder {
  var bytes: [UInt8] = []

  mutating func ascii(_ text: String) { bytes += Array(text.utf8) }
  mutating func u8(_ value: Int) { bytes.append(UInt8(truncatingIfNeeded: value)) }
  mutating func u16(_ value: Int) { append(value, bytes: 2, bigEndian: false) }
  mutating func u32(_ value: Int) { append(value, bytes: 4, bigEndian: false) }
  mutating func u64(_ value: Int) { append(value, bytes: 8, bigEndian: false) }
  mutating func u32be(_ value: Int) { append(value, bytes: 4, bigEndian: true) }
  mutating func raw(_ data: [UInt8]) { bytes += data }

  /// Appends the low `bytes` bytes of `value` (two's complement for negatives).
  mutating func append(_ value: Int, bytes count: Int, bigEndian: Bool) {
    let le = (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    bytes += bigEndian ? le.reversed() : le
  }

  /// Interleaved integer samples of `width` bytes each.
  static func samples(_ values: [Int], width: Int, bigEndian: Bool = false) -> [UInt8] {
    var builder = ByteBuilder()
    for v in values { builder.append(v, bytes: width, bigEndian: bigEndian) }
    return builder.bytes
  }

  /// Interleaved float32 or float64 samples.
  static func floats(_ values: [Double], width: Int, bigEndian: Bool = false) -> [UInt8] {
    var builder = ByteBuilder()
    for v in values {
      let bits = width == 4 ? Int(Float(v).bitPattern) : Int(bitPattern: UInt(v.bitPattern))
      builder.append(bits, bytes: width, bigEndian: bigEndian)
    }
    return builder.bytes
  }
}

/// A chunk to place in a hand-built WAV file.
struct Chunk {
  var id: String
  var body: [UInt8]
  /// The size written in the header (defaults to `body.count`).
  var declaredSize: Int?

  init(_ id: String, _ body: [UInt8], declaredSize: Int? = nil) {
    self.id = id
    self.body = body
    self.declaredSize = declaredSize
  }
}

/// Hand-built WAV and AU files.
enum Make {
  /// KSDATAFORMAT sub-format GUID bytes for a format tag.
  static func guid(tag: Int) -> [UInt8] {
    [
      UInt8(tag & 0xFF), UInt8(tag >> 8), 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA,
      0x00, 0x38, 0x9B, 0x71,
    ]
  }

  /// A `fmt ` chunk body: 16 bytes, or 40 with `extensibleGUID`.
  static func fmt(
    tag: Int, channels: Int, rate: Int = 8000, bits: Int, blockAlign: Int? = nil,
    extensibleGUID: [UInt8]? = nil, validBits: Int? = nil
  ) -> [UInt8] {
    var b = ByteBuilder()
    let align = blockAlign ?? channels * ((bits + 7) / 8)
    b.u16(extensibleGUID == nil ? tag : 0xFFFE)
    b.u16(channels)
    b.u32(rate)
    b.u32(rate * align)
    b.u16(align)
    b.u16(bits)
    if let extensibleGUID {
      b.u16(22)
      b.u16(validBits ?? bits)
      b.u32(0)
      b.raw(extensibleGUID)
    }
    return b.bytes
  }

  /// A RIFF/WAVE (or RF64) file of the given chunks, each padded to even length.
  static func riff(_ chunks: [Chunk], magic: String = "RIFF", riffSize: Int? = nil) -> [UInt8] {
    var body = ByteBuilder()
    body.ascii("WAVE")
    for chunk in chunks {
      body.ascii(chunk.id)
      body.u32(chunk.declaredSize ?? chunk.body.count)
      body.raw(chunk.body)
      if chunk.body.count % 2 == 1 { body.u8(0) }
    }
    var file = ByteBuilder()
    file.ascii(magic)
    file.u32(riffSize ?? body.bytes.count)
    file.raw(body.bytes)
    return file.bytes
  }

  /// A plain WAV: `fmt ` then `data`.
  static func wav(
    tag: Int = 1, channels: Int = 1, rate: Int = 8000, bits: Int, data: [UInt8],
    extensibleGUID: [UInt8]? = nil
  ) -> [UInt8] {
    riff([
      Chunk(
        "fmt ", fmt(tag: tag, channels: channels, rate: rate, bits: bits, extensibleGUID: extensibleGUID)),
      Chunk("data", data),
    ])
  }

  /// A Sun AU file (big-endian unless `littleEndian`, i.e. the `dns.` variant).
  static func au(
    encoding: Int, channels: Int = 1, rate: Int = 8000, data: [UInt8],
    annotation: [UInt8] = Array("test\0\0\0\0".utf8), dataSize: Int? = nil, littleEndian: Bool = false
  ) -> [UInt8] {
    var b = ByteBuilder()
    let words = [0x2E73_6E64, 24 + annotation.count, dataSize ?? data.count, encoding, rate, channels]
    for w in words { b.append(w, bytes: 4, bigEndian: !littleEndian) }
    b.raw(annotation)
    b.raw(data)
    return b.bytes
  }
}
