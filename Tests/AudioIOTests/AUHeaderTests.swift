import Testing

@testable import AudioIO

@Suite("Sun/NeXT AU parsing")
struct AUHeaderTests {
  func decode(_ bytes: [UInt8], lenient: Bool = false) throws(AudioIOError) -> DecodedAudio {
    try AudioDecoder.decode(bytes, options: DecodingOptions(lenient: lenient))
  }

  @Test("linear 8/16/24/32-bit encodings are big-endian and signed")
  func linear() throws {
    for (code, bits) in [(2, 8), (3, 16), (4, 24), (5, 32)] {
      let full = 1 << (bits - 1)
      let values = [0, 1, -1, full - 1, -full, full / 4]
      let bytes = Make.au(encoding: code, data: ByteBuilder.samples(values, width: bits / 8, bigEndian: true))
      let d = try decode(bytes)
      #expect(d.info.container == .au)
      #expect(d.info.encoding == .signedInteger(bits: bits))
      #expect(d.buffer.channels[0] == values.map { Float($0) / Float(full) }, "encoding \(code)")
    }
  }

  @Test("float and double encodings (6, 7)")
  func floats() throws {
    let values = [0.5, -0.125, 2, 1e-3]
    let f = try decode(Make.au(encoding: 6, data: ByteBuilder.floats(values, width: 4, bigEndian: true)))
    #expect(f.info.encoding == .float32)
    #expect(f.buffer.channels[0] == values.map { Float($0) })
    let d = try decode(Make.au(encoding: 7, data: ByteBuilder.floats(values, width: 8, bigEndian: true)))
    #expect(d.info.encoding == .float64)
    #expect(d.buffer.channels[0] == values.map { Float($0) })
  }

  @Test("µ-law (1) and A-law (27)")
  func g711() throws {
    let codes: [UInt8] = [0x00, 0xFF, 0x80, 0xD5, 0x55]
    let mu = try decode(Make.au(encoding: 1, data: codes))
    #expect(mu.info.encoding == .muLaw)
    #expect(mu.buffer.channels[0] == codes.map { Float(G711.muLawToLinear($0)) / 32768 })
    let a = try decode(Make.au(encoding: 27, data: codes))
    #expect(a.info.encoding == .aLaw)
    #expect(a.buffer.channels[0] == codes.map { Float(G711.aLawToLinear($0)) / 32768 })
  }

  @Test("the annotation is skipped by the data offset; stereo de-interleaves")
  func annotationAndChannels() throws {
    let annotation = Array("recorded by a test, with a long annotation\0\0".utf8)
    let bytes = Make.au(
      encoding: 3, channels: 2, rate: 11_025,
      data: ByteBuilder.samples([1000, -1000, 2000, -2000], width: 2, bigEndian: true), annotation: annotation
    )
    let d = try decode(bytes)
    #expect(d.info.sampleRate == 11_025)
    let expected: [[Float]] = [[1000, 2000], [-1000, -2000]].map { $0.map { $0 / 32768 } }
    #expect(d.buffer.channels == expected)
    // A data offset of exactly 24 (no annotation) is accepted too.
    let bare = Make.au(
      encoding: 3, data: ByteBuilder.samples([256], width: 2, bigEndian: true), annotation: [])
    #expect(try decode(bare).buffer.channels[0] == [256.0 / 32768])
  }

  @Test("data size 0xFFFFFFFF means unknown: read to the end")
  func unknownSize() throws {
    let bytes = Make.au(
      encoding: 3, data: ByteBuilder.samples([1, 2, 3], width: 2, bigEndian: true), dataSize: 0xFFFF_FFFF)
    let d = try decode(bytes)
    #expect(d.info.frameCount == 3)
    #expect(d.buffer.channels[0] == [1, 2, 3].map { Float($0) / 32768 })
  }

  @Test("a declared size shorter than the input stops there")
  func declaredSizeStops() throws {
    let bytes = Make.au(
      encoding: 3, data: ByteBuilder.samples([1, 2, 3], width: 2, bigEndian: true), dataSize: 4)
    #expect(try decode(bytes).buffer.channels[0] == [1, 2].map { Float($0) / 32768 })
  }

  @Test("the little-endian 'dns.' variant")
  func littleEndianVariant() throws {
    let bytes = Make.au(encoding: 3, data: ByteBuilder.samples([-16384], width: 2), littleEndian: true)
    // The magic written little-endian is "dns.".
    #expect(Array(bytes[0..<4]) == Array("dns.".utf8))
    #expect(try decode(bytes).buffer.channels[0] == [-0.5])
  }

  @Test("bad headers: unsupported encoding, zero or huge channel counts, zero rate, bad offset")
  func badHeaders() {
    #expect(throws: AudioIOError.unsupportedEncoding(container: .au, code: 23, detail: "G.721 ADPCM")) {
      try decode(Make.au(encoding: 23, data: [0]))
    }
    #expect(throws: AudioIOError.invalidChannelCount(0)) {
      try decode(Make.au(encoding: 3, channels: 0, data: []))
    }
    #expect(throws: AudioIOError.invalidChannelCount(4_000_000_000)) {
      try decode(Make.au(encoding: 3, channels: 4_000_000_000, data: [0, 0]))
    }
    #expect(throws: AudioIOError.invalidSampleRate(0)) {
      try decode(Make.au(encoding: 3, rate: 0, data: [0, 0]))
    }
    var lowOffset = Make.au(encoding: 3, data: [0, 0], annotation: [])
    lowOffset[7] = 8  // data offset 8, inside the header
    #expect(
      throws: AudioIOError.absurdSize(
        field: "AU data offset (below the 24-byte header)", claimed: 8, availableBytes: 26)
    ) {
      try decode(lowOffset)
    }
    var farOffset = Make.au(encoding: 3, data: [0, 0], annotation: [])
    farOffset[4] = 0x7F  // data offset ~2 GiB
    #expect(
      throws: AudioIOError.truncatedHeader(container: .au, neededBytes: 0x7F00_0018, availableBytes: 26)
    ) {
      try decode(farOffset)
    }
  }
}
