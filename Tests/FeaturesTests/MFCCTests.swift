import DSP
import Features
import Testing
import TestSupport

@Suite("Mel spectrogram, MFCC, delta")
struct MFCCTests {
  @Test("log-mel, MFCC and delta match librosa", arguments: SyntheticSignals.names)
  func matchesLibrosa(_ name: String) throws {
    let ref = try SyntheticReference.load(name)
    let power = FrontEnd.power(SyntheticSignals.named(name))
    let logMel = try FrameFeatures.logMelSpectrogram(power: power, filterbank: FrontEnd.mel)
    // dB values up to ±100 from float32 log10: 1e-3 dB absolute (1e-5 relative to the range).
    expectClose(logMel.rows(ref.frames), ref.flat("melDB"), absolute: 1e-3, relative: 1e-5, "melDB")
    let mfcc = try FrameFeatures.mfcc(logMel: logMel, transform: FrontEnd.dct)
    // A 128-term float32 dot product of dB values: 2e-3 absolute on coefficients up to ~1000.
    expectClose(mfcc.rows(ref.frames), ref.flat("mfcc"), absolute: 2e-3, relative: 1e-5, "mfcc")
    if ref.features["delta"] != nil {
      let delta = try FrameFeatures.delta(mfcc)
      // Slopes of 9 MFCC values (/60): the MFCC tolerance scaled by Σ|j|/60 = 1/3.
      expectClose(delta.rows(ref.frames), ref.flat("delta"), absolute: 1e-3, relative: 1e-5, "delta")
    } else {
      #expect(throws: FeatureError.self) { try FrameFeatures.delta(mfcc) }
    }
  }

  @Test("delta of a linear ramp is its slope everywhere, including the edges")
  func deltaOfRamp() throws {
    let ramp = Spectrogram(frameCount: 12, binCount: 1, values: (0..<12).map { 3 * Float($0) + 1 })
    let delta = try FrameFeatures.delta(ramp)
    expectClose(delta.values, [Float](repeating: 3, count: 12), absolute: 1e-6)
    #expect(throws: FeatureError.self) { try FrameFeatures.delta(ramp, width: 4) }
  }
}
