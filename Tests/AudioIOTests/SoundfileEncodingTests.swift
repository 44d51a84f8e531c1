import AudioIO
import Foundation
import TestSupport
import Testing

/// A small file written by soundfile and soundfile's own float32 decoding of it
/// (`Scripts/audio_reference.py encodings`).
struct SoundfileCase: Decodable, CustomTestStringConvertible, Sendable {
  var name: String
  var file: String
  var sampleRate: Int
  var channels: Int
  var frames: Int
  /// Interleaved, frame-major.
  var samples: [Double]

  var testDescription: String { name }

  static func all() throws -> [SoundfileCase] {
    struct Fixture: Decodable { var cases: [SoundfileCase] }
    let url = TestData.fixture("soundfile_encodings.json", in: .module)
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).cases
  }
}

@Suite("Files written by soundfile decode exactly as soundfile decodes them")
struct SoundfileEncodingTests {
  @Test(
    "every container and encoding, including all 256 µ-law and A-law codes",
    arguments: try SoundfileCase.all())
  func matchesSoundfile(reference: SoundfileCase) throws {
    let bytes = try #require(Data(base64Encoded: reference.file))
    let decoded = try AudioDecoder.decode(bytes)
    #expect(decoded.info.sampleRate == reference.sampleRate)
    #expect(decoded.info.channelCount == reference.channels)
    #expect(decoded.info.frameCount == reference.frames)
    var interleaved: [Float] = []
    for frame in 0..<decoded.buffer.frameCount {
      for channel in decoded.buffer.channels { interleaved.append(channel[frame]) }
    }
    expectClose(interleaved, reference.samples, absolute: 0, "\(reference.name)")
  }

  @Test("the fixture covers every encoding in WAV and AU")
  func coverage() throws {
    let names = try SoundfileCase.all().map(\.name)
    #expect(names.count == 36)
    for fragment in [
      "WAV ULAW", "WAV ALAW", "AU ULAW", "AU ALAW", "RF64", "WAVEX", "AU PCM_S8", "WAV PCM_U8",
    ] {
      #expect(names.contains { $0.hasPrefix(fragment) }, "\(fragment)")
    }
  }
}
