import AudioIO
import Foundation
import Testing

@Suite("AudioFormatInfo and SampleEncoding")
struct AudioFormatInfoTests {
  @Test("description is one readable line")
  func description() {
    let info = AudioFormatInfo(
      container: .wav, encoding: .signedInteger(bits: 16), sampleRate: 22_050, channelCount: 1,
      frameCount: 661_794)
    #expect(info.description == "WAV, PCM 16-bit, 22050 Hz, 1 ch, 661794 frames (30.013 s)")
    #expect(abs(info.duration - 661_794.0 / 22_050) < 1e-12)
  }

  @Test("bits and bytes per sample")
  func sizes() {
    let cases: [(SampleEncoding, Int)] = [
      (.unsignedInteger8, 8), (.signedInteger(bits: 24), 24), (.float32, 32), (.float64, 64),
      (.muLaw, 8), (.aLaw, 8),
    ]
    for (encoding, bits) in cases {
      #expect(encoding.bitsPerSample == bits)
      #expect(encoding.bytesPerSample == bits / 8)
    }
  }

  @Test("Codable round trip")
  func codable() throws {
    let info = AudioFormatInfo(
      container: .au, encoding: .muLaw, sampleRate: 8000, channelCount: 2, frameCount: 3)
    let data = try JSONEncoder().encode(info)
    #expect(try JSONDecoder().decode(AudioFormatInfo.self, from: data) == info)
  }
}
