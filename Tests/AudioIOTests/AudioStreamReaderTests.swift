import Foundation
import TestSupport
import Testing

@testable import AudioIO

@Suite("AudioStreamReader: chunked reads, seeking, pipes")
struct AudioStreamReaderTests {
  /// A deterministic stereo test signal of `frames` frames.
  static func testSignal(frames: Int, channels: Int = 2) -> AudioBuffer {
    var planar: [[Float]] = []
    for c in 0..<channels {
      let codes: [Int] = (0..<frames).map { i in (i * 7919 + c * 104_729) % 65_536 - 32_768 }
      planar.append(codes.map { Float($0) / 32768 })
    }
    return AudioBuffer(channels: planar, sampleRate: 22_050)
  }

  /// Concatenates chunks read with `maxFrames` until the end.
  static func readAll(_ reader: AudioStreamReader, maxFrames: Int) throws -> [[Float]] {
    var channels = [[Float]](repeating: [], count: reader.info.channelCount)
    while let chunk = try reader.read(maxFrames: maxFrames) {
      #expect(chunk.frameCount <= maxFrames)
      for c in channels.indices { channels[c] += chunk.channels[c] }
    }
    return channels
  }

  /// Writes `bytes` into a new pipe from another thread and returns the read end.
  static func pipe(_ bytes: [UInt8]) -> FileHandle {
    // A reader that stops early closes its end; the writer then gets EPIPE instead of a signal.
    signal(SIGPIPE, SIG_IGN)
    let pipe = Pipe()
    let writer = pipe.fileHandleForWriting
    Thread.detachNewThread {
      // Write in uneven pieces so the reader sees partial reads.
      var offset = 0
      var piece = 1
      while offset < bytes.count {
        let end = min(offset + piece, bytes.count)
        do { try writer.write(contentsOf: bytes[offset..<end]) } catch { break }
        offset = end
        piece = piece * 3 + 1
      }
      try? writer.close()
    }
    return pipe.fileHandleForReading
  }

  @Test("chunked reads equal the whole decode", arguments: [1, 3, 64, 1000, 1_000_000])
  func chunkedEqualsWhole(maxFrames: Int) throws {
    let bytes = WAVEncoder.encode(Self.testSignal(frames: 2500), as: .pcm24)
    let whole = try AudioDecoder.decode(bytes)
    let reader = try AudioStreamReader(data: bytes)
    #expect(reader.info == whole.info)
    #expect(reader.knownFrameCount == 2500)
    #expect(try Self.readAll(reader, maxFrames: maxFrames) == whole.buffer.channels)
    #expect(reader.framePosition == 2500)
    #expect(try reader.read(maxFrames: 10) == nil)
  }

  @Test("reading from a file path, and seeking", arguments: [WAVSampleFormat.pcm16, .float32])
  func fileAndSeek(format: WAVSampleFormat) throws {
    let directory = try TestData.temporaryDirectory("audioio-stream")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("clip.wav")
    let signal = Self.testSignal(frames: 5000)
    try WAVEncoder.write(signal, to: url, as: format)
    let whole = try AudioDecoder.decode(contentsOf: url)

    let reader = try AudioStreamReader(contentsOf: url)
    #expect(reader.isSeekable)
    #expect(try Self.readAll(reader, maxFrames: 777) == whole.buffer.channels)
    try reader.seek(toFrame: 1234)
    #expect(reader.framePosition == 1234)
    let rest = try Self.readAll(reader, maxFrames: 1000)
    #expect(rest == whole.buffer.channels.map { Array($0[1234...]) })
    try reader.seek(toFrame: 0)
    #expect(try reader.read(maxFrames: 3)?.channels == whole.buffer.channels.map { Array($0[..<3]) })
    try reader.seek(toFrame: 5000)
    #expect(try reader.read(maxFrames: 3) == nil)
    #expect(throws: AudioIOError.seekOutOfRange(frame: 5001, frameCount: 5000)) {
      try reader.seek(toFrame: 5001)
    }
  }

  @Test("a WAV with 0xFFFFFFFF sizes arriving through a pipe is read to its end")
  func pipeWithOpenSizes() throws {
    let signal = Self.testSignal(frames: 100_000)  // 400 kB: more than a pipe buffer holds
    var bytes = [UInt8](WAVEncoder.encode(signal, as: .pcm16))
    for offset in [4, 40] { bytes.replaceSubrange(offset..<offset + 4, with: [0xFF, 0xFF, 0xFF, 0xFF]) }
    let reader = try AudioStreamReader(fileHandle: Self.pipe(bytes))
    #expect(!reader.isSeekable)
    #expect(reader.knownFrameCount == nil)
    #expect(reader.info.sampleRate == 22_050)
    let expected = try AudioDecoder.decode(WAVEncoder.encode(signal, as: .pcm16)).buffer.channels
    #expect(try Self.readAll(reader, maxFrames: 4096) == expected)
    #expect(throws: AudioIOError.notSeekable(operation: "seek to frame 0")) { try reader.seek(toFrame: 0) }
  }

  @Test("memory stays bounded by the chunk size while megabytes stream through a pipe")
  func boundedMemory() throws {
    // 2 MB of 16-bit stereo (30 pipe buffers): header with open sizes, then the samples.
    var header = [UInt8](WAVEncoder.encode(AudioBuffer(channels: [[], []], sampleRate: 48_000), as: .pcm16))
    for offset in [4, 40] { header.replaceSubrange(offset..<offset + 4, with: [0xFF, 0xFF, 0xFF, 0xFF]) }
    let frames = 500_000
    let body = [UInt8]((0..<frames * 4).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    let reader = try AudioStreamReader(fileHandle: Self.pipe(header + body))
    var total = 0
    while let chunk = try reader.read(maxFrames: 1024) {
      total += chunk.frameCount
      #expect(reader.scratchByteCount == 1024 * 4)
    }
    #expect(total == frames)
  }

  @Test("a header claiming 65 535 float64 channels cannot make a chunk allocate gigabytes")
  func hugeChannelCountChunk() throws {
    let channels = 65_535
    var fmt = Make.fmt(tag: 3, channels: channels, bits: 64, blockAlign: 0)
    fmt[12] = 0
    fmt[13] = 0
    let bytes = Make.riff([Chunk("fmt ", fmt), Chunk("data", [UInt8](repeating: 0, count: 64))])
    // Strict: the block align (which cannot hold 524 280) is rejected.
    #expect(throws: AudioIOError.invalidBlockAlign(claimed: 0, expected: channels * 8)) {
      try AudioStreamReader(fileHandle: Self.pipe(bytes))
    }
    // Lenient: the chunk holds at most 16 MiB of file data whatever maxFrames asks.
    let reader = try AudioStreamReader(fileHandle: Self.pipe(bytes), options: .init(lenient: true))
    #expect(try reader.read(maxFrames: 1_000_000) == nil)  // 64 bytes: not one whole frame
    #expect(reader.scratchByteCount <= AudioStreamReader.chunkByteLimit)
  }

  @Test("an AU with unknown size through a pipe")
  func pipeAU() throws {
    let values = (0..<3000).map { ($0 * 37) % 65_536 - 32_768 }
    let bytes = Make.au(
      encoding: 3, data: ByteBuilder.samples(values, width: 2, bigEndian: true), dataSize: 0xFFFF_FFFF)
    let reader = try AudioStreamReader(fileHandle: Self.pipe(bytes))
    #expect(try Self.readAll(reader, maxFrames: 512) == [values.map { Float($0) / 32768 }])
  }

  @Test("a pipe that ends before the declared size: strict throws after the last frames, lenient does not")
  func pipeTruncated() throws {
    let full = [UInt8](WAVEncoder.encode(Self.testSignal(frames: 1000, channels: 1), as: .pcm16))
    let cut = Array(full.dropLast(101))  // 949 whole frames and one odd byte
    let strict = try AudioStreamReader(fileHandle: Self.pipe(cut))
    #expect(strict.knownFrameCount == 1000)
    var frames = 0
    #expect(throws: AudioIOError.truncatedData(expectedBytes: 2000, availableBytes: 1899)) {
      while let chunk = try strict.read(maxFrames: 300) { frames += chunk.frameCount }
    }
    #expect(frames == 949)
    let lenient = try AudioStreamReader(fileHandle: Self.pipe(cut), options: .init(lenient: true))
    #expect(try Self.readAll(lenient, maxFrames: 300)[0].count == 949)
    // From memory the length is known, so strict mode fails up front.
    #expect(throws: AudioIOError.truncatedData(expectedBytes: 2000, availableBytes: 1899)) {
      try AudioStreamReader(data: Data(cut))
    }
  }

  @Test("a pipe cannot go back for a fmt chunk that follows the data")
  func pipeFmtAfterData() throws {
    let bytes = Make.riff([
      Chunk("data", ByteBuilder.samples([1, 2], width: 2)),
      Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16)),
    ])
    #expect(
      throws: AudioIOError.notSeekable(
        operation: "read a WAV whose \"fmt \" chunk follows its \"data\" chunk")
    ) {
      try AudioStreamReader(fileHandle: Self.pipe(bytes))
    }
    // From memory it works.
    let reader = try AudioStreamReader(data: Data(bytes))
    #expect(try reader.read(maxFrames: 10)?.channels == [[1.0 / 32768, 2.0 / 32768]])
  }

  @Test("header errors surface from the initialiser")
  func headerErrors() {
    #expect(throws: AudioIOError.unrecognisedFormat(firstBytes: Array("not audio".utf8))) {
      try AudioStreamReader(fileHandle: Self.pipe(Array("not audio".utf8)))
    }
    #expect(
      throws: AudioIOError.fileNotReadable(path: "/nonexistent.wav", reason: "No such file or directory")
    ) {
      try AudioStreamReader(contentsOf: URL(fileURLWithPath: "/nonexistent.wav"))
    }
  }
}
