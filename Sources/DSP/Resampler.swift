import Foundation

/// A band-limited rational resampler close to librosa's default
/// `librosa.resample(y, orig_sr=, target_sr=)` (`res_type='soxr_hq'`, libsoxr's HQ recipe),
/// including librosa's final `fix_length` to `ceil(n · target/source)` samples.
///
/// One linear-phase Kaiser-windowed sinc, designed as soxr_hq specifies its response: flat pass
/// band to 0.9137 of the lower rate's Nyquist frequency (10 074 Hz when the target is 22 050 Hz),
/// stop band from that Nyquist frequency, 120.4 dB stop-band attenuation (Kaiser `β = 12.31`,
/// about `182 · max(up, down)` taps; 365 for 44.1 → 22.05 kHz). With `up/down = target/source`
/// in lowest terms, output `i` is `Σ_k x[k] · h[i·down − k·up + half]`: it lies at the time
/// `i / targetRate` as soxr's does (no delay), and samples outside the signal read as zeros.
///
/// Measured against librosa's output (`Scripts/resample_reference.py`: librosa 0.11.0, python-soxr
/// 1.1.0) on faded band-limited signals, as the power of the difference relative to the signal's
/// (`ResamplerTests`):
/// - 44.1 → 22.05 kHz (a single 2:1 stage in soxr): −124 to −133 dB, float32 rounding;
/// - 48, 96, 16 and 8 → 22.05 kHz: −82 to −98 dB for a multitone and a chirp below 0.85 of the
///   target Nyquist frequency, −61.7 dB for a tone at 0.9 of it. The difference is soxr's own
///   pass-band droop for ratios that are not a power of two (≤ 0.01 dB by design: −0.0017 dB at
///   0.8, −0.0071 dB at 0.9 of Nyquist, from its interpolation stage), which this flat filter does
///   not reproduce; below 0.7 of Nyquist (7.7 kHz) it is under −90 dB;
/// - a 15 kHz tone at 44.1, 48 or 96 kHz comes out at −138.8 dB or lower (soxr: −141 to −144 dB).
///
/// The previous filter (scipy `resample_poly`, Kaiser β = 5, librosa's `res_type='polyphase'`)
/// differed from soxr_hq by −58 to −62 dB on the same signals and let 15 kHz alias at −62 dB.
public struct Resampler: Sendable {
  /// Input sample rate in Hz.
  public let sourceRate: Int
  /// Output sample rate in Hz.
  public let targetRate: Int
  /// Upsampling factor (`targetRate / gcd`).
  public let up: Int
  /// Downsampling factor (`sourceRate / gcd`).
  public let down: Int
  /// The filter, per phase.
  let filter: ResamplingFilter

  /// Creates a resampler between two integer rates.
  ///
  /// - Parameters:
  ///   - sourceRate: input rate in Hz, > 0.
  ///   - targetRate: output rate in Hz, > 0 (e.g. 22 050).
  /// - Throws: ``DSPError/invalidSampleRate(_:)`` for a non-positive rate, and
  ///   ``DSPError/invalidParameter(name:value:valid:)`` when the reduced ratio needs more than
  ///   4·10⁶ taps (`max(up, down)` above about 22 000, e.g. two large coprime rates).
  /// - Complexity: O(`182 · max(up, down)`) once, for the filter (about 60 k taps for
  ///   48 → 22.05 kHz).
  public init(from sourceRate: Int, to targetRate: Int) throws(DSPError) {
    guard sourceRate > 0 else { throw .invalidSampleRate(sourceRate) }
    guard targetRate > 0 else { throw .invalidSampleRate(targetRate) }
    var a = sourceRate
    var b = targetRate
    while b != 0 { (a, b) = (b, a % b) }
    let up = targetRate / a
    let down = sourceRate / a
    let taps = 2 * ResamplingFilter.halfLength(up: up, down: down) + 1
    guard taps <= ResamplingFilter.maximumTapCount else {
      throw .invalidParameter(
        name: "rate ratio \(targetRate)/\(sourceRate) filter length", value: Double(taps),
        valid: "<= \(ResamplingFilter.maximumTapCount) taps (use rates with a larger common divisor)")
    }
    self.sourceRate = sourceRate
    self.targetRate = targetRate
    self.up = up
    self.down = down
    filter = ResamplingFilter(up: up, down: down)
  }

  /// Whether the rates are equal (the input is returned unchanged, as librosa does).
  public var isIdentity: Bool { up == 1 && down == 1 }

  /// How far past an output sample's time the filter reads the input, in seconds: half the
  /// filter's length, `half / (up · sourceRate)`. About 4.1 ms for 44.1 to 96 kHz input, 5.7 ms
  /// for 16 kHz and 11.4 ms for 8 kHz (it scales with `1 / min(sourceRate, targetRate)`); 0 for
  /// equal rates. ``StreamingResampler`` holds each output back by this much input.
  public var lookAheadSeconds: Double {
    isIdentity ? 0 : Double(filter.half) / (Double(up) * Double(sourceRate))
  }

  /// The output length for `inputCount` samples: librosa's `ceil(n · target/source)` (computed
  /// in floating point as librosa does).
  public func outputCount(forInputCount inputCount: Int) -> Int {
    Int((Double(inputCount) * (Double(targetRate) / Double(sourceRate))).rounded(.up))
  }

  /// Resamples a signal.
  ///
  /// - Parameter signal: samples at ``sourceRate``.
  /// - Returns: ``outputCount(forInputCount:)`` samples at ``targetRate`` (a copy when the rates
  ///   are equal, as librosa returns the input).
  /// - Throws: ``DSPError/emptySignal``, ``DSPError/nonFiniteSample(index:)``.
  /// - Complexity: O(output × `182 · max(up, down) / up`): about 365 multiply–adds per output
  ///   sample for 44.1 → 22.05 kHz and 395 for 48 → 22.05 kHz, in SIMD dot products that share
  ///   each load of the taps between eight outputs.
  public func resample(_ signal: [Float]) throws(DSPError) -> [Float] {
    try signal.withUnsafeBufferPointer { (x) throws(DSPError) in try DSPError.validate(x) }
    if isIdentity { return signal }
    let count = outputCount(forInputCount: signal.count)
    var out = [Float](repeating: 0, count: count)
    signal.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { y in
        filter.run(x, origin: 0, available: x.count, outputs: 0, count, into: y.baseAddress!)
      }
    }
    return out
  }
}
