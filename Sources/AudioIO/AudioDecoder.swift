import Foundation

/// How strictly `AudioDecoder` and `AudioStreamReader` treat damaged input.
public struct DecodingOptions: Sendable, Hashable {
  /// When `false` (the default), data shorter than the header claims throws `.truncatedData`, and a
  /// WAV block align that disagrees with the format throws `.invalidBlockAlign`. When `true`, the
  /// whole frames present are decoded and the block align is recomputed from the format.
  public var lenient: Bool

  /// Creates options; strict by default.
  public init(lenient: Bool = false) {
    self.lenient = lenient
  }
}

/// Audio decoded from a file: what the header said, and the samples.
public struct DecodedAudio: Sendable, Equatable {
  /// The format; `info.frameCount` equals `buffer.frameCount`.
  public var info: AudioFormatInfo
  /// Planar samples scaled to [-1, 1] as soundfile does (see `AudioBuffer`).
  public var buffer: AudioBuffer

  /// Creates a decoded-audio value.
  public init(info: AudioFormatInfo, buffer: AudioBuffer) {
    self.info = info
    self.buffer = buffer
  }
}

/// Decodes whole WAV (RIFF, RF64, `WAVE_FORMAT_EXTENSIBLE`) and Sun AU files, pure Swift.
///
/// The container is detected from the content, never from the file name. Supported encodings: PCM
/// 8 (WAV unsigned, AU signed), 16, 24 and 32-bit; IEEE float 32/64; G.711 µ-law and A-law; any
/// channel count from 1 to 65 535. Samples come out as planar `Float`, scaled as
/// `soundfile.read(path, dtype="float32")` does (see `SampleConversion`'s table: 16-bit `x / 32768`).
///
/// Allocation is bounded by the bytes actually present: a header claiming gigabytes or 65 535
/// channels over a small file allocates only what the file holds.
public enum AudioDecoder {
  /// Decodes a complete file held in memory.
  ///
  /// Matches `soundfile.read(io.BytesIO(bytes), dtype="float32", always_2d=True)` transposed.
  /// - Parameters:
  ///   - bytes: the whole file, starting at its magic bytes.
  ///   - options: strict (default) or lenient handling of truncated data.
  /// - Returns: the format and the samples.
  /// - Throws: `AudioIOError` describing the first problem found in the header or data.
  /// - Complexity: O(n) in the data size; one output allocation per channel.
  public static func decode(
    _ bytes: some Collection<UInt8>, options: DecodingOptions = .init()
  ) throws(AudioIOError) -> DecodedAudio {
    let result = bytes.withContiguousStorageIfAvailable { storage in
      Result { () throws(AudioIOError) in
        try decode(buffer: UnsafeRawBufferPointer(storage), options: options)
      }
    }
    if let result { return try result.get() }
    return try Array(bytes).withUnsafeBytes { buffer in
      Result { () throws(AudioIOError) in try decode(buffer: buffer, options: options) }
    }.get()
  }

  /// Decodes a complete file held in `Data`.
  ///
  /// - Parameters:
  ///   - data: the whole file, starting at its magic bytes.
  ///   - options: strict (default) or lenient handling of truncated data.
  /// - Returns: the format and the samples.
  /// - Throws: `AudioIOError` describing the first problem found in the header or data.
  /// - Complexity: O(n) in the data size.
  public static func decode(
    _ data: Data, options: DecodingOptions = .init()
  ) throws(AudioIOError) -> DecodedAudio {
    try data.withUnsafeBytes { buffer in
      Result { () throws(AudioIOError) in try decode(buffer: buffer, options: options) }
    }.get()
  }

  /// Reads and decodes the file at `url`.
  ///
  /// - Parameters:
  ///   - url: a file URL (the content decides the format, not the extension).
  ///   - options: strict (default) or lenient handling of truncated data.
  /// - Returns: the format and the samples.
  /// - Throws: `.fileNotReadable` when the file cannot be opened, or any decoding error.
  /// - Complexity: O(n) in the data size. Mono and stereo files are read in 64 KiB pieces straight
  ///   into the output; files with more channels read their audio data into one buffer first.
  public static func decode(
    contentsOf url: URL, options: DecodingOptions = .init()
  ) throws(AudioIOError) -> DecodedAudio {
    let input = try DescriptorInput.open(url)
    guard let length = input.length else {
      // A FIFO or device: stream it.
      let reader = try AudioStreamReader(input: input, options: options)
      return try reader.readAll()
    }
    var source = InputHeaderSource(input: input)
    let layout = try HeaderParser.parse(&source, lenient: options.lenient)
    let frames = try layout.frameCount(
      availableDataBytes: length - layout.dataOffset, lenient: options.lenient)
    let channels: [[Float]]
    if layout.channelCount <= 2 {
      // Read the data in small chunks straight into the output: no whole-file buffer.
      channels = try readFrames(frames, of: layout, from: input).get()
    } else {
      // Many channels: read the audio data in one piece, then de-interleave it channel by channel.
      let byteCount = frames * layout.blockAlign
      var bytes = [UInt8](repeating: 0, count: byteCount)
      let got = try bytes.withUnsafeMutableBytes { buffer in
        Result { () throws(AudioIOError) in try input.read(into: buffer, at: layout.dataOffset) }
      }.get()
      guard got == byteCount else {
        throw .truncatedData(expectedBytes: byteCount, availableBytes: got)  // the file shrank
      }
      channels = bytes.withUnsafeBytes { buffer in
        frames == 0
          ? [[Float]](repeating: [], count: layout.channelCount)
          : SampleConversion.planar(buffer.baseAddress!, layout: layout, frameCount: frames)
      }
    }
    return DecodedAudio(
      info: layout.info(frameCount: frames),
      buffer: AudioBuffer(channels: channels, sampleRate: layout.sampleRate))
  }

  /// Reads only the header of the file at `url` and checks its sizes against the file's length.
  ///
  /// `frameCount` is the number of whole frames the file holds (for open-ended sizes, all the bytes
  /// after the header; for declared sizes, the declared frames, or fewer when lenient).
  /// - Parameters:
  ///   - url: a file URL.
  ///   - options: strict (default): a declared data size beyond the end of the file throws.
  /// - Returns: the format.
  /// - Throws: `.fileNotReadable`, header errors, or `.truncatedData` when strict.
  /// - Complexity: O(number of chunks before the audio data); reads a few hundred bytes.
  public static func formatInfo(
    contentsOf url: URL, options: DecodingOptions = .init()
  ) throws(AudioIOError) -> AudioFormatInfo {
    let input = try DescriptorInput.open(url)
    guard let length = input.length else {
      throw .fileNotReadable(path: url.path, reason: "it is not a regular file, its length is unknown")
    }
    var source = InputHeaderSource(input: input)
    let layout = try HeaderParser.parse(&source, lenient: options.lenient)
    let frames = try layout.frameCount(
      availableDataBytes: length - layout.dataOffset, lenient: options.lenient)
    return layout.info(frameCount: frames)
  }

  /// Bytes read per step when decoding a file with one or two channels.
  static let fileChunkBytes = 1 << 16

  /// Reads and converts `frames` frames of a one- or two-channel file, chunk by chunk.
  ///
  /// - Returns: the channels, or `.truncatedData` when the file shrank while it was read.
  static func readFrames(
    _ frames: Int, of layout: AudioLayout, from input: DescriptorInput
  ) -> Result<[[Float]], AudioIOError> {
    let blockAlign = layout.blockAlign
    let chunkFrames = max(fileChunkBytes / blockAlign, 1)
    var scratch = [UInt8](repeating: 0, count: min(chunkFrames, max(frames, 1)) * blockAlign)
    return SampleConversion.withPlanarOutput(channelCount: layout.channelCount, frameCount: frames) {
      (destinations) throws(AudioIOError) in
      var done = 0
      while done < frames {
        let count = min(chunkFrames, frames - done)
        let wanted = count * blockAlign
        let offset = layout.dataOffset + done * blockAlign
        let got = try scratch.withUnsafeMutableBytes { buffer in
          Result { () throws(AudioIOError) in
            try input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]), at: offset)
          }
        }.get()
        guard got == wanted else {
          throw .truncatedData(expectedBytes: frames * blockAlign, availableBytes: done * blockAlign + got)
        }
        scratch.withUnsafeBytes { buffer in
          SampleConversion.deinterleave(
            buffer.baseAddress!, layout: layout, frameCount: count, into: destinations.map { $0 + done })
        }
        done += count
      }
    }
  }

  /// Decodes a whole file from raw memory.
  static func decode(
    buffer: UnsafeRawBufferPointer, options: DecodingOptions
  ) throws(AudioIOError) -> DecodedAudio {
    var source = MemoryHeaderSource(buffer: buffer)
    let layout = try HeaderParser.parse(&source, lenient: options.lenient)
    let frames = try layout.frameCount(
      availableDataBytes: buffer.count - layout.dataOffset, lenient: options.lenient)
    let channels: [[Float]]
    if frames > 0, let base = buffer.baseAddress {
      channels = SampleConversion.planar(base + layout.dataOffset, layout: layout, frameCount: frames)
    } else {
      channels = [[Float]](repeating: [], count: layout.channelCount)
    }
    return DecodedAudio(
      info: layout.info(frameCount: frames),
      buffer: AudioBuffer(channels: channels, sampleRate: layout.sampleRate))
  }
}
