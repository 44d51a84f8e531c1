import DSP
import Features
import Foundation
import Testing
import TestSupport

@Suite("Onset strength and tempo")
struct OnsetTempoTests {
  @Test("median onset strength matches librosa", arguments: SyntheticSignals.names)
  func onsetMatchesLibrosa(_ name: String) throws {
    let ref = try SyntheticReference.load(name)
    let logMel = try FrameFeatures.logMelSpectrogram(
      power: FrontEnd.power(SyntheticSignals.named(name)), filterbank: FrontEnd.mel)
    let onset = FrameFeatures.onsetStrength(logMel: logMel, fftSize: 2048, hopLength: 512, aggregate: .median)
    #expect(onset.count == ref.frameCount)
    // Medians of differences of dB values: the dB tolerance (1e-3) doubled.
    expectClose(onset.at(ref.frames), ref.flat("onset"), absolute: 2e-3, "onset")
  }

  @Test("a click train at 150 BPM is estimated at 150 BPM (or an octave of it)")
  func clickTrain() throws {
    let sr = 22_050
    let period = 60.0 / 150 * Double(sr)
    var x = [Float](repeating: 0, count: sr * 12)
    var t = 0.0
    while Int(t) < x.count {
      for j in 0..<64 where Int(t) + j < x.count { x[Int(t) + j] = Float(sin(Double(j) * 0.9)) * 0.8 }
      t += period
    }
    let logMel = try FrameFeatures.logMelSpectrogram(power: FrontEnd.power(x), filterbank: FrontEnd.mel)
    let onset = FrameFeatures.onsetStrength(logMel: logMel, fftSize: 2048, hopLength: 512, aggregate: .median)
    let bpm = try FrameFeatures.tempo(onsetEnvelope: onset, sampleRate: sr, hopLength: 512)
    // Lags are whole frames: 150 BPM lies between lags 17 (152.0) and 18 (143.6).
    #expect(abs(bpm - 152.0) < 1 || abs(bpm - 76.0) < 1, "estimated \(bpm) BPM")
  }

  @Test("tempo refuses empty envelopes and bad priors")
  func badInput() {
    #expect(throws: FeatureError.emptySignal) { try FrameFeatures.tempo(onsetEnvelope: [], sampleRate: 22_050, hopLength: 512) }
    #expect(throws: FeatureError.self) {
      try FrameFeatures.tempo(onsetEnvelope: [1, 2, 3], sampleRate: 22_050, hopLength: 512, startBPM: -1)
    }
  }
  @Test("median onset strength equals the sorted median of the rectified flux", arguments: [127, 128, 5, 2])
  func medianDefinition(_ bands: Int) {
    var state: UInt32 = 99
    let frames = 40
    // Coarse values (many ties and exact zeros of the flux) in [−4, 4].
    let values: [Float] = (0..<(frames * bands)).map { _ in
      state = state &* 1_664_525 &+ 1_013_904_223
      return Float(Int(state >> 24) % 9) - 4
    }
    let logMel = Spectrogram(frameCount: frames, binCount: bands, values: values)
    let got = FrameFeatures.onsetStrength(logMel: logMel, fftSize: 2048, hopLength: 512, aggregate: .median)
    let shift = 1 + 2048 / 1024
    var expected = [Float](repeating: 0, count: frames)
    for t in 1..<frames where t - 1 + shift < frames {
      let flux = (0..<bands).map { max(0, values[t * bands + $0] - values[(t - 1) * bands + $0]) }.sorted()
      expected[t - 1 + shift] = bands % 2 == 1 ? flux[bands / 2] : (flux[bands / 2 - 1] + flux[bands / 2]) / 2
    }
    #expect(got == expected)
  }
}
