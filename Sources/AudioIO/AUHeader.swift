/// Sun/NeXT audio (`.au`, `.snd`) header parsing.
///
/// The header is six 32-bit big-endian words: magic `.snd`, data offset, data size, encoding,
/// sample rate, channels; an annotation fills the bytes up to the data offset and is skipped. A data
/// size of `0xFFFFFFFF` means "unknown": the data runs to the end of the input. The byte-swapped
/// magic `dns.` (little-endian files from DEC systems) is accepted as well.
enum AUHeader {
  /// Bytes in the fixed header.
  static let headerSize = 24

  /// Parses an AU header; `source` starts with `.snd` or `dns.`.
  static func parse<Source: HeaderSource>(_ source: inout Source) throws(AudioIOError) -> AudioLayout {
    let head = try source.bytes(at: 0, count: headerSize)
    guard head.count == headerSize else {
      throw .truncatedHeader(container: .au, neededBytes: headerSize, availableBytes: head.count)
    }
    let isBigEndian = head.fourCC(0) == ".snd"
    func word(_ index: Int) -> UInt32 {
      isBigEndian ? head.uint32BE(4 * index) : head.uint32LE(4 * index)
    }
    let dataOffset = Int(word(1))
    let dataSize = word(2)
    let code = Int(word(3))
    let sampleRate = Int(word(4))
    let channelCount = Int(word(5))

    guard dataOffset >= headerSize else {
      throw .absurdSize(
        field: "AU data offset (below the 24-byte header)", claimed: UInt64(dataOffset),
        availableBytes: source.length ?? headerSize)
    }
    let encoding: SampleEncoding
    switch code {
    case 1: encoding = .muLaw
    case 2: encoding = .signedInteger(bits: 8)
    case 3: encoding = .signedInteger(bits: 16)
    case 4: encoding = .signedInteger(bits: 24)
    case 5: encoding = .signedInteger(bits: 32)
    case 6: encoding = .float32
    case 7: encoding = .float64
    case 27: encoding = .aLaw
    default: throw .unsupportedEncoding(container: .au, code: code, detail: encodingName(code))
    }
    guard (1...AudioLayout.maximumChannelCount).contains(channelCount) else {
      throw .invalidChannelCount(channelCount)
    }
    guard sampleRate >= 1 else { throw .invalidSampleRate(sampleRate) }
    if let length = source.length, dataOffset > length {
      throw .truncatedHeader(container: .au, neededBytes: dataOffset, availableBytes: length)
    }
    return AudioLayout(
      container: .au, encoding: encoding, isBigEndian: isBigEndian, sampleRate: sampleRate,
      channelCount: channelCount, blockAlign: channelCount * encoding.bytesPerSample,
      dataOffset: dataOffset, dataByteCount: dataSize == 0xFFFF_FFFF ? nil : Int(dataSize))
  }

  /// A name for AU encodings that are not supported, for error messages.
  static func encodingName(_ code: Int) -> String {
    switch code {
    case 23: "G.721 ADPCM"
    case 24: "G.722"
    case 25, 26: "G.723 ADPCM"
    case 8...22: "NeXT-specific encoding"
    default: "AU encoding \(code)"
    }
  }
}
