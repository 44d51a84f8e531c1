import DSP
import TestSupport
import Testing

@Suite("MelFilterbank")
struct MelFilterbankTests {
  static func bank(for params: [String: Any]) throws -> MelFilterbank {
    try MelFilterbank(
      sampleRate: params["sr"] as! Int, fftSize: params["n_fft"] as! Int,
      melCount: params["n_mels"] as! Int, minimumFrequency: params["fmin"] as! Double,
      maximumFrequency: params["fmax"] as? Double,
      scale: params["htk"] as! Bool ? .htk : .slaney,
      normalization: params["norm"] is String ? .slaney : .none)
  }

  // Tolerance 1e-6 absolute (weights are ≤ 1 unnormalised, ≤ ~0.03 Slaney-normalised): both
  // sides round the same float64 formula to float32; the nonzero pattern must match exactly.
  @Test("weights equal librosa.filters.mel (Slaney/HTK scales, Slaney/None norms)", arguments: 0..<5)
  func matchesLibrosa(index: Int) throws {
    let meta = Reference.meta("mel_\(index)")
    let bank = try Self.bank(for: meta["params"] as! [String: Any])
    let starts = meta["starts"] as! [Int]
    let counts = meta["counts"] as! [Int]
    let values = Reference.floats("mel_\(index)")
    #expect(bank.binCount == meta["bins"] as! Int)
    var offset = 0
    for m in 0..<bank.melCount {
      let (first, weights) = bank.filter(m)
      #expect(weights.count == counts[m], "filter \(m) width")
      if counts[m] > 0 { #expect(first == starts[m], "filter \(m) start") }
      if weights.count == counts[m] {
        expectClose(
          Array(weights), Array(values[offset..<(offset + counts[m])]), absolute: 1e-6,
          "filter \(m)")
      }
      offset += counts[m]
    }
  }

  @Test("dense matrix and sparse application agree")
  func denseAndSparseAgree() throws {
    let bank = try MelFilterbank(sampleRate: 22_050, fftSize: 2048)
    let dense = bank.denseMatrix()
    var generator = SplitMix(seed: 3)
    let spectrum = (0..<bank.binCount).map { _ in abs(generator.nextFloat()) }
    let sparse = try bank.apply(to: Spectrogram(frameCount: 1, binCount: bank.binCount, values: spectrum))
    let expected = (0..<bank.melCount).map { m in
      (0..<bank.binCount).reduce(0.0) { $0 + Double(dense[m * bank.binCount + $1]) * Double(spectrum[$1]) }
    }
    expectClose(sparse.values, expected, absolute: 1e-6, relative: 1e-5)
  }

  @Test("mel scales round-trip and hit librosa's reference points")
  func scales() {
    expectClose(MelFilterbank.mel(fromHertz: 1000, scale: .slaney), 15.0, absolute: 1e-12)
    expectClose(MelFilterbank.mel(fromHertz: 1000, scale: .htk), 999.9855371396288, absolute: 1e-9)
    for scale in MelFilterbank.Scale.allCases {
      for hz in [0.0, 440, 999.9, 1000, 5000, 11_025] {
        expectClose(
          MelFilterbank.hertz(fromMel: MelFilterbank.mel(fromHertz: hz, scale: scale), scale: scale),
          hz, absolute: 1e-9, relative: 1e-12)
      }
    }
  }

  // Tolerance 2e-6 relative + 1e-7 × frame peak absolute: the power STFT's float32 error
  // (above) carried through positive weighted sums.
  @Test(
    "melspectrogram matches librosa.feature.melspectrogram",
    arguments: ["tone", "noise", "chirp", "clicks", "silence"])
  func melSpectrogram(signal name: String) throws {
    let meta = Reference.meta("melspec_\(name)")
    let frames = meta["frames"] as! [Int]
    let stft = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512)
    let bank = try MelFilterbank(sampleRate: 22_050, fftSize: 2048)
    let mel = try bank.apply(to: stft.power(Reference.signal(name)))
    #expect(mel.frameCount == meta["frame_count"] as! Int)
    let expected = Reference.transpose(Reference.floats("melspec_\(name)"), rows: 128, columns: frames.count)
    let ours = frames.flatMap { mel.frame($0) }
    let peak = Double(expected.max() ?? 0)
    expectClose(ours, expected, absolute: 1e-6 * peak, relative: 2e-6)
  }

  @Test("bad parameters throw typed errors")
  func badParameters() {
    #expect(throws: DSPError.frequencyAboveNyquist(frequency: 12_000, nyquist: 11_025)) {
      try MelFilterbank(sampleRate: 22_050, fftSize: 2048, maximumFrequency: 12_000)
    }
    #expect(throws: DSPError.invalidSampleRate(0)) { try MelFilterbank(sampleRate: 0, fftSize: 2048) }
    #expect(throws: DSPError.invalidFFTSize(1)) { try MelFilterbank(sampleRate: 8000, fftSize: 1) }
    #expect(throws: DSPError.invalidCount(name: "melCount", value: 0, valid: "in 1...4096")) {
      try MelFilterbank(sampleRate: 8000, fftSize: 256, melCount: 0)
    }
    #expect(throws: DSPError.invalidFFTSize(1 << 30)) {
      try MelFilterbank(sampleRate: 8000, fftSize: 1 << 30)
    }
    #expect(throws: DSPError.self) { try MelFilterbank(sampleRate: 8000, fftSize: 256, melCount: 1 << 40) }
    #expect(throws: DSPError.invalidFrequencyRange(minimum: 500, maximum: 100)) {
      try MelFilterbank(sampleRate: 8000, fftSize: 256, minimumFrequency: 500, maximumFrequency: 100)
    }
    #expect(throws: DSPError.self) {
      try MelFilterbank(sampleRate: 8000, fftSize: 256).apply(
        to: Spectrogram(frameCount: 1, binCount: 3, values: [1, 2, 3]))
    }
  }
}
