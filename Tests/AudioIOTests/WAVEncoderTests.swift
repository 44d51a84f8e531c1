import Foundation
import TestSupport
import Testing

@testable import AudioIO

@Suite("WAVEncoder: layout, quantisation and round trips")
struct WAVEncoderTests {
  /// A deterministic signal in [-1, 1) including both ends of the range and zero.
  static func signal(channels: Int, frames: Int = 257) -> AudioBuffer {
    var planar: [[Float]] = []
    for c in 0..<channels {
      var samples: [Float] = [-1, 0, 0.5, -0.5]
      for i in samples.count..<frames {
        let phase = Double(i * (c + 1)) * 0.0371
        samples.append(Float(0.999 * sin(phase) * cos(phase * 0.13 + Double(c))))
      }
      planar.append(samples)
    }
    return AudioBuffer(channels: planar, sampleRate: 22_050)
  }

  static let formatsAndChannels: [(WAVSampleFormat, Int)] =
    WAVSampleFormat.allCases.flatMap { format in [1, 2, 3, 6].map { (format, $0) } }

  @Test("write → read round trips within half a quantisation step", arguments: formatsAndChannels)
  func roundTrip(format: WAVSampleFormat, channels: Int) throws {
    let buffer = Self.signal(channels: channels)
    let decoded = try AudioDecoder.decode(WAVEncoder.encode(buffer, as: format))
    #expect(decoded.info.encoding == format.encoding)
    #expect(decoded.info.channelCount == channels)
    #expect(decoded.info.sampleRate == 22_050)
    #expect(decoded.buffer.frameCount == buffer.frameCount)
    let step = format.isFloat ? 0 : 1 / Double(1 << (format.bitsPerSample - 1))
    for c in 0..<channels {
      // Half a step of quantisation, plus Float rounding of 32-bit values (2^-24 relative).
      expectClose(
        decoded.buffer.channels[c], buffer.channels[c], absolute: step / 2, relative: 6e-8,
        "\(format), channel \(c)")
    }
  }

  @Test("plain PCM for ≤ 2 channels of ≤ 16 bits, WAVE_FORMAT_EXTENSIBLE otherwise; fact for floats")
  func headerLayout() throws {
    let mono16 = [UInt8](WAVEncoder.encode(Self.signal(channels: 1, frames: 10), as: .pcm16))
    #expect(mono16.count == 44 + 20)
    #expect(Array(mono16[0..<4]) == Array("RIFF".utf8))
    #expect(Array(mono16[12..<16]) == Array("fmt ".utf8))
    #expect(mono16[16] == 16 && mono16[20] == 1 && mono16[21] == 0)  // 16-byte fmt, tag 1
    #expect(Array(mono16[36..<40]) == Array("data".utf8))
    #expect(Int(mono16[4]) | Int(mono16[5]) << 8 == mono16.count - 8)

    let stereo24 = [UInt8](WAVEncoder.encode(Self.signal(channels: 2, frames: 10), as: .pcm24))
    #expect(stereo24[16] == 40 && stereo24[20] == 0xFE && stereo24[21] == 0xFF)  // extensible
    #expect(Array(stereo24[44..<60]) == Make.guid(tag: 1))
    #expect(Array(stereo24[60..<64]) == Array("data".utf8))

    let six8 = [UInt8](WAVEncoder.encode(Self.signal(channels: 6, frames: 10), as: .pcm8))
    #expect(six8[20] == 0xFE)

    let float = [UInt8](WAVEncoder.encode(Self.signal(channels: 1, frames: 10), as: .float32))
    #expect(Array(float[44..<60]) == Make.guid(tag: 3))
    #expect(Array(float[60..<64]) == Array("fact".utf8))
    #expect(float[68] == 10)  // frames per channel
    #expect(Array(float[72..<76]) == Array("data".utf8))
  }

  @Test("an odd data size gets a pad byte")
  func padByte() throws {
    let buffer = AudioBuffer(channels: [[0, 0.5, -0.5]], sampleRate: 8000)
    let bytes = WAVEncoder.encode(buffer, as: .pcm8)
    #expect(bytes.count == 44 + 3 + 1)
    #expect(try AudioDecoder.decode(bytes).buffer == buffer)
  }

  @Test("quantisation: round half to even of x·2^(bits−1), clipped; NaN → 0")
  func quantisation() {
    let lsb: Float = 1.0 / 32768
    let cases: [(Float, Int64)] = [
      (0, 0), (0.5 * lsb, 0), (1.5 * lsb, 2), (2.5 * lsb, 2), (0.7 * lsb, 1), (-0.3 * lsb, 0),
      (-0.7 * lsb, -1), (-2.5 * lsb, -2), (1, 32767), (1.5, 32767), (-1, -32768), (-7, -32768),
      (.nan, 0), (.infinity, 32767), (-.infinity, -32768),
    ]
    for (x, q) in cases {
      #expect(WAVEncoder.quantise(x, bits: 16) == q, "x = \(x / lsb) LSB")
    }
    #expect(WAVEncoder.quantise(1, bits: 8) == 127)
    #expect(WAVEncoder.quantise(-1, bits: 24) == -8_388_608)
    #expect(WAVEncoder.quantise(1, bits: 32) == 2_147_483_647)
    #expect(WAVEncoder.quantise(-1, bits: 32) == -2_147_483_648)
    // pcm8 stores q + 128.
    let bytes = [UInt8](
      WAVEncoder.encode(AudioBuffer(channels: [[-1, 0, 1, 0.25]], sampleRate: 8000), as: .pcm8))
    #expect(Array(bytes[44..<48]) == [0, 128, 255, 160])
  }

  @Test("files beyond the RIFF size limit are written as RF64 (threshold lowered for the test)")
  func rf64() throws {
    let buffer = Self.signal(channels: 2, frames: 50)
    let bytes = [UInt8](WAVEncoder.encode(buffer, as: .pcm16, rf64Above: 100))
    #expect(Array(bytes[0..<4]) == Array("RF64".utf8))
    #expect(Array(bytes[12..<16]) == Array("ds64".utf8))
    let decoded = try AudioDecoder.decode(bytes)
    #expect(decoded.info.container == .rf64)
    #expect(decoded.buffer == (try AudioDecoder.decode(WAVEncoder.encode(buffer, as: .pcm16)).buffer))
  }

  @Test("write(_:to:as:) writes a file and reports failures")
  func writeFile() throws {
    let directory = try TestData.temporaryDirectory("audioio-encoder")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("out.wav")
    let buffer = Self.signal(channels: 2, frames: 100)
    try WAVEncoder.write(buffer, to: url, as: .float32)
    #expect(try AudioDecoder.decode(contentsOf: url).buffer == buffer)
    let bad = directory.appendingPathComponent("missing/folder/out.wav")
    #expect(throws: AudioIOError.self) { try WAVEncoder.write(buffer, to: bad, as: .pcm16) }
    do {
      try WAVEncoder.write(buffer, to: bad, as: .pcm16)
    } catch {
      guard case .writeFailed(let path, _) = error else {
        Issue.record("expected writeFailed, got \(error)")
        return
      }
      #expect(path == bad.path)
    }
  }

  @Test("an empty buffer writes a valid file with no frames")
  func empty() throws {
    let buffer = AudioBuffer(channels: [[], []], sampleRate: 48_000)
    for format in WAVSampleFormat.allCases {
      let decoded = try AudioDecoder.decode(WAVEncoder.encode(buffer, as: format))
      #expect(decoded.buffer == buffer, "\(format)")
    }
  }
}
