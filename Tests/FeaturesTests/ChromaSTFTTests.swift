import DSP
import Features
import Foundation
import Testing
import TestSupport

@Suite("chroma_stft")
struct ChromaSTFTTests {
  @Test("chroma_stft (estimated tuning, inf-norm) matches librosa", arguments: SyntheticSignals.names)
  func matchesLibrosa(_ name: String) throws {
    let ref = try SyntheticReference.load(name)
    let chroma = try FrameFeatures.chroma(power: FrontEnd.power(SyntheticSignals.named(name)), sampleRate: 22_050)
    #expect(chroma.binCount == 12)
    // Filterbank products of float32 powers, normalised to the frame maximum: 1e-5 absolute.
    expectClose(chroma.rows(ref.frames), ref.flat("chroma"), absolute: 1e-5, relative: 1e-5, "chroma")
  }

  @Test("a 440 Hz tone peaks on A")
  func toneOnA() throws {
    let x: [Float] = (0..<22_050).map { n -> Float in
      Float(0.5 * sin(2 * Double.pi * 440 * Double(n) / 22_050))
    }
    let chroma = try FrameFeatures.chroma(power: FrontEnd.power(x), sampleRate: 22_050)
    let frame = Array(chroma.frame(20))
    #expect(frame.firstIndex(of: frame.max()!) == 9)  // C = 0 … A = 9
  }
}
