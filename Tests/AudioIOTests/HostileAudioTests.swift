import Foundation
import Testing

@testable import AudioIO

/// Hostile and extreme inputs (issue 8) not covered by the per-parser suites: extreme sample rates,
/// one-sample files, 8 kHz and 192 kHz, NaN and infinite float samples through both decoders.
@Suite("Hostile audio: extreme rates, one-sample files, non-finite floats")
struct HostileAudioTests {
  /// Decodes `bytes` whole and streamed in chunks of `chunk` frames, expects the same samples.
  func decodeBothWays(_ bytes: [UInt8], chunk: Int = 1) throws -> DecodedAudio {
    let whole = try AudioDecoder.decode(bytes)
    let reader = try AudioStreamReader(data: Data(bytes))
    var channels = [[Float]](repeating: [], count: whole.info.channelCount)
    while let buffer = try reader.read(maxFrames: chunk) {
      for c in channels.indices { channels[c] += buffer.channels[c] }
    }
    #expect(reader.info == whole.info)
    for c in channels.indices {
      #expect(channels[c].map(\.bitPattern) == whole.buffer.channels[c].map(\.bitPattern))
    }
    return whole
  }

  @Test("sample rates of 1 Hz and 4 000 000 000 Hz are carried through (WAV and AU); 0 is rejected")
  func extremeRates() throws {
    for rate in [1, 4_000_000_000, 0xFFFF_FFFF] {
      let wav = try decodeBothWays(Make.wav(rate: rate, bits: 16, data: ByteBuilder.samples([7], width: 2)))
      #expect(wav.info.sampleRate == rate && wav.buffer.sampleRate == rate)
      #expect(wav.info.duration == 1 / Double(rate))
      let au = try decodeBothWays(Make.au(encoding: 3, rate: rate, data: ByteBuilder.samples([7], width: 2, bigEndian: true)))
      #expect(au.info.sampleRate == rate && au.buffer.channels == [[7.0 / 32768]])
    }
    #expect(throws: AudioIOError.invalidSampleRate(0)) {
      try AudioDecoder.decode(Make.au(encoding: 3, rate: 0, data: [0, 0]))
    }
  }

  @Test("one-sample files in every WAV format at 8 kHz and 192 kHz, mono and 3 channels")
  func oneSampleFiles() throws {
    for format in WAVSampleFormat.allCases {
      for rate in [8_000, 192_000] {
        for channelCount in [1, 3] {
          let input = AudioBuffer(channels: (0..<channelCount).map { [Float($0) * 0.25 - 0.25] }, sampleRate: rate)
          let decoded = try decodeBothWays(Array(WAVEncoder.encode(input, as: format)))
          #expect(decoded.info.frameCount == 1 && decoded.info.sampleRate == rate)
          #expect(decoded.info.channelCount == channelCount && decoded.info.encoding == format.encoding)
          for c in 0..<channelCount {
            // 8-bit has the coarsest step (1/128); every value here is exactly representable.
            #expect(decoded.buffer.channels[c] == input.channels[c], "\(format) \(rate) Hz channel \(c)")
          }
        }
      }
    }
  }

  @Test("NaN and ±infinity float samples pass through unchanged, WAV and AU, 32 and 64 bits")
  func nonFiniteFloats() throws {
    let values: [Double] = [.nan, .infinity, -.infinity, -0.0, 1e300, Double(Float.leastNonzeroMagnitude)]
    let expected: [Float] = [.nan, .infinity, -.infinity, -0.0, .infinity, .leastNonzeroMagnitude]
    for width in [4, 8] {
      let wav = try decodeBothWays(Make.wav(tag: 3, bits: 8 * width, data: ByteBuilder.floats(values, width: width)))
      let au = try decodeBothWays(
        Make.au(encoding: width == 4 ? 6 : 7, data: ByteBuilder.floats(values, width: width, bigEndian: true)),
        chunk: 4)
      for decoded in [wav, au] {
        let samples = decoded.buffer.channels[0]
        #expect(samples[0].isNaN)
        // 1e300 overflows Float: written as float32 it is already +inf, read as float64 it rounds to +inf.
        #expect(samples[1...].map(\.bitPattern) == expected[1...].map(\.bitPattern), "width \(width)")
      }
    }
  }

  @Test("a header claiming 0xFFFFFFFE data bytes over 2 bytes allocates by the real size when streamed")
  func claimedFourGigabytesStreamed() throws {
    let bytes = Make.riff([
      Chunk("fmt ", Make.fmt(tag: 3, channels: 1, bits: 64)),
      Chunk("data", [0, 0], declaredSize: 0xFFFF_FFFE),
    ])
    #expect(throws: AudioIOError.truncatedData(expectedBytes: 0xFFFF_FFFE, availableBytes: 2)) {
      try AudioStreamReader(data: Data(bytes))
    }
    let reader = try AudioStreamReader(data: Data(bytes), options: .init(lenient: true))
    #expect(reader.knownFrameCount == 0)
    #expect(try reader.read(maxFrames: 1 << 30) == nil)
    #expect(reader.scratchByteCount == 0)
  }
}
