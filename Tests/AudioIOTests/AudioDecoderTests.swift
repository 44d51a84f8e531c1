import Foundation
import TestSupport
import Testing

@testable import AudioIO

@Suite("AudioDecoder: whole-file decoding, truncation and malformed input")
struct AudioDecoderTests {
  static let wav = Make.riff([
    Chunk("fmt ", Make.fmt(tag: 1, channels: 2, rate: 16_000, bits: 16)),
    Chunk("LIST", Array("INFOISFT\u{5}\0\0\0test\0\0".utf8)),
    Chunk("data", ByteBuilder.samples([1, -1, 2, -2, 3, -3, 4, -4], width: 2)),
  ])
  static let au = Make.au(
    encoding: 3, channels: 2, data: ByteBuilder.samples([1, -1, 2, -2, 3, -3], width: 2, bigEndian: true))

  /// The byte offset where each fixture's sample data starts.
  static func dataOffset(_ bytes: [UInt8]) throws -> Int {
    try bytes.withUnsafeBytes { raw in
      var header = MemoryHeaderSource(buffer: raw)
      return try HeaderParser.parse(&header, lenient: false).dataOffset
    }
  }

  @Test(
    "every truncation of a small WAV and AU throws in strict mode and never crashes",
    arguments: [("WAV", wav), ("AU", au)])
  func everyTruncationStrict(name: String, bytes: [UInt8]) throws {
    for length in 0..<bytes.count {
      let prefix = Array(bytes[..<length])
      #expect(throws: AudioIOError.self, "\(name) cut to \(length) bytes") {
        try AudioDecoder.decode(prefix)
      }
    }
    #expect(try AudioDecoder.decode(bytes).buffer.frameCount == (name == "WAV" ? 4 : 3))
  }

  @Test(
    "lenient decoding of truncations decodes the whole frames present once the header is complete",
    arguments: [("WAV", wav), ("AU", au)])
  func everyTruncationLenient(name: String, bytes: [UInt8]) throws {
    let offset = try Self.dataOffset(bytes)
    let full = try AudioDecoder.decode(bytes)
    for length in 0..<bytes.count {
      let prefix = Array(bytes[..<length])
      if length < offset {
        #expect(throws: AudioIOError.self) { try AudioDecoder.decode(prefix, options: .init(lenient: true)) }
      } else {
        let d = try AudioDecoder.decode(prefix, options: .init(lenient: true))
        let frames = (length - offset) / 4
        #expect(d.buffer.frameCount == frames, "\(name) cut to \(length)")
        #expect(d.buffer.channels[0] == Array(full.buffer.channels[0].prefix(frames)))
        #expect(d.buffer.channels[1] == Array(full.buffer.channels[1].prefix(frames)))
      }
    }
  }

  @Test("random corruptions of header and data bytes never crash: a result or an AudioIOError")
  func corruptions() throws {
    var random = SplitMix(seed: 0x5EED)
    for base in [Self.wav, Self.au] {
      for _ in 0..<1500 {
        var bytes = base
        for _ in 0..<Int(random.next() % 4) + 1 {
          // Mostly header bytes, sometimes anywhere; sometimes an extreme value.
          let index = Int(random.next() % UInt64(random.next() % 3 == 0 ? bytes.count : min(48, bytes.count)))
          bytes[index] =
            [0x00, 0xFF, 0x7F, 0x80, UInt8(truncatingIfNeeded: random.next())][Int(random.next() % 5)]
        }
        if random.next() % 4 == 0 { bytes.removeLast(Int(random.next() % UInt64(bytes.count))) }
        for lenient in [false, true] {
          if let decoded = try? AudioDecoder.decode(bytes, options: .init(lenient: lenient)) {
            #expect(decoded.buffer.channels.allSatisfy { $0.count == decoded.info.frameCount })
            #expect(decoded.buffer.frameCount * decoded.info.channelCount <= bytes.count)
          }
          if let reader = try? AudioStreamReader(data: Data(bytes), options: .init(lenient: lenient)) {
            while let chunk = try? reader.read(maxFrames: 3) { #expect(chunk.frameCount <= 3) }
          }
        }
      }
    }
  }

  @Test("strict truncation reports the claimed and available byte counts")
  func truncationError() {
    let cut = Array(Self.wav.dropLast(3))
    #expect(throws: AudioIOError.truncatedData(expectedBytes: 16, availableBytes: 13)) {
      try AudioDecoder.decode(cut)
    }
  }

  @Test("unrecognised and empty input name their first bytes")
  func unrecognised() {
    let text = Array("hello, world! this is text".utf8)
    #expect(throws: AudioIOError.unrecognisedFormat(firstBytes: Array(text.prefix(16)))) {
      try AudioDecoder.decode(text)
    }
    #expect(throws: AudioIOError.unrecognisedFormat(firstBytes: [])) { try AudioDecoder.decode([UInt8]()) }
    #expect(throws: AudioIOError.truncatedHeader(container: .wav, neededBytes: 4, availableBytes: 2)) {
      try AudioDecoder.decode(Array("RI".utf8))
    }
    // fLaC, OggS and ID3 (MP3) are not supported: unrecognised, with the bytes shown.
    for magic in ["fLaC", "OggS", "ID3\u{4}"] {
      let bytes = Array(magic.utf8) + [UInt8](repeating: 0, count: 20)
      #expect(throws: AudioIOError.unrecognisedFormat(firstBytes: Array(bytes.prefix(16)))) {
        try AudioDecoder.decode(bytes)
      }
    }
  }

  @Test("Data, [UInt8], ArraySlice and non-contiguous collections decode alike")
  func inputKinds() throws {
    let expected = try AudioDecoder.decode(Self.wav)
    #expect(try AudioDecoder.decode(Data(Self.wav)) == expected)
    #expect(try AudioDecoder.decode(([0, 0] + Self.wav)[2...]) == expected)
    #expect(try AudioDecoder.decode(Self.wav.lazy.map { $0 }) == expected)
    #expect(
      expected.info
        == AudioFormatInfo(
          container: .wav, encoding: .signedInteger(bits: 16), sampleRate: 16_000, channelCount: 2,
          frameCount: 4))
  }

  @Test("decode(contentsOf:) and formatInfo(contentsOf:) read files; the extension is ignored")
  func files() throws {
    let directory = try TestData.temporaryDirectory("audioio-decoder")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("really-an-au.wav")
    try Data(Self.au).write(to: url)
    let d = try AudioDecoder.decode(contentsOf: url)
    #expect(d == (try AudioDecoder.decode(Self.au)))
    #expect(try AudioDecoder.formatInfo(contentsOf: url) == d.info)

    let cut = directory.appendingPathComponent("cut.wav")
    try Data(Self.wav.dropLast(5)).write(to: cut)
    #expect(throws: AudioIOError.truncatedData(expectedBytes: 16, availableBytes: 11)) {
      try AudioDecoder.formatInfo(contentsOf: cut)
    }
    #expect(try AudioDecoder.formatInfo(contentsOf: cut, options: .init(lenient: true)).frameCount == 2)
  }

  @Test("decode(contentsOf:) streams a named pipe (FIFO); formatInfo(contentsOf:) refuses it")
  func fifo() throws {
    let directory = try TestData.temporaryDirectory("audioio-fifo")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("live.wav")
    #expect(mkfifo(url.path, 0o600) == 0)
    let bytes = WAVEncoder.encode(
      AudioBuffer(channels: [(0..<70_000).map { Float($0 % 200) / 256 }], sampleRate: 8000), as: .pcm16)
    Thread.detachNewThread {
      // Opening a FIFO for writing blocks until the reader opens it.
      if let handle = try? FileHandle(forWritingTo: url) {
        try? handle.write(contentsOf: bytes)
        try? handle.close()
      }
    }
    let decoded = try AudioDecoder.decode(contentsOf: url)
    #expect(decoded == (try AudioDecoder.decode(bytes)))

    // formatInfo needs the length, which a FIFO does not have.
    signal(SIGPIPE, SIG_IGN)
    Thread.detachNewThread {
      if let handle = try? FileHandle(forWritingTo: url) {
        try? handle.write(contentsOf: bytes.prefix(44))
        try? handle.close()
      }
    }
    #expect(
      throws: AudioIOError.fileNotReadable(
        path: url.path, reason: "it is not a regular file, its length is unknown")
    ) {
      try AudioDecoder.formatInfo(contentsOf: url)
    }
  }

  @Test(
    "decode(contentsOf:) equals decode(bytes) across chunk boundaries and channel counts",
    arguments: [(WAVSampleFormat.pcm24, 1), (.float32, 1), (.pcm16, 2), (.pcm8, 2), (.float64, 3)])
  func fileMatchesMemory(format: WAVSampleFormat, channels: Int) throws {
    let directory = try TestData.temporaryDirectory("audioio-file")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("clip.wav")
    let frames = 50_001  // several 64 KiB read chunks, with a partial last one
    var planar: [[Float]] = []
    for c in 0..<channels {
      let codes: [Int] = (0..<frames).map { ($0 * (c + 3)) % 2001 - 1000 }
      planar.append(codes.map { Float($0) / 1024 })
    }
    let bytes = WAVEncoder.encode(AudioBuffer(channels: planar, sampleRate: 8000), as: format)
    try bytes.write(to: url)
    let fromFile = try AudioDecoder.decode(contentsOf: url)
    #expect(fromFile == (try AudioDecoder.decode(bytes)))
    #expect(fromFile.buffer.frameCount == frames)
  }

  @Test("missing files and directories are not readable")
  func unreadable() throws {
    let missing = URL(fileURLWithPath: "/nonexistent/genre/clip.wav")
    #expect(throws: AudioIOError.fileNotReadable(path: missing.path, reason: "No such file or directory")) {
      try AudioDecoder.decode(contentsOf: missing)
    }
    let directory = try TestData.temporaryDirectory("audioio-dir")
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(throws: AudioIOError.fileNotReadable(path: directory.path, reason: "it is a directory")) {
      try AudioDecoder.formatInfo(contentsOf: directory)
    }
  }
}
