import DSP
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
}
