import Foundation

/// Reads a WAV/RF64/AU stream chunk by chunk, from a file, a `FileHandle` (including a pipe or
/// standard input) or bytes in memory, with memory bounded by the chunk size.
///
/// The header is parsed on creation, reading forward only, so a pipe works, e.g. the output of
/// `arecord -f S16_LE -r 22050 -t wav`. Streaming writers declare open sizes (0xFFFFFFFF: read until
/// the pipe closes) or, like `arecord`, a ~2 GiB placeholder: use `lenient: true` for those so an
/// early end is not an error. Files whose `fmt ` chunk follows the audio need a seekable input.
///
/// Strict mode (the default) throws `.truncatedData` when the input ends before the declared data
/// size: at creation for files (their length is known), otherwise from the `read` call after the
/// one that returned the last frames.
///
/// Thread safety: not `Sendable` and not internally locked; use each reader from one thread or task
/// at a time.
public final class AudioStreamReader {
  /// The format. `info.frameCount` is `knownFrameCount`, or 0 while it is unknown.
  public let info: AudioFormatInfo
  /// The frames the stream holds, when known: for files and memory, the declared count (or the
  /// frames present, for lenient decoding of a short file; for open-ended sizes, the frames up to the
  /// end); for pipes, the declared count — which live recorders such as `arecord` set to a ~2 GiB
  /// placeholder, so treat it as an upper bound — or `nil` when the header leaves the size open.
  public let knownFrameCount: Int?
  /// The index of the next frame `read` returns.
  public private(set) var framePosition = 0
  /// Whether `seek(toFrame:)` is available (files and memory, not pipes).
  public var isSeekable: Bool { input.isSeekable }

  private let input: any ByteInput
  private let layout: AudioLayout
  private let options: DecodingOptions
  /// Interleaved bytes of one chunk, reused across reads.
  private var scratch: [UInt8] = []
  /// Set once the input or the declared data is exhausted.
  private var finished = false
  /// A truncation found while returning the last frames, thrown by the next `read`.
  private var pendingError: AudioIOError?

  /// Opens the file at `url` and parses its header.
  ///
  /// - Parameters:
  ///   - url: a file URL (regular file or FIFO).
  ///   - options: strict (default) or lenient handling of truncated data.
  /// - Throws: `.fileNotReadable`, header errors, or `.truncatedData` (strict, regular files).
  public convenience init(contentsOf url: URL, options: DecodingOptions = .init()) throws(AudioIOError) {
    try self.init(input: DescriptorInput.open(url), options: options)
  }

  /// Reads from an open file handle — a file, a pipe (`Pipe().fileHandleForReading`) or
  /// `FileHandle.standardInput` — starting at its current position. The reader keeps the handle
  /// alive and does not close it.
  ///
  /// - Parameters:
  ///   - fileHandle: the input; the reader keeps it open and reads it directly (`read(2)`/`pread(2)`).
  ///   - options: strict (default) or lenient handling of truncated data.
  /// - Throws: header errors, `.readFailed`, or `.truncatedData` (strict, regular files).
  public convenience init(fileHandle: FileHandle, options: DecodingOptions = .init()) throws(AudioIOError) {
    let input = DescriptorInput(
      descriptor: fileHandle.fileDescriptor, owns: false,
      name: "file descriptor \(fileHandle.fileDescriptor)")
    input.owner = fileHandle  // the handle closes its descriptor when released
    try self.init(input: input, options: options)
  }

  /// Reads a complete file held in memory (seekable).
  ///
  /// - Throws: header errors or `.truncatedData` (strict).
  public convenience init(data: Data, options: DecodingOptions = .init()) throws(AudioIOError) {
    try self.init(input: DataInput(data), options: options)
  }

  init(input: any ByteInput, options: DecodingOptions) throws(AudioIOError) {
    var source = InputHeaderSource(input: input)
    let layout = try HeaderParser.parse(&source, lenient: options.lenient)
    (input as? DescriptorInput)?.retainsHistory = false
    self.input = input
    self.layout = layout
    self.options = options
    if let length = input.length {
      let frames = try layout.frameCount(
        availableDataBytes: length - layout.dataOffset, lenient: options.lenient)
      knownFrameCount = frames
    } else if let declared = layout.dataByteCount {
      knownFrameCount = declared / layout.blockAlign
    } else {
      knownFrameCount = nil
    }
    info = layout.info(frameCount: knownFrameCount ?? 0)
  }

  /// The most file bytes one chunk holds (16 MiB), whatever `maxFrames` asks for, so a header
  /// claiming 65 535 float64 channels cannot make a read allocate gigabytes.
  static let chunkByteLimit = 16 << 20

  /// The bytes of the reusable chunk buffer (for tests of the memory bound).
  var scratchByteCount: Int { scratch.count }

  /// Reads the next chunk of up to `maxFrames` frames.
  ///
  /// Returns fewer frames only at the end of the stream (a pipe is read until the chunk is full or
  /// the pipe closes), or when `maxFrames` frames would exceed 16 MiB of file data.
  /// - Parameter maxFrames: the largest chunk wanted (> 0); memory use is about
  ///   `maxFrames × (bytes per frame + 4 × channels)`.
  /// - Returns: the next frames, or `nil` at the end of the stream.
  /// - Throws: `.readFailed` on an I/O error; `.truncatedData` (strict) when the input ended before
  ///   the declared data size, after the frames present were returned.
  /// - Complexity: O(`maxFrames × channelCount`).
  public func read(maxFrames: Int) throws(AudioIOError) -> AudioBuffer? {
    precondition(maxFrames > 0, "AudioStreamReader.read needs maxFrames > 0, got \(maxFrames)")
    if let error = pendingError {
      pendingError = nil
      throw error
    }
    if finished { return nil }
    let blockAlign = layout.blockAlign
    var wantedFrames = min(maxFrames, max(Self.chunkByteLimit / blockAlign, 1))
    let consumed = framePosition * blockAlign
    if let declared = layout.dataByteCount {
      wantedFrames = min(wantedFrames, (declared - consumed) / blockAlign)
    }
    if let known = knownFrameCount, input.isSeekable {
      wantedFrames = min(wantedFrames, known - framePosition)
    }
    guard wantedFrames > 0 else {
      finished = true
      return nil
    }
    let wantedBytes = wantedFrames * blockAlign
    if scratch.count < wantedBytes {
      scratch = [UInt8](repeating: 0, count: wantedBytes)
    }
    let got = try scratch.withUnsafeMutableBytes { buffer in
      Result { () throws(AudioIOError) in
        try input.read(
          into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wantedBytes]),
          at: layout.dataOffset + consumed)
      }
    }.get()
    let frames = got / blockAlign
    if got < wantedBytes {
      finished = true
      if let declared = layout.dataByteCount, !options.lenient {
        let error = AudioIOError.truncatedData(expectedBytes: declared, availableBytes: consumed + got)
        if frames == 0 { throw error }
        pendingError = error
      }
    }
    guard frames > 0 else { return nil }
    let channels = scratch.withUnsafeBytes { buffer in
      SampleConversion.planar(buffer.baseAddress!, layout: layout, frameCount: frames)
    }
    framePosition += frames
    return AudioBuffer(channels: channels, sampleRate: layout.sampleRate)
  }

  /// Moves to frame `frame` (0 … `knownFrameCount`) of a seekable input.
  ///
  /// - Throws: `.notSeekable` for pipes, `.seekOutOfRange` past the end.
  /// - Complexity: O(1).
  public func seek(toFrame frame: Int) throws(AudioIOError) {
    guard input.isSeekable, let known = knownFrameCount else {
      throw .notSeekable(operation: "seek to frame \(frame)")
    }
    guard (0...known).contains(frame) else { throw .seekOutOfRange(frame: frame, frameCount: known) }
    framePosition = frame
    finished = false
    pendingError = nil
  }

  /// Reads everything from the current position to the end into one buffer.
  ///
  /// - Throws: as `read(maxFrames:)`.
  func readAll() throws(AudioIOError) -> DecodedAudio {
    var channels = [[Float]](repeating: [], count: layout.channelCount)
    while let chunk = try read(maxFrames: 65_536) {
      for c in 0..<channels.count { channels[c].append(contentsOf: chunk.channels[c]) }
    }
    let buffer = AudioBuffer(channels: channels, sampleRate: layout.sampleRate)
    return DecodedAudio(info: layout.info(frameCount: buffer.frameCount), buffer: buffer)
  }
}
