import DSP
import Testing

@Suite("Spectrogram")
struct SpectrogramTests {
  @Test("frames-major layout: [frame, bin] is values[frame * binCount + bin]")
  func layout() {
    var s = Spectrogram(frameCount: 2, binCount: 3, values: [0, 1, 2, 10, 11, 12])
    #expect(s[1, 2] == 12)
    #expect(s[0, 1] == 1)
    #expect(Array(s.frame(1)) == [10, 11, 12])
    s[0, 0] = -1
    #expect(s.values[0] == -1)
  }
}
