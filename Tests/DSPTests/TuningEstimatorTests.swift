@testable import DSP
import Foundation
import TestSupport
import Testing

@Suite("TuningEstimator")
struct TuningEstimatorTests {
  @Test("pitch tuning: exact semitones give 0, a sharp A gives its offset, nothing gives 0")
  func pitchTuning() {
    #expect(TuningEstimator.pitchTuning([440, 880, 261.6256]) == 0)
    let sharp = Float(440 * pow(2.0, 0.25 / 12))
    expectClose(TuningEstimator.pitchTuning([sharp, sharp * 2]), 0.25, absolute: 0.011)
    #expect(TuningEstimator.pitchTuning([]) == 0)
    #expect(TuningEstimator.pitchTuning([0, -3]) == 0)
  }

  @Test("piptrack finds a pure tone's frequency by parabolic interpolation")
  func pitchTrackTone() throws {
    let stft = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512)
    let tone = (0..<11_025).map { Float(0.5 * sin(2 * Double.pi * 1234.5 * Double($0) / 22_050)) }
    let (pitches, _) = try TuningEstimator.pitchTrack(stft.power(tone), sampleRate: 22_050)
    let middle = pitches.frame(10).filter { $0 > 0 }
    #expect(middle.count == 1)
    // Parabolic interpolation of a Hann-windowed peak on the power spectrum: within 0.2 bin.
    expectClose(Double(middle.first ?? 0), 1234.5, absolute: 0.2 * 22_050 / 2048)
  }

  @Test(
    "estimate_tuning of librosa's fixtures is reproduced exactly (0.01-bin quantised)",
    arguments: ["tone", "chirp", "noise", "detuned", "clicks"])
  func estimateTuning(signal name: String) throws {
    let stft = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512)
    let power = try stft.power(Reference.signal(name))
    let expected = Reference.meta("chroma_stft_\(name)")["tuning"] as! Double
    #expect(abs(try TuningEstimator.estimateTuning(power, sampleRate: 22_050) - expected) < 1e-9)
  }

  @Test("octaves(fromHertz:) is librosa.hz_to_octs: A440 is 4 octaves above A440/16")
  func octaves() {
    expectClose(TuningEstimator.octaves(fromHertz: 440), 4.0, absolute: 1e-12)
    expectClose(TuningEstimator.octaves(fromHertz: 27.5), 0.0, absolute: 1e-12)
    expectClose(TuningEstimator.octaves(fromHertz: 440, tuning: 0.5), 4 - 0.5 / 12, absolute: 1e-12)
  }

  @Test("bad inputs throw typed errors")
  func badInputs() {
    let s = Spectrogram(frameCount: 1, binCount: 5, values: [1, 2, 3, 2, 1])
    #expect(throws: DSPError.invalidSampleRate(0)) { try TuningEstimator.pitchTrack(s, sampleRate: 0) }
    let one = Spectrogram(frameCount: 1, binCount: 1, values: [1])
    #expect(throws: DSPError.self) { try TuningEstimator.estimateTuning(one, sampleRate: 8000) }
  }

  @Test("selection gives the sorted array's value at every rank and partitions around it")
  func selection() {
    var state: UInt32 = 7
    for n in [1, 2, 3, 8, 9, 100, 1001] {
      for duplicates in [false, true] {
        let values = (0..<n).map { _ -> Float in
          state = state &* 1_664_525 &+ 1_013_904_223
          return duplicates ? Float(state >> 29) : Float(state >> 8) / 1000
        }
        let sorted = values.sorted()
        for k in Set([0, n / 2, n - 1, (n - 1) / 2]) {
          var a = values
          let v = TuningEstimator.smallest(rank: k, of: &a)
          #expect(v == sorted[k], "n \(n) rank \(k)")
          #expect(a.sorted() == sorted)
          #expect(a[..<k].allSatisfy { $0 <= v } && a[(k + 1)...].allSatisfy { $0 >= v })
        }
      }
    }
    var ascending = (0..<500).map(Float.init)
    #expect(TuningEstimator.smallest(rank: 250, of: &ascending) == 250)
  }
}
