import AudioIO
import Testing

@Suite("AudioBuffer")
struct AudioBufferTests {
  @Test("mono of one channel is that channel, unchanged")
  func monoOfOneChannel() {
    let samples: [Float] = [0.25, -1, 1, 0.1]
    #expect(AudioBuffer(channels: [samples], sampleRate: 8000).mono() == samples)
  }

  @Test("mono averages channels frame by frame, as librosa.to_mono does")
  func monoAveragesChannels() {
    let buffer = AudioBuffer(
      channels: [[1, 0.5, -1], [0, 0.5, 1], [0.5, -1, 0.25]], sampleRate: 44_100)
    #expect(buffer.mono() == [0.5, 0, 0.25 / 3])
    #expect(buffer.frameCount == 3)
    #expect(buffer.channelCount == 3)
    #expect(abs(buffer.duration - 3.0 / 44_100) < 1e-15)
  }
}
