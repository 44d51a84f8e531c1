import Foundation
import Testing

@testable import AudioIO

@Suite("WAV/RF64 parsing and sample encodings")
struct WAVHeaderTests {
  func decode(_ bytes: [UInt8], lenient: Bool = false) throws(AudioIOError) -> DecodedAudio {
    try AudioDecoder.decode(bytes, options: DecodingOptions(lenient: lenient))
  }

  @Test("8-bit PCM is unsigned: (x − 128) / 128")
  func pcm8() throws {
    let d = try decode(Make.wav(bits: 8, data: [0, 64, 128, 192, 255]))
    #expect(d.info.encoding == .unsignedInteger8)
    #expect(d.buffer.channels == [[-1, -0.5, 0, 0.5, 127.0 / 128]])
  }

  @Test("16, 24 and 32-bit PCM scale by 2^(bits−1)")
  func pcmIntegers() throws {
    for bits in [16, 24, 32] {
      let full = 1 << (bits - 1)
      let values = [0, 1, -1, full - 1, -full, full / 2, -12345]
      let d = try decode(Make.wav(bits: bits, data: ByteBuilder.samples(values, width: bits / 8)))
      #expect(d.info.encoding == .signedInteger(bits: bits))
      #expect(d.buffer.channels[0] == values.map { Float($0) / Float(full) }, "\(bits)-bit")
    }
  }

  @Test("float32 is unchanged, float64 is rounded to Float (values beyond ±1 kept)")
  func floats() throws {
    let values = [0, 0.5, -1, 1.5, 0.1, -3e-8, 1 / 3.0]
    let f32 = try decode(Make.wav(tag: 3, bits: 32, data: ByteBuilder.floats(values, width: 4)))
    #expect(f32.info.encoding == .float32)
    #expect(f32.buffer.channels[0] == values.map { Float($0) })
    let f64 = try decode(Make.wav(tag: 3, bits: 64, data: ByteBuilder.floats(values, width: 8)))
    #expect(f64.info.encoding == .float64)
    #expect(f64.buffer.channels[0] == values.map { Float($0) })
  }

  @Test("format tags 6 (A-law) and 7 (µ-law) decode through the G.711 tables")
  func g711InWAV() throws {
    let codes: [UInt8] = [0xD5, 0x55, 0xAA, 0x00, 0xFF]
    let a = try decode(Make.wav(tag: 6, bits: 8, data: codes))
    #expect(a.info.encoding == .aLaw)
    #expect(a.buffer.channels[0] == codes.map { Float(G711.aLawToLinear($0)) / 32768 })
    let mu = try decode(Make.wav(tag: 7, bits: 8, data: codes))
    #expect(mu.info.encoding == .muLaw)
    #expect(mu.buffer.channels[0] == codes.map { Float(G711.muLawToLinear($0)) / 32768 })
  }

  @Test("channels are de-interleaved in order", arguments: [1, 2, 3, 6])
  func deinterleaves(channels: Int) throws {
    let frames = 21  // two SIMD blocks of 8 stereo frames plus a scalar tail
    let values = (0..<frames * channels).map { $0 * 251 - 16_000 }
    let d = try decode(Make.wav(channels: channels, bits: 16, data: ByteBuilder.samples(values, width: 2)))
    #expect(d.info.channelCount == channels)
    #expect(d.info.frameCount == frames)
    for c in 0..<channels {
      #expect(d.buffer.channels[c] == (0..<frames).map { Float(values[$0 * channels + c]) / 32768 })
    }
  }

  @Test("WAVE_FORMAT_EXTENSIBLE with the PCM, float, A-law and µ-law sub-format GUIDs")
  func extensible() throws {
    let pcm = try decode(
      Make.wav(
        channels: 1, bits: 24, data: ByteBuilder.samples([1 << 22, -1], width: 3),
        extensibleGUID: Make.guid(tag: 1)))
    #expect(pcm.info.encoding == .signedInteger(bits: 24))
    #expect(pcm.buffer.channels[0] == [0.5, -1.0 / 8_388_608])
    let float = try decode(
      Make.wav(bits: 32, data: ByteBuilder.floats([0.25, -2], width: 4), extensibleGUID: Make.guid(tag: 3)))
    #expect(float.info.encoding == .float32)
    #expect(float.buffer.channels[0] == [0.25, -2])
    let aLaw = try decode(Make.wav(bits: 8, data: [0xD5], extensibleGUID: Make.guid(tag: 6)))
    #expect(aLaw.buffer.channels[0] == [8.0 / 32768])
  }

  @Test("an unknown sub-format GUID is an unsupported encoding naming the GUID")
  func unknownGUID() {
    let guid: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 9, 10, 11, 12, 13, 14, 15, 16]
    let bytes = Make.wav(bits: 16, data: [0, 0], extensibleGUID: guid)
    #expect(
      throws: AudioIOError.unsupportedEncoding(
        container: .wav, code: 0xFFFE,
        detail: "WAVE_FORMAT_EXTENSIBLE sub-format GUID 04030201-0605-0807-090A-0B0C0D0E0F10")
    ) {
      try decode(bytes)
    }
    // An ambisonic-style GUID: the standard suffix with a tag that is not supported.
    #expect(throws: AudioIOError.unsupportedEncoding(container: .wav, code: 2, detail: "Microsoft ADPCM")) {
      try decode(Make.wav(bits: 16, data: [0, 0], extensibleGUID: Make.guid(tag: 2)))
    }
  }

  @Test("unsupported format tags name the codec")
  func unsupportedTag() {
    #expect(throws: AudioIOError.unsupportedEncoding(container: .wav, code: 0x55, detail: "MPEG layer 3")) {
      try decode(Make.wav(tag: 0x55, bits: 16, data: [0, 0]))
    }
  }

  @Test("an odd-sized unknown chunk before data is skipped with its pad byte")
  func oddChunkPadding() throws {
    let bytes = Make.riff([
      Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16)),
      Chunk("junk", [1, 2, 3]),  // 3 bytes + 1 pad byte
      Chunk("data", ByteBuilder.samples([16384, -16384], width: 2)),
    ])
    #expect(try decode(bytes).buffer.channels[0] == [0.5, -0.5])
  }

  @Test("LIST, fact and cue chunks are tolerated before and after the data")
  func metadataChunks() throws {
    var list = ByteBuilder()
    list.ascii("INFOINAM")
    list.u32(5)
    list.ascii("song\0")
    let bytes = Make.riff([
      Chunk("LIST", list.bytes + [0]),
      Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16)),
      Chunk("fact", [2, 0, 0, 0]),
      Chunk("cue ", [UInt8](repeating: 0, count: 28)),
      Chunk("data", ByteBuilder.samples([8192, 0], width: 2)),
      Chunk("LIST", list.bytes + [0]),
    ])
    #expect(try decode(bytes).buffer.channels[0] == [0.25, 0])
  }

  @Test("fmt after data is read on seekable input")
  func fmtAfterData() throws {
    let bytes = Make.riff([
      Chunk("data", ByteBuilder.samples([-32768, 32767, 3], width: 2)),
      Chunk("fmt ", Make.fmt(tag: 1, channels: 1, rate: 44_100, bits: 16)),
    ])
    let d = try decode(bytes)
    #expect(d.info.sampleRate == 44_100)
    #expect(d.buffer.channels[0] == [-1, 32767.0 / 32768, 3.0 / 32768])
  }

  @Test("open data sizes (0xFFFFFFFF, SoX's 0x7FFFF000, 0 in an unpatched RIFF) read to the end")
  func openSizes() throws {
    let samples = ByteBuilder.samples([100, 200, 300], width: 2)
    let expected = [100, 200, 300].map { Float($0) / 32768 }
    let fmt = Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16))
    // 36 = a RIFF size ending right after the data chunk header (4 + 24 + 8).
    let cases = [
      (0xFFFF_FFFF, 0xFFFF_FFFF), (0, 0), (0xFFFF_FFFF, 0), (36, 0xFFFF_FFFF), (36, 0), (0, 0x7FFF_F000),
    ]
    for (riffSize, dataSize) in cases {
      let bytes = Make.riff([fmt, Chunk("data", samples, declaredSize: dataSize)], riffSize: riffSize)
      let d = try decode(bytes)
      #expect(d.buffer.channels[0] == expected, "RIFF size \(riffSize), data size \(dataSize)")
      #expect(d.info.frameCount == 3)
    }
  }

  @Test("a zero data size inside a RIFF size that covers more is an empty data chunk (as libsndfile)")
  func emptyDataChunk() throws {
    let fmt = Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16))
    let empty = Make.riff([fmt, Chunk("data", [])])
    #expect(try decode(empty).info.frameCount == 0)
    var list = ByteBuilder()
    list.ascii("LIST")
    list.u32(4)
    list.ascii("INFO")
    // data size 0 followed by a LIST chunk the RIFF size accounts for: no frames, LIST not decoded.
    let withList = Make.riff([fmt, Chunk("data", list.bytes, declaredSize: 0)])
    #expect(try decode(withList).info.frameCount == 0)
  }

  @Test("RF64 takes the data size from ds64 and ignores bytes after it")
  func rf64() throws {
    var ds64 = ByteBuilder()
    ds64.u64(100)  // RIFF size (not used)
    ds64.u64(4)  // data size: 2 frames of 16-bit mono
    ds64.u64(2)  // sample count
    ds64.u32(0)  // table length
    let bytes = Make.riff(
      [
        Chunk("ds64", ds64.bytes),
        Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16)),
        Chunk("data", ByteBuilder.samples([16384, -8192, 777], width: 2), declaredSize: 0xFFFF_FFFF),
      ], magic: "RF64", riffSize: 0xFFFF_FFFF)
    let d = try decode(bytes)
    #expect(d.info.container == .rf64)
    #expect(d.buffer.channels[0] == [0.5, -0.25])
    // BW64 (ITU-R BS.2088) shares RF64's layout.
    let bw64 = Array("BW64".utf8) + bytes.dropFirst(4)
    #expect(try decode(bw64).buffer.channels[0] == [0.5, -0.25])
    // Without ds64 the 0xFFFFFFFF data size cannot be resolved.
    let missing = Make.riff(
      [
        Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16)),
        Chunk("data", [0, 0], declaredSize: 0xFFFF_FFFF),
      ],
      magic: "RF64")
    #expect(throws: AudioIOError.missingChunk("ds64")) { try decode(missing) }
  }

  @Test("bits per sample: 12-bit samples use 16-bit containers; 0, 40-bit and odd float widths fail")
  func bitsPerSample() throws {
    // 12-bit, left-justified in 16 bits: decoded as the container, like libsndfile.
    let twelve = Make.riff([
      Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 12, blockAlign: 2)),
      Chunk("data", ByteBuilder.samples([0x7FF0, -0x8000], width: 2)),
    ])
    let d = try decode(twelve)
    #expect(d.info.encoding == .signedInteger(bits: 16))
    #expect(d.buffer.channels[0] == [Float(0x7FF0) / 32768, -1])
    #expect(throws: AudioIOError.invalidBitsPerSample(0, encoding: "PCM")) {
      try decode(
        Make.riff([Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 0, blockAlign: 1)), Chunk("data", [0])]))
    }
    #expect(throws: AudioIOError.invalidBitsPerSample(40, encoding: "PCM")) {
      try decode(Make.wav(bits: 40, data: [0, 0, 0, 0, 0]))
    }
    #expect(throws: AudioIOError.invalidBitsPerSample(16, encoding: "IEEE float")) {
      try decode(Make.wav(tag: 3, bits: 16, data: [0, 0]))
    }
    #expect(throws: AudioIOError.invalidBitsPerSample(16, encoding: "µ-law")) {
      try decode(Make.wav(tag: 7, bits: 16, data: [0, 0]))
    }
  }

  @Test("block align mismatches throw when strict and are recomputed when lenient")
  func blockAlign() throws {
    let bytes = Make.riff([
      Chunk("fmt ", Make.fmt(tag: 1, channels: 2, bits: 16, blockAlign: 3)),
      Chunk("data", ByteBuilder.samples([1, 2, 3, 4], width: 2)),
    ])
    #expect(throws: AudioIOError.invalidBlockAlign(claimed: 3, expected: 4)) { try decode(bytes) }
    let d = try decode(bytes, lenient: true)
    let expected: [[Float]] = [[1, 3], [2, 4]].map { $0.map { $0 / 32768 } }
    #expect(d.buffer.channels == expected)
  }

  @Test("zero channels and a zero sample rate are rejected")
  func zeroChannelsAndRate() {
    #expect(throws: AudioIOError.invalidChannelCount(0)) {
      try decode(
        Make.riff([Chunk("fmt ", Make.fmt(tag: 1, channels: 0, bits: 16, blockAlign: 0)), Chunk("data", [])]))
    }
    #expect(throws: AudioIOError.invalidSampleRate(0)) {
      try decode(Make.wav(rate: 0, bits: 16, data: [0, 0]))
    }
  }

  @Test("65 535 channels over a tiny data chunk decode without a big allocation")
  func manyChannels() throws {
    let channels = 65_535
    let bytes = Make.riff([
      Chunk("fmt ", Make.fmt(tag: 1, channels: channels, bits: 8, blockAlign: channels)),
      Chunk("data", [UInt8](repeating: 192, count: channels)),
    ])
    let d = try decode(bytes)
    #expect(d.info.channelCount == channels)
    #expect(d.buffer.frameCount == 1)
    #expect(d.buffer.channels[channels - 1] == [0.5])
    // With too little data for one frame: zero frames, 65 535 empty channels.
    let empty = Make.riff([
      Chunk("fmt ", Make.fmt(tag: 1, channels: channels, bits: 8, blockAlign: channels)),
      Chunk("data", [1, 2, 3]),
    ])
    #expect(try decode(empty, lenient: true).buffer.frameCount == 0)
  }

  @Test("gigantic claimed sizes fail cleanly or decode only what is present")
  func hugeSizes() throws {
    // A data chunk claiming ~4 GiB over 4 bytes.
    let bigData = Make.riff([
      Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16)),
      Chunk("data", ByteBuilder.samples([1, 2], width: 2), declaredSize: 0xFFFF_FFF0),
    ])
    #expect(throws: AudioIOError.truncatedData(expectedBytes: 0xFFFF_FFF0, availableBytes: 4)) {
      try decode(bigData)
    }
    #expect(try decode(bigData, lenient: true).buffer.channels[0] == [1.0 / 32768, 2.0 / 32768])
    // An unknown chunk claiming ~4 GiB before the data.
    let bigChunk = Make.riff([
      Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16)),
      Chunk("junk", [0, 0], declaredSize: 0xFFFF_FF00),
      Chunk("data", [0, 0]),
    ])
    #expect(
      throws: AudioIOError.absurdSize(field: "\"junk\" chunk size", claimed: 0xFFFF_FF00, availableBytes: 12)
    ) {
      try decode(bigChunk)
    }
    // RF64 with a 2^62-byte data size.
    var ds64 = ByteBuilder()
    ds64.u64(0)
    ds64.u64(1 << 62)
    ds64.u64(0)
    ds64.u32(0)
    let rf64 = Make.riff(
      [
        Chunk("ds64", ds64.bytes), Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16)),
        Chunk("data", [0, 0], declaredSize: 0xFFFF_FFFF),
      ], magic: "RF64", riffSize: 0xFFFF_FFFF)
    #expect(throws: AudioIOError.truncatedData(expectedBytes: 1 << 62, availableBytes: 2)) {
      try decode(rf64)
    }
    #expect(try decode(rf64, lenient: true).buffer.frameCount == 1)
  }

  @Test("missing or malformed chunks are named")
  func missingChunks() {
    #expect(throws: AudioIOError.missingChunk("fmt ")) { try decode(Make.riff([Chunk("data", [0, 0])])) }
    #expect(throws: AudioIOError.missingChunk("data")) {
      try decode(Make.riff([Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16))]))
    }
    #expect(
      throws: AudioIOError.malformedChunk(id: "fmt ", reason: "it holds 14 bytes, at least 16 are needed")
    ) {
      try decode(
        Make.riff([Chunk("fmt ", Array(Make.fmt(tag: 1, channels: 1, bits: 16)[..<14])), Chunk("data", [])]))
    }
    // Extensible with a short (18-byte) fmt chunk.
    var short = Make.fmt(tag: 1, channels: 1, bits: 16)
    short[0] = 0xFE
    short[1] = 0xFF
    short += [0, 0]
    #expect(throws: AudioIOError.self) {
      try decode(Make.riff([Chunk("fmt ", short), Chunk("data", [0, 0])]))
    }
    // An open-ended data chunk before fmt hides the fmt chunk.
    let hidden = Make.riff(
      [
        Chunk("data", [0, 0], declaredSize: 0xFFFF_FFFF),
        Chunk("fmt ", Make.fmt(tag: 1, channels: 1, bits: 16)),
      ])
    #expect(throws: AudioIOError.missingChunk("fmt ")) { try decode(hidden) }
  }

  @Test("RIFF without WAVE is unrecognised")
  func riffWithoutWave() {
    var b = ByteBuilder()
    b.ascii("RIFF")
    b.u32(4)
    b.ascii("AVI ")
    #expect(throws: AudioIOError.unrecognisedFormat(firstBytes: b.bytes)) { try decode(b.bytes) }
  }
}
