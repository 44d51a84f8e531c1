import DSP
import TestSupport
import Testing

@Suite("DiscreteCosineTransform")
struct DiscreteCosineTransformTests {
  // Tolerance 1e-6 absolute on unit-variance inputs: float32 basis and accumulation over ≤ 128
  // terms against scipy's float64 result.
  @Test("equals scipy.fftpack.dct(type=2, norm='ortho')", arguments: [1, 2, 13, 128])
  func matchesScipy(length: Int) throws {
    let dct = try DiscreteCosineTransform(inputCount: length)
    expectClose(
      dct.transform(Reference.floats("dct_in_\(length)")), Reference.floats("dct_out_\(length)"),
      absolute: 1e-6 * Double(length).squareRoot())
  }

  @Test("orthonormal: energy is preserved and a truncated transform keeps the leading rows")
  func orthonormal() throws {
    var generator = SplitMix(seed: 11)
    let x = (0..<40).map { _ in generator.nextFloat() }
    let full = try DiscreteCosineTransform(inputCount: 40).transform(x)
    let energy = x.reduce(0) { $0 + Double($1 * $1) }
    expectClose(full.reduce(0) { $0 + Double($1 * $1) }, energy, relative: 1e-5)
    let first = try DiscreteCosineTransform(inputCount: 40, outputCount: 5).transform(x)
    #expect(first == Array(full.prefix(5)))
  }

  // librosa.feature.mfcc(y, sr=22050): power STFT (n_fft 2048, hop 512, Hann, centred,
  // pad_mode 'constant') → Slaney mel 128 → power_to_db(ref 1, amin 1e-10, top_db 80) →
  // DCT-II ortho → first 20. The reference is librosa's own float32 pipeline on the float32
  // signal. Tolerance 1e-3 absolute on values of magnitude up to ~10³ (measured ≤ 2.5e-4, i.e.
  // about two float32 ulps of the largest coefficient): float32 rounding in both pipelines
  // (librosa's mel product and dB are float32 too), amplified by log10 at quiet bins.
  @Test(
    "MFCC 20 from these pieces matches librosa.feature.mfcc",
    arguments: ["tone", "noise", "chirp", "clicks", "silence"])
  func mfccParity(signal name: String) throws {
    let stft = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512)
    let bank = try MelFilterbank(sampleRate: 22_050, fftSize: 2048)
    let dct = try DiscreteCosineTransform(inputCount: 128, outputCount: 20)
    let mel = try bank.apply(to: stft.power(Reference.signal(name)))
    let mfcc = try dct.transform(Decibels.powerToDecibels(mel))
    let expected = Reference.floats("mfcc_\(name)")
    #expect(Reference.shape("mfcc_\(name)") == [20, mfcc.frameCount])
    let reference = Reference.transpose(expected, rows: 20, columns: mfcc.frameCount)
    expectClose(
      mfcc.values, reference, absolute: 1e-3, "mfcc \(name): \(discrepancy(mfcc.values, reference))")
  }

  @Test("bad counts and shapes throw typed errors")
  func badCounts() {
    #expect(throws: DSPError.self) { try DiscreteCosineTransform(inputCount: 0) }
    #expect(throws: DSPError.self) { try DiscreteCosineTransform(inputCount: 4, outputCount: 5) }
    #expect(throws: DSPError.self) {
      try DiscreteCosineTransform(inputCount: 4).transform(
        Spectrogram(frameCount: 1, binCount: 3, values: [1, 2, 3]))
    }
  }
}
