import Foundation

/// A chroma filterbank mapping FFT bins to pitch classes, exactly as `librosa.filters.chroma`.
///
/// Bin `k > 0` at frequency `f_k = k·sr/n_fft` sits at `b_k = n_chroma · log2(f_k / (A440/16))`
/// chroma bins (with `A440 = 440 · 2^(tuning/n_chroma)`); bin 0 is put 1.5 octaves below bin 1.
/// Each bin contributes a Gaussian bump `exp(−½ (2·D / w_k)²)` to chroma `c`, where `D` is the
/// distance from `b_k` to `c` wrapped into `[−n/2, n/2)` and `w_k = max(b_{k+1} − b_k, 1)`.
/// Columns are L2-normalised across chroma, weighted by a Gaussian over octaves centred at
/// `centerOctave` with width `octaveWidth`, and (with `baseC`) rotated so row 0 is C.
/// Weights are computed in `Double` over all `n_fft` bins as librosa does, then rounded to
/// `Float`; ``matrix()`` is that dense matrix (the bumps never reach exactly 0).
///
/// ``apply(to:)`` skips the weights below 10⁻⁸ of their column's largest: above about 180 Hz
/// (where `w_k = 1`) that is every chroma more than 3 bins from `b_k` (`exp(−2·3.03²)` ≈ 10⁻⁸),
/// about half of the matrix. A skipped weight `W[c, k] < 10⁻⁸·max_c′ W[c′, k]` changes chroma
/// `c` by less than `10⁻⁸·Σₖ max_c′ W[c′, k]·S[k] ≤ 10⁻⁸·Σ_c′ chroma[c′] ≤ 1.2·10⁻⁷·max chroma`,
/// so a max-normalised chroma value moves by at most about 2.4·10⁻⁷, the size of float32 rounding
/// in the sums themselves.
public struct ChromaFilterbank: Sendable {
  /// Sample rate in Hz.
  public let sampleRate: Int
  /// The FFT size the filters are laid over.
  public let fftSize: Int
  /// Number of chroma bins per octave (`n_chroma`).
  public let chromaCount: Int
  /// Tuning deviation from A440 in fractions of a chroma bin (`tuning`).
  public let tuning: Double
  /// FFT bins per frame, `fftSize / 2 + 1`.
  public let binCount: Int
  /// The dense `chromaCount × binCount` weights, row-major (librosa's layout).
  let weights: [Float]
  /// The weights applied: runs of those at least 10⁻⁸ of their column's largest.
  let projection: BandedProjection

  /// The relative size below which a weight is left out of ``apply(to:)``.
  static let negligibleWeight: Float = 1e-8

  /// Builds the filterbank, as `librosa.filters.chroma(sr=, n_fft=, n_chroma=, tuning=,
  /// ctroct=, octwidth=, norm=2, base_c=)`.
  ///
  /// - Parameters:
  ///   - sampleRate: `sr` in Hz, > 0.
  ///   - fftSize: `n_fft`, in `2...2²⁰`.
  ///   - chromaCount: `n_chroma`, in `1...240` (default 12).
  ///   - tuning: deviation from A440 in chroma bins (default 0; see ``TuningEstimator``).
  ///   - centerOctave: `ctroct`, centre of the octave weighting (default 5).
  ///   - octaveWidth: `octwidth` in octaves, or `nil` for flat weighting (default 2).
  ///   - baseC: start at C rather than A (default `true`).
  /// - Throws: ``DSPError/invalidSampleRate(_:)``, ``DSPError/invalidFFTSize(_:)``,
  ///   ``DSPError/invalidCount(name:value:valid:)``, ``DSPError/invalidParameter(name:value:valid:)``.
  /// - Complexity: O(`chromaCount × fftSize`) once.
  public init(
    sampleRate: Int, fftSize: Int, chromaCount: Int = 12, tuning: Double = 0,
    centerOctave: Double = 5, octaveWidth: Double? = 2, baseC: Bool = true
  ) throws(DSPError) {
    guard sampleRate > 0 else { throw .invalidSampleRate(sampleRate) }
    guard fftSize >= 2, fftSize <= RealFFTPlan.maximumPowerOfTwoSize else { throw .invalidFFTSize(fftSize) }
    guard chromaCount >= 1, chromaCount <= 240 else {
      throw .invalidCount(name: "chromaCount", value: chromaCount, valid: "in 1...240")
    }
    guard tuning.isFinite, tuning >= -0.5, tuning <= 0.5 else {
      throw .invalidParameter(name: "tuning", value: tuning, valid: "in -0.5...0.5 chroma bins")
    }
    if let octaveWidth, !(octaveWidth > 0 && octaveWidth.isFinite) {
      throw .invalidParameter(name: "octaveWidth", value: octaveWidth, valid: "> 0 (or nil)")
    }
    guard centerOctave.isFinite else {
      throw .invalidParameter(name: "centerOctave", value: centerOctave, valid: "finite")
    }
    self.sampleRate = sampleRate
    self.fftSize = fftSize
    self.chromaCount = chromaCount
    self.tuning = tuning
    binCount = fftSize / 2 + 1
    let n = Double(chromaCount)
    let nfft = fftSize

    // frqbins over all n_fft bins: np.linspace(0, sr, n_fft, endpoint=False)[1:].
    let step = Double(sampleRate) / Double(nfft)
    // Columns are normalised one by one and only the first n_fft/2 + 1 are kept, so only those
    // are computed (each needs its bin and the next one's, for the width).
    let used = min(binCount, nfft)
    var bins = [Double](repeating: 0, count: nfft)
    // TuningEstimator.octaves(fromHertz:tuning:binsPerOctave:) with its reference pitch
    // computed once (the same arithmetic, so the same values).
    let a440 = 440.0 * pow(2.0, tuning / Double(chromaCount))
    for k in 1..<min(used + 1, nfft) { bins[k] = n * log2(Double(k) * step / (a440 / 16)) }
    bins[0] = nfft > 1 ? bins[1] - 1.5 * n : 0
    var widths = [Double](repeating: 1, count: nfft)
    for k in 0..<min(used, nfft - 1) { widths[k] = max(bins[k + 1] - bins[k], 1) }
    let half = (n / 2).rounded(.toNearestOrEven)

    var dense = [Double](repeating: 0, count: chromaCount * nfft)
    for k in 0..<used {
      var norm = 0.0
      for c in 0..<chromaCount {
        let x = bins[k] - Double(c) + half + 10 * n
        var d = Self.remainder(x, n)
        if d != 0 && d < 0 { d += n }
        d -= half
        let z = 2 * d / widths[k]
        let w = exp(-0.5 * z * z)
        dense[c * nfft + k] = w
        norm += w * w
      }
      norm = norm.squareRoot()
      // librosa.util.normalize leaves columns below the smallest normal number unscaled.
      let scale = norm < Double.leastNormalMagnitude ? 1 : norm
      var octaveWeight = 1.0
      if let octaveWidth {
        let z = (bins[k] / n - centerOctave) / octaveWidth
        octaveWeight = exp(-0.5 * z * z)
      }
      for c in 0..<chromaCount { dense[c * nfft + k] = dense[c * nfft + k] / scale * octaveWeight }
    }
    let shift = baseC ? 3 * (chromaCount / 12) : 0
    var weights = [Float](repeating: 0, count: chromaCount * binCount)
    for r in 0..<chromaCount {
      // np.roll(wts, -shift, axis=0): new row r is old row (r + shift) mod n.
      let source = (r + shift) % chromaCount
      for k in 0..<binCount { weights[r * binCount + k] = Float(dense[source * nfft + k]) }
    }
    self.weights = weights
    var applied = weights
    for k in 0..<binCount {
      var largest: Float = 0
      for c in 0..<chromaCount { largest = max(largest, weights[c * binCount + k]) }
      let floor = largest * Self.negligibleWeight
      for c in 0..<chromaCount where applied[c * binCount + k] < floor { applied[c * binCount + k] = 0 }
    }
    projection = BandedProjection(sparseRows: applied, rowCount: chromaCount, inputCount: binCount)
  }

  /// `fmod(x, n)` for an integer-valued `n > 0`: for `0 ≤ x < 2⁵²` as `x − n·⌊x/n⌋` with the
  /// quotient corrected by one where `x/n` rounded across an integer (every step is exact there:
  /// `n·q` is an integer and `x − n·q` falls within Sterbenz's range), else the C library's.
  @inline(__always)
  static func remainder(_ x: Double, _ n: Double) -> Double {
    guard x >= 0, x < 0x1p52 else { return fmod(x, n) }
    var r = x - n * (x / n).rounded(.down)
    if r < 0 { r += n } else if r >= n { r -= n }
    return r
  }

  /// The dense `chromaCount × binCount` weight matrix, row-major (librosa's layout).
  public func matrix() -> [Float] { weights }

  /// Projects every frame of a (power) spectrogram onto the chroma bins:
  /// `chroma[t, c] = Σₖ W[c, k]·S[t, k]` (the `einsum` in `librosa.feature.chroma_stft`, before
  /// its per-frame normalisation). Weights below 10⁻⁸ of their column's largest are skipped (see the type's notes).
  ///
  /// - Parameter spectrogram: frames of ``binCount`` bins.
  /// - Returns: frames of ``chromaCount`` values, frames-major.
  /// - Throws: ``DSPError/shapeMismatch(expected:actual:)`` when the bin count differs.
  /// - Complexity: O(frames × kept weights), about half of `chromaCount` × `binCount` for
  ///   `n_fft` 2048 at 22 050 Hz.
  public func apply(to spectrogram: Spectrogram) throws(DSPError) -> Spectrogram {
    guard spectrogram.binCount == binCount else {
      throw .shapeMismatch(
        expected: "\(binCount) bins per frame (n_fft \(fftSize))",
        actual: "\(spectrogram.binCount)")
    }
    return projection.apply(to: spectrogram)
  }
}
