import DSP
@testable import Features
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

  @Test("with the signal, the percussive part is the signal minus the harmonic one",
    arguments: ["noise", "clicks", "short", "tone", "silence", "whisper"])
  func complementEqualsTransformed(_ name: String) throws {
    // "whisper": one sample of 3e-38 in silence, whose spectra are subnormal: bins where both
    // masks are zero but the STFT is not, the groups the extra part transforms.
    let x = name == "whisper" ? (0..<9_000).map { $0 == 4_321 ? Float(3e-38) : 0 } : SyntheticSignals.named(name)
    let stft = try FrontEnd.stft.complex(x)
    var magnitude = FrontEnd.power(x)
    for i in magnitude.values.indices {
      magnitude.values[i] = (stft.real[i] * stft.real[i] + stft.imaginary[i] * stft.imaginary[i]).squareRoot()
    }
    let both = try FrameFeatures.harmonicPercussiveSignals(stft, magnitude: magnitude, transform: FrontEnd.stft)
    let complement = try FrameFeatures.harmonicPercussiveSignals(
      stft, magnitude: magnitude, transform: FrontEnd.stft, signal: x)
    // Given the signal, both come back zero-extended to its length (fix_length).
    let natural = both.harmonic.count
    #expect(complement.harmonic.count == x.count && complement.percussive.count == x.count)
    #expect(Array(complement.harmonic[..<natural]) == both.harmonic)
    #expect(complement.harmonic[natural...].allSatisfy { $0 == 0 } && complement.percussive[natural...].allSatisfy { $0 == 0 })
    // Signals up to 0.9 (the librosa parity test's 2e-6 is the budget; this uses a quarter).
    expectClose(Array(complement.percussive[..<natural]), both.percussive, absolute: 5e-7, "\(name)")
    if name == "whisper" {
      // Every bin is silent, so librosa's parts are zero; the signal minus a zero harmonic part
      // would leave the 3e-38 sample in the percussive one.
      #expect(both.percussive.allSatisfy { $0 == 0 } && both.harmonic.allSatisfy { $0 == 0 })
      #expect(complement.percussive.allSatisfy { abs($0) < Float.leastNormalMagnitude / 4 })  // ≈ 2.9e-39
    }
  }

  @Test("the harmonic row reports bins with energy that both masks zero")
  func harmonicRowFlagsSilentEnergy() {
    func flag(_ h: [Float], _ p: [Float], _ re: [Float]) -> Bool {
      var (hr, hi) = ([Float](repeating: 0, count: h.count), [Float](repeating: 0, count: h.count))
      let im = [Float](repeating: 0, count: h.count)
      return hr.withUnsafeMutableBufferPointer { hr in
        hi.withUnsafeMutableBufferPointer { hi in
          FrameFeatures.harmonicRow(
            real: re, imaginary: im, harmonic: h, percussive: p, count: h.count, power: 2,
            into: (hr.baseAddress!, hi.baseAddress!))
        }
      }
    }
    let loud: [Float] = [1, 2, 3, 4, 5]
    #expect(!flag(loud, loud, loud))
    #expect(flag([1, 0, 3, 4, 5], [1, 0, 3, 4, 5], loud))  // vector lanes
    #expect(flag([1, 2, 3, 4, 0], [1, 2, 3, 4, Float.leastNormalMagnitude / 10], loud))  // scalar tail, subnormal
    #expect(!flag([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]))
  }

  @Test("four-bin soft masks equal the scalar formula bit for bit, with ties and silence",
    arguments: [Float(2), 1.5])
  func rowMasksEqualScalar(power: Float) {
    var state: UInt32 = 11
    func next() -> Float {
      state = state &* 1_664_525 &+ 1_013_904_223
      switch state >> 29 {
      case 0: return 0
      case 1: return Float.leastNormalMagnitude / 10  // ≈ 1.2e-39, below the smallest normal
      case 2: return 0.5
      default: return Float(state >> 8) / Float(1 << 20)
      }
    }
    let count = 39
    let (h, p, re, im) = ((0..<count).map { _ in next() }, (0..<count).map { _ in next() },
      (0..<count).map { _ in next() - 4 }, (0..<count).map { _ in next() })
    var (hr, hi, pr, pi) = ([Float](repeating: .nan, count: count), [Float](repeating: .nan, count: count),
      [Float](repeating: .nan, count: count), [Float](repeating: .nan, count: count))
    hr.withUnsafeMutableBufferPointer { hr in
      hi.withUnsafeMutableBufferPointer { hi in
        pr.withUnsafeMutableBufferPointer { pr in
          pi.withUnsafeMutableBufferPointer { pi in
            FrameFeatures.maskRow(
              real: re, imaginary: im, harmonic: h, percussive: p, count: count, power: power,
              into: (hr.baseAddress!, hi.baseAddress!, pr.baseAddress!, pi.baseAddress!))
          }
        }
      }
    }
    let out = [hr, hi, pr, pi]
    let masks = (0..<count).map { FrameFeatures.softMasks(h[$0], p[$0], power: power, squared: power == 2) }
    #expect(out[0].map(\.bitPattern) == (0..<count).map { (re[$0] * masks[$0].0).bitPattern })
    #expect(out[1].map(\.bitPattern) == (0..<count).map { (im[$0] * masks[$0].0).bitPattern })
    #expect(out[2].map(\.bitPattern) == (0..<count).map { (re[$0] * masks[$0].1).bitPattern })
    #expect(out[3].map(\.bitPattern) == (0..<count).map { (im[$0] * masks[$0].1).bitPattern })
  }
}
