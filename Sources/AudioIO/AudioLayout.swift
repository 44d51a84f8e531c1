/// Where the samples are and how to read them: the result of parsing a header.
struct AudioLayout: Equatable, Sendable {
  /// The container the header was found in.
  var container: AudioContainer
  /// The sample encoding.
  var encoding: SampleEncoding
  /// Whether multi-byte samples are big-endian (AU) rather than little-endian (WAV).
  var isBigEndian: Bool
  /// Samples per second per channel, in Hz (> 0).
  var sampleRate: Int
  /// Interleaved channels (1 … 65 535).
  var channelCount: Int
  /// Bytes per interleaved frame (`channelCount × encoding.bytesPerSample`).
  var blockAlign: Int
  /// Byte offset of the first sample from the start of the input.
  var dataOffset: Int
  /// Bytes of sample data the header declares, or `nil` when it leaves the size open (the data
  /// runs to the end of the input).
  var dataByteCount: Int?

  /// The largest channel count accepted (WAV's 16-bit field; also applied to AU).
  static let maximumChannelCount = 65_535

  /// The number of whole frames to decode given the data bytes actually present.
  ///
  /// - Throws: `.truncatedData` when strict and fewer bytes are present than declared.
  func frameCount(availableDataBytes: Int, lenient: Bool) throws(AudioIOError) -> Int {
    var usable = max(availableDataBytes, 0)
    if let declared = dataByteCount {
      if declared > usable, !lenient {
        throw .truncatedData(expectedBytes: declared, availableBytes: usable)
      }
      usable = min(usable, declared)
    }
    return usable / blockAlign
  }

  /// The public description of this layout holding `frameCount` frames.
  func info(frameCount: Int) -> AudioFormatInfo {
    AudioFormatInfo(
      container: container, encoding: encoding, sampleRate: sampleRate, channelCount: channelCount,
      frameCount: frameCount)
  }
}

/// Bytes of an input by offset, for header parsing: random access for memory and files, forward
/// only for pipes (a request before the current position throws `.notSeekable`).
protocol HeaderSource {
  /// Total bytes of the input, when known (memory, regular files); `nil` for pipes.
  var length: Int? { get }
  /// Whether earlier offsets can be read again (false for pipes).
  var isSeekable: Bool { get }
  /// Up to `count` bytes starting at `offset`; fewer only when the input ends.
  mutating func bytes(at offset: Int, count: Int) throws(AudioIOError) -> [UInt8]
}

/// A `HeaderSource` over bytes in memory.
struct MemoryHeaderSource: HeaderSource {
  let buffer: UnsafeRawBufferPointer

  var length: Int? { buffer.count }
  var isSeekable: Bool { true }

  func bytes(at offset: Int, count: Int) -> [UInt8] {
    guard offset < buffer.count, count > 0 else { return [] }
    let end = offset + min(count, buffer.count - offset)
    return Array(buffer[offset..<end])
  }
}

/// Little- and big-endian integer reads from a byte array (callers check the length first).
extension Array where Element == UInt8 {
  func uint16LE(_ at: Int) -> UInt16 { UInt16(self[at]) | UInt16(self[at + 1]) << 8 }
  func uint32LE(_ at: Int) -> UInt32 {
    UInt32(self[at]) | UInt32(self[at + 1]) << 8 | UInt32(self[at + 2]) << 16
      | UInt32(self[at + 3]) << 24
  }
  func uint64LE(_ at: Int) -> UInt64 { UInt64(uint32LE(at)) | UInt64(uint32LE(at + 4)) << 32 }
  func uint32BE(_ at: Int) -> UInt32 {
    UInt32(self[at]) << 24 | UInt32(self[at + 1]) << 16 | UInt32(self[at + 2]) << 8
      | UInt32(self[at + 3])
  }
  /// Four bytes as a FourCC string such as `fmt `, with non-printable bytes shown as `?`.
  func fourCC(_ at: Int) -> String {
    String(decoding: self[at..<at + 4].map { (0x20..<0x7F).contains($0) ? $0 : 0x3F }, as: UTF8.self)
  }
}

/// Header parsing entry point: detects the container from the first bytes and dispatches.
enum HeaderParser {
  /// Parses the header at the start of `source`.
  ///
  /// - Throws: `.unrecognisedFormat` for unknown magic bytes, or the container parser's errors.
  static func parse<Source: HeaderSource>(
    _ source: inout Source, lenient: Bool
  ) throws(AudioIOError) -> AudioLayout {
    let magic = try source.bytes(at: 0, count: 4)
    if magic.count == 4 {
      switch magic.fourCC(0) {
      case "RIFF", "RF64", "BW64": return try WAVHeader.parse(&source, lenient: lenient)
      case ".snd", "dns.": return try AUHeader.parse(&source)
      default: break
      }
    } else if !magic.isEmpty {
      // A prefix of a known magic is a truncated header, anything else is unrecognised.
      for (name, container) in [
        ("RIFF", AudioContainer.wav), ("RF64", .rf64), ("BW64", .rf64),
        (".snd", .au), ("dns.", .au),
      ]
      where Array(name.utf8.prefix(magic.count)) == magic {
        throw .truncatedHeader(container: container, neededBytes: 4, availableBytes: magic.count)
      }
    }
    let shown = try source.bytes(at: 0, count: 16)
    throw .unrecognisedFormat(firstBytes: shown)
  }
}
