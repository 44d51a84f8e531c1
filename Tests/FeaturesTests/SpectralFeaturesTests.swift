import DSP
@testable import Features
import Foundation
import Testing
import TestSupport

/// Centroid, bandwidth, roll-off, flatness against librosa on the synthetic signals.
@Suite("Spectral shape features")
struct SpectralFeaturesTests {
  @Test("spectral_centroid, bandwidth, rolloff, flatness match librosa", arguments: SyntheticSignals.names)
  func matchesLibrosa(_ name: String) throws {
    let ref = try SyntheticReference.load(name)
    let x = SyntheticSignals.named(name)
    let magnitude = FrontEnd.magnitude(x)
    let power = FrontEnd.power(x)
    #expect(magnitude.frameCount == ref.frameCount)
    let centroid = FrameFeatures.spectralCentroid(magnitude: magnitude, sampleRate: 22_050)
    // Double sums as librosa's normalise-then-sum; our magnitude is √power in float32, which
    // differs from numpy's |X| by an ulp: 1e-5 relative (absolute 1e-3 Hz for silent frames).
    expectClose(centroid.at(ref.frames), ref.flat("centroid"), absolute: 1e-3, relative: 1e-5, "centroid")
    let bandwidth = try FrameFeatures.spectralBandwidth(magnitude: magnitude, sampleRate: 22_050)
    // Bandwidth weights every bin by (f − c)²: for pure tones and the chirp the float32 FFT's
    // rounding floor in empty bins (implementation-specific, ~1e-7 of the peak) moves it by up to
    // 1e-3 relative; signals that fill the spectrum agree to 1e-5.
    let pure = name == "tone" || name == "chirp"
    expectClose(bandwidth.at(ref.frames), ref.flat("bandwidth"), absolute: 1e-3, relative: pure ? 1e-3 : 1e-5, "bandwidth")
    // Roll-off picks a bin; the float32 running sum reproduces numpy's cumsum, so the bin agrees.
    let rolloff = try FrameFeatures.spectralRolloff(magnitude: magnitude, sampleRate: 22_050)
    expectClose(rolloff.at(ref.frames), ref.flat("rolloff"), absolute: 1e-3, "rolloff")
    // Flatness: a ratio of means of logs of float32 powers (1e-4 relative: log of ulp-level
    // differences near amin dominate on silence-adjacent frames).
    let flatness = try FrameFeatures.spectralFlatness(power: power)
    expectClose(flatness.at(ref.frames), ref.flat("flatness"), absolute: 1e-7, relative: 1e-4, "flatness")
  }

  // Roll-off and contrast from a power spectrogram take square roots per group of four frames:
  // the unchecked vector root when every value is a positive normal number, the checked one
  // otherwise (zeros, subnormals, infinities). Both must give what the magnitudes give.
  @Test("roll-off and contrast from power equal those from magnitudes, zero, subnormal and infinite bins included")
  func fromPower() throws {
    var state: UInt32 = 9
    let bins = 1025
    let frames = 11
    var power = (0..<(frames * bins)).map { _ -> Float in
      state = state &* 1_664_525 &+ 1_013_904_223
      return Float(state >> 8) / Float(1 << 24) * 3
    }
    for k in 0..<bins { power[2 * bins + k] = 0 }  // a silent frame
    power[5 * bins + 700] = 0
    power[6 * bins + 3] = Float.leastNormalMagnitude / 8
    for k in 0..<bins { power[9 * bins + k] = Float.leastNormalMagnitude / Float(1 + k % 5) }
    power[7 * bins + 100] = .infinity  // an overflowed bin: the unchecked root would give NaN
    let p = Spectrogram(frameCount: frames, binCount: bins, values: power)
    // The reference: exact roots (the vector root is within 2 ulps; no frame here sits so close
    // to its threshold that this moves the roll-off bin, and contrast roots its picks exactly).
    let exact = Spectrogram(frameCount: frames, binCount: bins, values: power.map { $0.squareRoot() })
    let (rolloff, contrast) = try FrameFeatures.spectralRolloffAndContrast(power: p, sampleRate: 22_050)
    let rolloffExpected = try FrameFeatures.spectralRolloff(magnitude: exact, sampleRate: 22_050)
    #expect(rolloff == rolloffExpected)
    #expect(rolloff[7] < 2_000 && rolloff[9] > 0 && rolloff.allSatisfy(\.isFinite))
    let contrastExpected = try FrameFeatures.spectralContrast(magnitude: exact, sampleRate: 22_050)
    #expect(contrast.values.map(\.bitPattern) == contrastExpected.values.map(\.bitPattern))
  }

  @Test("bad parameters throw instead of crashing")
  func badParameters() {
    let s = FrontEnd.magnitude(SyntheticSignals.named("tone"))
    #expect(throws: FeatureError.self) { try FrameFeatures.spectralRolloff(magnitude: s, sampleRate: 22_050, rollPercent: 1.5) }
    #expect(throws: FeatureError.self) { try FrameFeatures.spectralBandwidth(magnitude: s, sampleRate: 22_050, p: 0) }
    #expect(throws: FeatureError.self) { try FrameFeatures.spectralFlatness(power: s, amin: 0) }
  }

  @Test("a pure tone's centroid sits on the tone, and white noise is flatter than a tone")
  func physicalSense() throws {
    let tone: [Float] = (0..<22_050).map { n -> Float in
      Float(0.5 * sin(2 * Double.pi * 1000 * Double(n) / 22_050))
    }
    let centroid = FrameFeatures.spectralCentroid(magnitude: FrontEnd.magnitude(tone), sampleRate: 22_050)
    #expect(abs(centroid[20] - 1000) < 30)
    let toneFlat = try FrameFeatures.spectralFlatness(power: FrontEnd.power(tone))
    let noiseFlat = try FrameFeatures.spectralFlatness(power: FrontEnd.power(SyntheticSignals.named("noise")))
    #expect(noiseFlat[20] > 100 * toneFlat[20])
  }
}
