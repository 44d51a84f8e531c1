import DSP
import Foundation
import TestSupport
import Testing

@Suite("ChromaFilterbank")
struct ChromaFilterbankTests {
  // Tolerance 1e-6 absolute on weights ≤ 1: both sides evaluate the same float64 formula and
  // round once to float32.
  @Test("weights equal librosa.filters.chroma", arguments: 0..<3)
  func matchesLibrosa(index: Int) throws {
    let name = "chroma_fb_\(index)"
    let params = Reference.meta(name)["params"] as! [String: Any]
    let bank = try ChromaFilterbank(
      sampleRate: params["sr"] as! Int, fftSize: params["n_fft"] as! Int,
      chromaCount: params["n_chroma"] as! Int, tuning: params["tuning"] as! Double,
      centerOctave: params["ctroct"] as? Double ?? 5,
      octaveWidth: params.keys.contains("octwidth") ? params["octwidth"] as? Double : 2,
      baseC: params["base_c"] as? Bool ?? true)
    #expect(Reference.shape(name) == [bank.chromaCount, bank.binCount])
    expectClose(bank.matrix(), Reference.floats(name), absolute: 1e-6)
  }

  // chroma_stft = normalize_inf(chroma_fb(tuning = estimate_tuning(S)) @ S) with S the power
  // STFT. The estimated tuning must equal librosa's exactly (it is quantised to 0.01 bins);
  // chroma values tolerate 5e-6 absolute on [0, 1] (measured ≤ 5e-7; float32 power parity ~2e-7, summed
  // over 1025 bins and divided by the frame maximum).
  @Test(
    "estimate_tuning and chroma_stft match librosa",
    arguments: ["tone", "chirp", "noise", "detuned", "clicks"])
  func chromaSTFT(signal name: String) throws {
    let meta = Reference.meta("chroma_stft_\(name)")
    let stft = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512)
    let power = try stft.power(Reference.signal(name))
    let tuning = try TuningEstimator.estimateTuning(power, sampleRate: 22_050)
    #expect(abs(tuning - (meta["tuning"] as! Double)) < 1e-9, "tuning of \(name)")
    let bank = try ChromaFilterbank(sampleRate: 22_050, fftSize: 2048, tuning: tuning)
    var chroma = try bank.apply(to: power)
    for t in 0..<chroma.frameCount {
      let peak = chroma.frame(t).max()!
      if peak >= Float.leastNormalMagnitude {
        for c in 0..<12 { chroma[t, c] /= peak }
      }
    }
    let expected = Reference.transpose(
      Reference.floats("chroma_stft_\(name)"), rows: 12, columns: chroma.frameCount)
    expectClose(chroma.values, expected, absolute: 5e-6, "chroma \(name)")
  }

  @Test("bad parameters throw typed errors")
  func badParameters() {
    #expect(throws: DSPError.invalidSampleRate(-1)) { try ChromaFilterbank(sampleRate: -1, fftSize: 2048) }
    #expect(throws: DSPError.invalidFFTSize(0)) { try ChromaFilterbank(sampleRate: 22_050, fftSize: 0) }
    #expect(throws: DSPError.self) { try ChromaFilterbank(sampleRate: 22_050, fftSize: 2048, chromaCount: 0) }
    #expect(throws: DSPError.self) { try ChromaFilterbank(sampleRate: 22_050, fftSize: 2048, tuning: 0.7) }
    #expect(throws: DSPError.self) { try ChromaFilterbank(sampleRate: 22_050, fftSize: 2048, octaveWidth: 0) }
    #expect(throws: DSPError.self) {
      try ChromaFilterbank(sampleRate: 22_050, fftSize: 8).apply(
        to: Spectrogram(frameCount: 1, binCount: 2, values: [1, 1]))
    }
  }
}
