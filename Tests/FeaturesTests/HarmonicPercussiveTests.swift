import DSP
import Features
import Testing
import TestSupport

@Suite("HPSS and inverse STFT")
struct HarmonicPercussiveTests {
  /// Not the 700-sample clip: with 2 frames librosa's soft masks are NaN in some bins (its
  /// result is undefined there); ours stay finite (checked in FeatureExtractorTests).
  @Test("harmony/perceptr time signals match librosa's hpss + istft + fix_length",
    arguments: ["tone", "chirp", "noise", "clicks", "silence"])
  func matchesLibrosa(_ name: String) throws {
    let ref = try SyntheticReference.load(name)
    let x = SyntheticSignals.named(name)
    let stft = try FrontEnd.stft.complex(x)
    let (h, p) = try FrameFeatures.harmonicPercussive(stft)
    let harmonic = try FrontEnd.stft.inverse(h)
    let percussive = try FrontEnd.stft.inverse(p)
    #expect(harmonic.count == 512 * (ref.frameCount - 1))
    let hs = ref.sampleIndices.map { $0 < harmonic.count ? harmonic[$0] : 0 }
    let ps = ref.sampleIndices.map { $0 < percussive.count ? percussive[$0] : 0 }
    // Masked float32 spectra through a float32 inverse FFT and overlap-add: 2e-6 absolute on
    // signals up to 0.9 (about 16 float32 ulps of the largest sample).
    expectClose(hs, ref.harmonic, absolute: 2e-6, "harmonic")
    expectClose(ps, ref.percussive, absolute: 2e-6, "percussive")
  }

  @Test("istft inverts stft (centred, reflect padding) and honours length")
  func roundTrip() throws {
    let x = SyntheticSignals.named("chirp")
    let stft = try FrontEnd.stft.complex(x)
    let y = try FrontEnd.stft.inverse(stft, length: x.count)
    #expect(y.count == x.count)
    expectClose(y, x, absolute: 1e-5)
    let natural = try FrontEnd.stft.inverse(stft)
    #expect(natural.count == 512 * (stft.frameCount - 1))
  }
  @Test("the fused HPSS signals equal istft of the stored masked parts, bit for bit",
    arguments: ["noise", "clicks", "short"])
  func fusedEqualsStored(_ name: String) throws {
    let x = SyntheticSignals.named(name)
    let stft = try FrontEnd.stft.complex(x)
    var magnitude = FrontEnd.power(x)
    for i in magnitude.values.indices {
      magnitude.values[i] = (stft.real[i] * stft.real[i] + stft.imaginary[i] * stft.imaginary[i]).squareRoot()
    }
    let (h, p) = try FrameFeatures.harmonicPercussive(stft)
    let fused = try FrameFeatures.harmonicPercussiveSignals(stft, magnitude: magnitude, transform: FrontEnd.stft)
    #expect(fused.harmonic == (try FrontEnd.stft.inverse(h)))
    #expect(fused.percussive == (try FrontEnd.stft.inverse(p)))
  }
}
