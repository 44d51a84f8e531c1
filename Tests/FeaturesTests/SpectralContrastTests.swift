import DSP
import Features
import Testing
import TestSupport

@Suite("spectral_contrast")
struct SpectralContrastTests {
  /// Not the tone and chirp: most of their octave bands hold nothing but the float32 FFT's
  /// rounding floor (~1e-7 of the peak), whose quantiles are implementation noise, so the
  /// contrast there differs between any two FFTs by dBs. Noise, clicks, silence and the short
  /// clip fill every band.
  @Test("spectral_contrast matches librosa", arguments: ["noise", "clicks", "silence", "short"])
  func matchesLibrosa(_ name: String) throws {
    let ref = try SyntheticReference.load(name)
    let contrast = try FrameFeatures.spectralContrast(
      magnitude: FrontEnd.magnitude(SyntheticSignals.named(name)), sampleRate: 22_050)
    #expect(contrast.binCount == 7)
    // Differences of dB values of float32 quantile means: 1e-3 dB absolute.
    expectClose(contrast.rows(ref.frames), ref.flat("contrast"), absolute: 1e-3, relative: 1e-5, "contrast")
  }

  @Test("a tone's contrast is highest in the band holding it")
  func toneBand() throws {
    let contrast = try FrameFeatures.spectralContrast(
      magnitude: FrontEnd.magnitude(SyntheticSignals.named("tone")), sampleRate: 22_050)
    let frame = Array(contrast.frame(30))
    // 440 Hz lies in band 2 (200–400 Hz edges widened by one bin: 400–800 Hz is band 2).
    #expect(frame[2] > 40, "\(frame)")
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
