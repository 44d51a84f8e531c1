@testable import DSP
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

  @Test("the remainder used for the chroma distances is fmod, bit for bit")
  func remainderIsFmod() {
    var state: UInt64 = 3
    var xs: [Double] = [0, 1e-300, 11.999_999_999_999_998, 12, 24, 36 - 1e-14, -5, -1e-20, 0x1p53, 1e300]
    for _ in 0..<20_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      xs.append(Double(state >> 11) / Double(1 << 53) * 400)
    }
    for m in 1...40 { xs += [Double(12 * m).nextDown, Double(12 * m), Double(12 * m).nextUp] }
    for x in xs {
      for n in [12.0, 24, 7] {
        #expect(ChromaFilterbank.remainder(x, n).bitPattern == fmod(x, n).bitPattern, "\(x) mod \(n)")
      }
    }
  }

  // apply(to:) skips weights below 1e-8 of their column's largest: against the dense matrix the
  // per-frame-normalised chroma moves by at most ~2.4e-7 plus float32 summation differences.
  @Test("the sparse projection equals the dense matrix product within float rounding")
  func sparseProjection() throws {
    let bank = try ChromaFilterbank(sampleRate: 22_050, fftSize: 2048, tuning: -0.13)
    var state: UInt32 = 5
    let frames = 9
    let power = Spectrogram(
      frameCount: frames, binCount: bank.binCount,
      values: (0..<(frames * bank.binCount)).map { i in
        state = state &* 1_664_525 &+ 1_013_904_223
        // Noise over a falling envelope, plus a loud low bin in some frames.
        let noise = Float(state >> 8) / Float(1 << 24)
        return noise / Float(1 + i % bank.binCount) + (i % bank.binCount == 40 && i % 2 == 0 ? 50 : 0)
      })
    let sparse = try bank.apply(to: power)
    let w = bank.matrix()
    var kept = 0
    for k in 0..<bank.binCount {
      let column = (0..<12).map { w[$0 * bank.binCount + k] }
      kept += column.filter { $0 >= column.max()! * 1e-8 }.count
    }
    #expect(kept < 12 * bank.binCount * 6 / 10, "\(kept) weights kept")
    for t in 0..<frames {
      let dense = (0..<12).map { c in
        (0..<bank.binCount).reduce(0.0) { $0 + Double(w[c * bank.binCount + $1]) * Double(power[t, $1]) }
      }
      let peak = dense.max()!
      for c in 0..<12 {
        expectClose(Double(sparse[t, c]) / peak, dense[c] / peak, absolute: 1e-6, "frame \(t) chroma \(c)")
      }
    }
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
