import DSP
import Features
import Testing
import TestSupport

/// Zero-crossing rate and RMS against librosa.
@Suite("Time-domain features")
struct TimeDomainFeaturesTests {
  @Test("zero_crossing_rate and rms match librosa", arguments: SyntheticSignals.names)
  func matchesLibrosa(_ name: String) throws {
    let ref = try SyntheticReference.load(name)
    let x = SyntheticSignals.named(name)
    let zcr = try FrameFeatures.zeroCrossingRate(x)
    #expect(zcr.count == ref.frameCount)
    // Counts of sign changes divided by 2048: exact.
    expectClose(zcr.at(ref.frames), ref.flat("zcr"), "zcr")
    // Mean of squares over 2048 float32 values: float32 rounding, 1e-6 relative.
    let rms = try FrameFeatures.rms(x, padMode: .reflect)
    expectClose(rms.at(ref.frames), ref.flat("rms"), absolute: 1e-9, relative: 1e-6, "rms")
  }

  @Test("empty and ill-formed inputs throw")
  func badInput() {
    #expect(throws: FeatureError.emptySignal) { try FrameFeatures.zeroCrossingRate([]) }
    #expect(throws: FeatureError.emptySignal) { try FrameFeatures.rms([]) }
    #expect(throws: FeatureError.self) { try FrameFeatures.rms([1, 2], hopLength: 0) }
    #expect(throws: FeatureError.self) { try FrameFeatures.zeroCrossingRate([1, 2], center: false) }
  }
}
