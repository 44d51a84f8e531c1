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
  /// librosa's definition written out frame by frame: edge padding, |x| ≤ 1e-10 counts as zero,
  /// a crossing where neighbouring sign bits differ.
  static func referenceZCR(_ x: [Float], frameLength: Int, hopLength: Int, center: Bool) -> [Float] {
    let pad = center ? frameLength / 2 : 0
    let padded = (0..<(x.count + 2 * pad)).map { x[min(max($0 - pad, 0), x.count - 1)] }
    let negative = padded.map { abs($0) <= 1e-10 ? false : $0.sign == .minus }
    let frames = 1 + (padded.count - frameLength) / hopLength
    return (0..<frames).map { t in
      let start = t * hopLength
      var crossings = 0
      for j in (start + 1)..<(start + frameLength) where negative[j] != negative[j - 1] { crossings += 1 }
      return Float(crossings) / Float(frameLength)
    }
  }

  @Test(
    "zero_crossing_rate equals the frame-by-frame definition for any framing",
    arguments: [(2048, 512, true), (2048, 512, false), (7, 3, true), (5, 9, true), (16, 16, false), (1, 1, true)])
  func framings(_ frameLength: Int, _ hopLength: Int, _ center: Bool) throws {
    // Noise with runs of exact and near zeros (|x| ≤ 1e-10 counts as zero), negative zeros and
    // values just above the threshold.
    var state: UInt32 = 12_345
    let x: [Float] = (0..<5_003).map { i in
      state = state &* 1_664_525 &+ 1_013_904_223
      let v = Float(Int32(bitPattern: state)) / Float(Int32.max)
      switch i % 37 {
      case 0...3: return 0
      case 4: return -0.0
      case 5: return -1e-11
      case 6: return 2e-10
      case 7: return -2e-10
      default: return v
      }
    }
    let got = try FrameFeatures.zeroCrossingRate(x, frameLength: frameLength, hopLength: hopLength, center: center)
    #expect(got == Self.referenceZCR(x, frameLength: frameLength, hopLength: hopLength, center: center))
  }
}
