import Foundation

/// A band-limited rational resampler: polyphase FIR filtering exactly as
/// `scipy.signal.resample_poly(x, up, down)` (Kaiser β = 5 windowed sinc), which is
/// `librosa.resample(y, orig_sr=, target_sr=, res_type='polyphase')`, including librosa's final
/// `fix_length` to `ceil(n · target/source)` samples.
///
/// With `up/down = target/source` in lowest terms and `R = max(up, down)`, the filter has
/// `2·10R + 1` taps `h[j] = up · w_K(j) · sinc((j − 10R)/R) / R`, normalised to unit DC gain
/// before the factor `up` (scipy's `firwin(…, 1/R, window=('kaiser', 5.0))`; rounded to float32 as
/// scipy does for float32 input). Output `i` is
/// `Σ_j h[j] · x_up[(i + n_pre_remove)·down − n_pre_pad − j]` over the zero-stuffed input
/// `x_up`, evaluated per phase so only every `up`-th tap is touched.
///
/// librosa's default `res_type='soxr_hq'` uses the SoX library; this resampler does not reproduce
/// it bit for bit, but both are band-limited with stop-band attenuation well below 16-bit noise.
public struct Resampler: Sendable {
  /// Input sample rate in Hz.
  public let sourceRate: Int
  /// Output sample rate in Hz.
  public let targetRate: Int
  /// Upsampling factor (`targetRate / gcd`).
  public let up: Int
  /// Downsampling factor (`sourceRate / gcd`).
  public let down: Int
  /// Taps per phase, reversed so each output is a forward dot product with the input.
  let phases: [[Float]]
  /// `10 · max(up, down)`.
  let halfLength: Int
  let prePad: Int
  let preRemove: Int

  /// Creates a resampler between two integer rates.
  ///
  /// - Parameters:
  ///   - sourceRate: input rate in Hz, > 0.
  ///   - targetRate: output rate in Hz, > 0 (e.g. 22 050).
  /// - Throws: ``DSPError/invalidSampleRate(_:)`` for a non-positive rate, and
  ///   ``DSPError/invalidParameter(name:value:valid:)`` when the reduced ratio needs more than
  ///   10⁶ taps (e.g. two large coprime rates).
  /// - Complexity: O(`20·max(up, down)`) once, for the filter.
  public init(from sourceRate: Int, to targetRate: Int) throws(DSPError) {
    guard sourceRate > 0 else { throw .invalidSampleRate(sourceRate) }
    guard targetRate > 0 else { throw .invalidSampleRate(targetRate) }
    var a = sourceRate
    var b = targetRate
    while b != 0 { (a, b) = (b, a % b) }
    let up = targetRate / a
    let down = sourceRate / a
    let maxRate = max(up, down)
    guard maxRate <= 50_000 else {
      throw .invalidParameter(
        name: "rate ratio \(targetRate)/\(sourceRate) filter length",
        value: Double(20 * maxRate + 1), valid: "<= 1_000_001 taps (use rates with a larger common divisor)")
    }
    self.sourceRate = sourceRate
    self.targetRate = targetRate
    self.up = up
    self.down = down
    let half = 10 * maxRate
    halfLength = half
    prePad = down - half % down
    preRemove = (half + prePad) / down

    // scipy.signal.firwin(2·half + 1, 1/maxRate, window=('kaiser', 5.0)), scale=True.
    let taps = 2 * half + 1
    let cutoff = 1.0 / Double(maxRate)
    var h = [Double](repeating: 0, count: taps)
    let i0Beta = Self.besselI0(5.0)
    for j in 0..<taps {
      let m = Double(j) - Double(half)
      let x = cutoff * m
      let sinc = x == 0 ? 1.0 : sin(Double.pi * x) / (Double.pi * x)
      let r = (Double(j) - Double(half)) / Double(half)
      let window = Self.besselI0(5.0 * max(0, 1 - r * r).squareRoot()) / i0Beta
      h[j] = cutoff * sinc * window
    }
    let sum = h.reduce(0, +)
    let scaled = h.map { Float($0 / sum) * Float(up) }
    var phases: [[Float]] = []
    for p in 0..<up {
      let forward = Swift.stride(from: p, to: taps, by: up).map { scaled[$0] }
      phases.append(forward.reversed())
    }
    self.phases = phases
  }

  /// The modified Bessel function of the first kind, order 0, by its power series
  /// `Σ ((x/2)^k / k!)²` (converges fast for the small arguments of a Kaiser window).
  static func besselI0(_ x: Double) -> Double {
    var sum = 1.0
    var term = 1.0
    let q = x * x / 4
    var k = 1.0
    while term > 1e-17 * sum {
      term *= q / (k * k)
      sum += term
      k += 1
    }
    return sum
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
  /// - Complexity: O(output × `20·max(up, down)/up`) — about 40 multiply–adds per output sample
  ///   when downsampling 44.1 → 22.05 kHz.
  public func resample(_ signal: [Float]) throws(DSPError) -> [Float] {
    try signal.withUnsafeBufferPointer { (x) throws(DSPError) in try DSPError.validate(x) }
    if up == 1 && down == 1 { return signal }
    let n = signal.count
    let scipyCount = (n * up + down - 1) / down
    let count = outputCount(forInputCount: n)
    var out = [Float](repeating: 0, count: count)
    // All phases' taps in one flat array: phase p at offsets[p] ..< offsets[p] + lengths[p].
    var flat: [Float] = []
    var offsets: [Int] = []
    var lengths: [Int] = []
    for taps in phases {
      offsets.append(flat.count)
      lengths.append(taps.count)
      flat.append(contentsOf: taps)
    }
    signal.withUnsafeBufferPointer { x in
      flat.withUnsafeBufferPointer { f in
        out.withUnsafeMutableBufferPointer { y in
          for i in 0..<min(count, scipyCount) {
            let c = (i + preRemove) * down - prePad
            let phase = c % up
            let base = (c - phase) / up  // input index multiplying tap `phase`
            let taps = f.baseAddress! + offsets[phase]
            let k = lengths[phase]
            // taps (reversed) pair with x[base − k + 1 ... base].
            let first = base - k + 1
            if first >= 0 && base < n {
              y[i] = dot(taps, x.baseAddress! + first, count: k)
            } else {
              var acc: Float = 0
              for t in 0..<k {
                let j = first + t
                if j >= 0 && j < n { acc += taps[t] * x[j] }
              }
              y[i] = acc
            }
          }
        }
      }
    }
    return out
  }
}
