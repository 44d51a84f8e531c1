/// RIFF/WAVE and RF64 header parsing (Microsoft RIFF spec, `WAVE_FORMAT_EXTENSIBLE`, EBU Tech 3306).
///
/// Walks the chunk list in file order: `fmt ` and `data` may come in either order (on a forward-only
/// input such as a pipe `fmt ` must come first, else `.notSeekable`), unknown
/// chunks (`LIST`, `fact`, `cue `, `JUNK`, …) are skipped, odd-sized chunks carry a pad byte.
///
/// Sizes left open by writers that cannot seek back (pipes) mean "to the end of the input": a `data`
/// size of `0xFFFFFFFF` (ffmpeg and others), `0x7FFFF000` (SoX), or 0 when the RIFF size is open
/// (0 or `0xFFFFFFFF`) or ends at the data header (a header never patched). A `data` size of 0
/// inside a RIFF size that covers more chunks is an empty data chunk, as libsndfile reads it.
/// `arecord` writes a ~2 GiB placeholder instead, which is a declared size (decode it with
/// `lenient`). RF64/BW64 take 64-bit sizes from the `ds64` chunk.
enum WAVHeader {
  /// The data size SoX writes when it cannot seek back to patch the header (its `MS_UNSPEC`).
  static let soxUnspecifiedSize: UInt32 = 0x7FFF_F000

  /// `WAVE_FORMAT_PCM`.
  static let formatPCM = 0x0001
  /// `WAVE_FORMAT_IEEE_FLOAT`.
  static let formatFloat = 0x0003
  /// `WAVE_FORMAT_ALAW`.
  static let formatALaw = 0x0006
  /// `WAVE_FORMAT_MULAW`.
  static let formatMuLaw = 0x0007
  /// `WAVE_FORMAT_EXTENSIBLE`.
  static let formatExtensible = 0xFFFE
  /// Bytes 2…15 of every `KSDATAFORMAT_SUBTYPE_*` GUID derived from a format tag
  /// (`xxxxxxxx-0000-0010-8000-00AA00389B71`, stored little-endian); bytes 0…1 hold the tag.
  static let guidSuffix: [UInt8] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
  ]

  /// The decoded content of a `fmt ` chunk.
  struct FormatChunk {
    var encoding: SampleEncoding
    var sampleRate: Int
    var channelCount: Int
    var blockAlign: Int
  }

  /// Parses a WAV/RF64 header; `source` starts with `RIFF`, `RF64` or `BW64`.
  static func parse<Source: HeaderSource>(
    _ source: inout Source, lenient: Bool
  ) throws(AudioIOError) -> AudioLayout {
    let head = try source.bytes(at: 0, count: 12)
    let container: AudioContainer = head.fourCC(0) == "RIFF" ? .wav : .rf64
    guard head.count == 12 else {
      throw .truncatedHeader(container: container, neededBytes: 12, availableBytes: head.count)
    }
    guard head.fourCC(8) == "WAVE" else {
      throw .unrecognisedFormat(firstBytes: try source.bytes(at: 0, count: 16))
    }
    let riffSize = head.uint32LE(4)
    var format: FormatChunk?
    var data: (offset: Int, size: Int?)?
    var ds64DataSize: UInt64?
    var offset = 12

    while true {
      let header = try source.bytes(at: offset, count: 8)
      guard header.count == 8 else { break }
      let id = header.fourCC(0)
      let size32 = header.uint32LE(4)
      let body = offset + 8
      var size = Int(size32)

      switch id {
      case "ds64" where container == .rf64:
        let ds64 = try source.bytes(at: body, count: min(size, 28))
        guard size >= 24, ds64.count >= 24 else {
          throw .malformedChunk(
            id: "ds64", reason: "it holds \(min(size, ds64.count)) bytes, at least 24 are needed")
        }
        ds64DataSize = ds64.uint64LE(8)
      case "fmt ":
        format = try parseFormat(&source, at: body, size: size, container: container, lenient: lenient)
        if let data { return try layout(format!, data: data, container: container) }
      case "data":
        var dataSize: Int?
        if container == .rf64, size32 == 0xFFFF_FFFF {
          guard let size64 = ds64DataSize else { throw .missingChunk("ds64") }
          guard let exact = Int(exactly: size64), exact <= Int.max - body else {
            throw .absurdSize(
              field: "ds64 data size", claimed: size64, availableBytes: source.length ?? 0)
          }
          dataSize = exact
        } else if size32 == 0xFFFF_FFFF || size32 == soxUnspecifiedSize
          || (size32 == 0 && (riffSize == 0 || riffSize == 0xFFFF_FFFF || Int(riffSize) + 8 <= body))
        {
          dataSize = nil
        } else {
          dataSize = size
        }
        if let format { return try layout(format, data: (body, dataSize), container: container) }
        // `fmt ` comes later: skip a sized data chunk; an open-ended one hides what follows.
        guard let dataSize else { throw .missingChunk("fmt ") }
        guard source.isSeekable else {
          throw .notSeekable(operation: "read a WAV whose \"fmt \" chunk follows its \"data\" chunk")
        }
        data = (body, dataSize)
        size = dataSize
      default:
        break
      }
      // Next chunk: the body rounded up to an even size.
      let (end, overflow) = body.addingReportingOverflow(size + (size & 1))
      if overflow { break }
      if let length = source.length, end > length {
        if id == "data" { break }
        throw .absurdSize(
          field: "\"\(id)\" chunk size", claimed: UInt64(size32), availableBytes: length - body)
      }
      offset = end
    }
    if format == nil { throw .missingChunk("fmt ") }
    throw .missingChunk("data")
  }

  /// Combines a parsed `fmt ` chunk with the data chunk's position.
  private static func layout(
    _ format: FormatChunk, data: (offset: Int, size: Int?), container: AudioContainer
  ) throws(AudioIOError) -> AudioLayout {
    AudioLayout(
      container: container, encoding: format.encoding, isBigEndian: false,
      sampleRate: format.sampleRate, channelCount: format.channelCount,
      blockAlign: format.blockAlign, dataOffset: data.offset, dataByteCount: data.size)
  }

  /// Reads and validates a `fmt ` chunk body of `size` bytes at `offset`.
  static func parseFormat<Source: HeaderSource>(
    _ source: inout Source, at offset: Int, size: Int, container: AudioContainer, lenient: Bool
  ) throws(AudioIOError) -> FormatChunk {
    guard size >= 16 else {
      throw .malformedChunk(id: "fmt ", reason: "it holds \(size) bytes, at least 16 are needed")
    }
    let wanted = min(size, 40)
    let fmt = try source.bytes(at: offset, count: wanted)
    guard fmt.count == wanted else {
      throw .truncatedHeader(
        container: container, neededBytes: offset + wanted, availableBytes: offset + fmt.count)
    }
    var tag = Int(fmt.uint16LE(0))
    let channelCount = Int(fmt.uint16LE(2))
    let sampleRate = Int(fmt.uint32LE(4))
    let blockAlign = Int(fmt.uint16LE(12))
    let bits = Int(fmt.uint16LE(14))

    if tag == formatExtensible {
      guard fmt.count >= 40, Int(fmt.uint16LE(16)) >= 22 else {
        throw .malformedChunk(
          id: "fmt ",
          reason: "WAVE_FORMAT_EXTENSIBLE needs a 40-byte chunk with cbSize ≥ 22, got \(size) bytes")
      }
      let guid = Array(fmt[24..<40])
      guard Array(guid[2...]) == guidSuffix else {
        throw .unsupportedEncoding(
          container: container, code: formatExtensible,
          detail: "WAVE_FORMAT_EXTENSIBLE sub-format GUID \(guidString(guid))")
      }
      tag = Int(guid.uint16LE(0))
    }
    guard channelCount >= 1 else { throw .invalidChannelCount(channelCount) }
    guard sampleRate >= 1 else { throw .invalidSampleRate(sampleRate) }

    let encoding: SampleEncoding
    switch tag {
    case formatPCM:
      guard (1...32).contains(bits) else { throw .invalidBitsPerSample(bits, encoding: "PCM") }
      // Samples of 1…8 bits sit in one unsigned byte; wider ones in (bits + 7) / 8 signed bytes,
      // left-justified, so a 12-bit sample decodes as its 16-bit container (as libsndfile does).
      let bytes = (bits + 7) / 8
      encoding = bytes == 1 ? .unsignedInteger8 : .signedInteger(bits: bytes * 8)
    case formatFloat:
      switch bits {
      case 32: encoding = .float32
      case 64: encoding = .float64
      default: throw .invalidBitsPerSample(bits, encoding: "IEEE float")
      }
    case formatALaw, formatMuLaw:
      guard bits == 8 else {
        throw .invalidBitsPerSample(bits, encoding: tag == formatALaw ? "A-law" : "µ-law")
      }
      encoding = tag == formatALaw ? .aLaw : .muLaw
    default:
      throw .unsupportedEncoding(container: container, code: tag, detail: formatTagName(tag))
    }
    let expected = channelCount * encoding.bytesPerSample
    if blockAlign != expected, !lenient {
      throw .invalidBlockAlign(claimed: blockAlign, expected: expected)
    }
    return FormatChunk(
      encoding: encoding, sampleRate: sampleRate, channelCount: channelCount, blockAlign: expected)
  }

  /// A GUID in its registry form, e.g. `00000001-0000-0010-8000-00AA00389B71`.
  static func guidString(_ g: [UInt8]) -> String {
    func hex(_ bytes: [UInt8]) -> String {
      bytes.map {
        let s = String($0, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
      }
      .joined()
    }
    // Data1 (4 bytes), Data2 and Data3 (2 bytes each) are little-endian; Data4 is a byte string.
    return hex(g[0..<4].reversed()) + "-" + hex(g[4..<6].reversed()) + "-" + hex(g[6..<8].reversed())
      + "-" + hex(Array(g[8..<10])) + "-" + hex(Array(g[10..<16]))
  }

  /// A name for well-known format tags that are not supported, for error messages.
  static func formatTagName(_ tag: Int) -> String {
    switch tag {
    case 0x0002: "Microsoft ADPCM"
    case 0x0011: "IMA ADPCM"
    case 0x0031: "GSM 6.10"
    case 0x0050: "MPEG"
    case 0x0055: "MPEG layer 3"
    case 0x2000: "AC-3"
    default: "WAV format tag 0x" + String(tag, radix: 16, uppercase: true)
    }
  }
}
