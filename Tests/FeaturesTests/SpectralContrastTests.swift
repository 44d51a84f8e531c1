import DSP
import Features
import Testing
import TestSupport

@Suite("spectral_contrast")
struct SpectralContrastTests {
  @Test("spectral_contrast matches librosa", arguments: SyntheticSignals.names)
  func matchesLibrosa(_ name: String) throws {
    let ref = try SyntheticReference.load(name)
    let contrast = try FrameFeatures.spectralContrast(
      magnitude: FrontEnd.magnitude(SyntheticSignals.named(name)), sampleRate: 22_050)
    #expect(contrast.binCount == 7)
    // Differences of dB values of float32 quantile means: 1e-3 dB absolute.
    expectClose(contrast.rows(ref.frames), ref.flat("contrast"), absolute: 1e-3, relative: 1e-5, "contrast")
  }

  @Test("bands above Nyquist are refused")
  func nyquist() {
    let s = FrontEnd.magnitude(SyntheticSignals.named("tone"))
    #expect(throws: FeatureError.self) {
      try FrameFeatures.spectralContrast(magnitude: s, sampleRate: 8_000)
    }
    #expect(throws: FeatureError.self) {
      try FrameFeatures.spectralContrast(magnitude: s, sampleRate: 22_050, quantile: 0)
    }
  }
}
