import DSP
import Foundation

extension FrameFeatures {
  /// Spectral contrast per octave band, as `librosa.feature.spectral_contrast(S=|X|, sr=…,
  /// fmin=200, n_bands=6, quantile=0.02, linear=False)`.
  ///
  /// Band edges are `0, fmin, 2·fmin, …, 2^nBands·fmin` Hz; band `b` takes the bins with
  /// `lowᵦ ≤ f ≤ highᵦ`, plus the bin just below (bands after the first) and every bin above the
  /// top edge (the last band), minus its highest bin (all bands but the last). With `q =
  /// max(1, rint(quantile · bins in band))`, the valley is the mean of the `q` smallest and the peak
  /// the mean of the `q` largest magnitudes; the contrast is `power_to_db(peak) −
  /// power_to_db(valley)`, each `power_to_db` (ref 1, amin 1e-10, top_db 80) taken over its whole
  /// `bands × frames` array as librosa does.
  ///
  /// - Parameters:
  ///   - magnitude: the magnitude spectrogram, frames-major.
  ///   - sampleRate: `sr` in Hz.
  ///   - minimumFrequency: `fmin` > 0 in Hz (default 200).
  ///   - bandCount: `n_bands` ≥ 1 (default 6); the output has `bandCount + 1` rows.
  ///   - quantile: in (0, 1) (default 0.02).
  /// - Returns: frames-major `frameCount × (bandCount + 1)` contrasts in dB.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` when a band edge reaches
  ///   Nyquist or a parameter is out of range.
  /// - Complexity: O(frames × bins × q) vector operations, four frames per vector.
  public static func spectralContrast(
    magnitude: Spectrogram, sampleRate: Int, minimumFrequency: Double = 200, bandCount: Int = 6,
    quantile: Double = 0.02
  ) throws(FeatureError) -> Spectrogram {
    try spectralContrast(
      magnitude, isPower: false, sampleRate: sampleRate, minimumFrequency: minimumFrequency,
      bandCount: bandCount, quantile: quantile)
  }

  /// ``spectralContrast(magnitude:sampleRate:minimumFrequency:bandCount:quantile:)`` of `s`, or
  /// of `√s` when `isPower` (no magnitude spectrogram is stored: `√` is monotonic, so the
  /// quantiles are selected among the powers and only the selected values are square-rooted).
  static func spectralContrast(
    _ s: Spectrogram, isPower: Bool, sampleRate: Int, minimumFrequency: Double = 200,
    bandCount: Int = 6, quantile: Double = 0.02
  ) throws(FeatureError) -> Spectrogram {
    let kernel = try ContrastKernel(
      binCount: s.binCount, sampleRate: sampleRate, minimumFrequency: minimumFrequency,
      bandCount: bandCount, quantile: quantile)
    var sums = kernel.makeSums(frameCount: s.frameCount)
    let lanes = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: s.binCount)
    defer { lanes.deallocate() }
    forEachFrameQuad(of: s, lanes: lanes) { t, count in
      kernel.accumulate(lanes, frame: t, count: count, isPower: isPower, into: &sums)
    }
    return kernel.contrast(sums)
  }

  /// Roll-off and contrast of the magnitudes `√power` in one pass over the power spectrogram
  /// (one transpose per group of four frames, shared by both; contrast square-roots only the
  /// values it selects, roll-off every value with the vector square root).
  static func spectralRolloffAndContrast(power: Spectrogram, sampleRate: Int) throws(FeatureError)
    -> (rolloff: [Float], contrast: Spectrogram)
  {
    let contrast = try ContrastKernel(binCount: power.binCount, sampleRate: sampleRate)
    let rolloff = try RolloffKernel(binCount: power.binCount, sampleRate: sampleRate)
    var sums = contrast.makeSums(frameCount: power.frameCount)
    var frequencies = [Float](repeating: 0, count: power.frameCount)
    let lanes = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: power.binCount)
    defer { lanes.deallocate() }
    forEachFrameQuad(of: power, lanes: lanes) { t, count in
      contrast.accumulate(lanes, frame: t, count: count, isPower: true, into: &sums)
      // Overwrites the lanes.
      rolloff.apply(lanes, frame: t, count: count, isPower: true, into: &frequencies)
    }
    return (frequencies, contrast.contrast(sums))
  }

  /// Per lane, the means of the `q` smallest and of the `q` largest of `count ≥ q` values, each
  /// summed in sorted order (ascending for the smallest, descending for the largest), as
  /// librosa's mean over the first or last `q` rows of its sorted band. With `squareRoot`, the
  /// values are powers and the means are of the selected values' square roots (exact
  /// `Float.squareRoot()`, so the result equals selecting among the magnitudes).
  ///
  /// Branch-free: every value passes down a compare-exchange chain through the sorted lists
  /// (`low[r], v = min(low[r], v), max(low[r], v)` for `r = 0..<q`, and the mirror image for
  /// `high`), which leaves the `q` smallest ascending in `low` and the `q` largest descending in
  /// `high` — the same values, summed in the same order, as sorting the band.
  static func quantileMeans(
    _ x: UnsafePointer<SIMD4<Float>>, count n: Int, q: Int, squareRoot: Bool = false,
    low: UnsafeMutablePointer<SIMD4<Float>>, high: UnsafeMutablePointer<SIMD4<Float>>
  ) -> (SIMD4<Float>, SIMD4<Float>) {
    if q == 1 {
      var lo = x[0]
      var hi = lo
      for j in 1..<max(n, 1) {  // an empty band (a tiny fmin) reads its first bin, as before
        let v = x[j]
        lo = lo.replacing(with: v, where: v .< lo)
        hi = hi.replacing(with: v, where: v .> hi)
      }
      return squareRoot ? (lo.squareRoot(), hi.squareRoot()) : (lo, hi)
    }
    // The default bands' q (2, 3 and 9 at 22 050 Hz) keep their lists in registers.
    switch q {
    case 2: return registerQuantileMeans(x, count: n, squareRoot: squareRoot, InlineArray<2, SIMD4<Float>>(repeating: .zero))
    case 3: return registerQuantileMeans(x, count: n, squareRoot: squareRoot, InlineArray<3, SIMD4<Float>>(repeating: .zero))
    case 4: return registerQuantileMeans(x, count: n, squareRoot: squareRoot, InlineArray<4, SIMD4<Float>>(repeating: .zero))
    case 5: return registerQuantileMeans(x, count: n, squareRoot: squareRoot, InlineArray<5, SIMD4<Float>>(repeating: .zero))
    case 6: return registerQuantileMeans(x, count: n, squareRoot: squareRoot, InlineArray<6, SIMD4<Float>>(repeating: .zero))
    case 7: return registerQuantileMeans(x, count: n, squareRoot: squareRoot, InlineArray<7, SIMD4<Float>>(repeating: .zero))
    case 8: return registerQuantileMeans(x, count: n, squareRoot: squareRoot, InlineArray<8, SIMD4<Float>>(repeating: .zero))
    case 9: return registerQuantileMeans(x, count: n, squareRoot: squareRoot, InlineArray<9, SIMD4<Float>>(repeating: .zero))
    case 10: return registerQuantileMeans(x, count: n, squareRoot: squareRoot, InlineArray<10, SIMD4<Float>>(repeating: .zero))
    default: break
    }
    for r in 0..<q {
      low[r] = SIMD4(repeating: .infinity)
      high[r] = SIMD4(repeating: -.infinity)
    }
    for j in 0..<n {
      var v = x[j]
      for r in 0..<q {
        let here = low[r]
        low[r] = here.replacing(with: v, where: v .< here)  // minps
        v = v.replacing(with: here, where: here .> v)  // maxps
      }
    }
    for j in 0..<n {
      var v = x[j]
      for r in 0..<q {
        let here = high[r]
        high[r] = here.replacing(with: v, where: v .> here)  // maxps
        v = v.replacing(with: here, where: here .< v)  // minps
      }
    }
    var lowSum = SIMD4<Float>()
    var highSum = SIMD4<Float>()
    for r in 0..<q {
      lowSum += squareRoot ? low[r].squareRoot() : low[r]
      highSum += squareRoot ? high[r].squareRoot() : high[r]
    }
    let scale = SIMD4<Float>(repeating: Float(q))
    return (lowSum / scale, highSum / scale)
  }

  /// ``quantileMeans(_:count:q:low:high:)`` for a `q` fixed at compile time (`list` only gives
  /// its size), so the unrolled chains keep both lists in registers instead of memory.
  @inline(__always)
  static func registerQuantileMeans<let Q: Int>(
    _ x: UnsafePointer<SIMD4<Float>>, count n: Int, squareRoot: Bool,
    _ list: InlineArray<Q, SIMD4<Float>>
  ) -> (SIMD4<Float>, SIMD4<Float>) {
    var low = list
    var high = list
    for r in 0..<Q {
      low[r] = SIMD4(repeating: .infinity)
      high[r] = SIMD4(repeating: -.infinity)
    }
    for j in 0..<n {
      var v = x[j]
      for r in 0..<Q {
        let here = low[r]
        low[r] = here.replacing(with: v, where: v .< here)  // minps
        v = v.replacing(with: here, where: here .> v)  // maxps
      }
    }
    for j in 0..<n {
      var v = x[j]
      for r in 0..<Q {
        let here = high[r]
        high[r] = here.replacing(with: v, where: v .> here)  // maxps
        v = v.replacing(with: here, where: here .< v)  // minps
      }
    }
    var lowSum = SIMD4<Float>()
    var highSum = SIMD4<Float>()
    for r in 0..<Q {
      lowSum += squareRoot ? low[r].squareRoot() : low[r]
      highSum += squareRoot ? high[r].squareRoot() : high[r]
    }
    let scale = SIMD4<Float>(repeating: Float(Q))
    return (lowSum / scale, highSum / scale)
  }

  /// `librosa.power_to_db(x)` in `Double` (ref 1, amin 1e-10, top_db 80 over the whole array).
  static func decibels(_ x: [Double]) -> [Double] {
    var out = x.map { 10 * log10(max(1e-10, $0)) }
    let floor = (out.max() ?? 0) - 80
    for i in out.indices { out[i] = max(out[i], floor) }
    return out
  }
}

/// `librosa.feature.spectral_contrast`'s bands, validated, and its per-frame-group reduction.
struct ContrastKernel {
  /// Each band's bin range `first ..< end` and its quantile count `q`.
  let ranges: [(first: Int, end: Int, q: Int)]
  /// `bandCount + 1` output rows.
  let rows: Int
  let maxQ: Int

  /// The quantile sums of every frame: `peaks` and `valleys`, `frames × rows`.
  struct Sums {
    var peaks: [Double]
    var valleys: [Double]
    var low: UnsafeMutablePointer<SIMD4<Float>>
    var high: UnsafeMutablePointer<SIMD4<Float>>
  }

  /// Validates the parameters and lays out the bands (see
  /// ``FrameFeatures/spectralContrast(magnitude:sampleRate:minimumFrequency:bandCount:quantile:)``).
  init(
    binCount bins: Int, sampleRate: Int, minimumFrequency: Double = 200, bandCount: Int = 6,
    quantile: Double = 0.02
  ) throws(FeatureError) {
    guard minimumFrequency > 0, minimumFrequency.isFinite else {
      throw .invalidParameter(name: "fmin", value: "\(minimumFrequency)", valid: "> 0")
    }
    guard bandCount >= 1, bandCount <= 30 else {
      throw .invalidParameter(name: "n_bands", value: "\(bandCount)", valid: "in 1...30")
    }
    guard quantile > 0, quantile < 1 else {
      throw .invalidParameter(name: "quantile", value: "\(quantile)", valid: "in (0, 1)")
    }
    let nyquist = Double(sampleRate) / 2
    var edges = [0.0]
    for i in 0...bandCount { edges.append(minimumFrequency * pow(2, Double(i))) }
    guard edges.dropLast().allSatisfy({ $0 < nyquist }) else {
      throw .invalidParameter(
        name: "fmin", value: "\(minimumFrequency)",
        valid: "such that fmin·2^(n_bands−1) < Nyquist (\(nyquist) Hz)")
    }
    let freq = FrameFeatures.binFrequencies(sampleRate: sampleRate, fftSize: 2 * (bins - 1))
    var ranges: [(first: Int, end: Int, q: Int)] = []
    for b in 0...bandCount {
      let low = edges[b]
      let high = edges[b + 1]
      let inBand = freq.indices.filter { freq[$0] >= low && freq[$0] <= high }
      guard var first = inBand.first, var last = inBand.last else {
        throw .invalidParameter(
          name: "fmin", value: "\(minimumFrequency)", valid: "large enough that every band holds a bin")
      }
      if b > 0 { first = max(first - 1, 0) }
      if b == bandCount { last = bins - 1 }
      let countInMask = last - first + 1
      let end = b < bandCount ? last : last + 1
      var q = Int((quantile * Double(countInMask)).rounded(.toNearestOrEven))
      q = max(q, 1)
      ranges.append((first, end, max(1, min(q, end - first))))
    }
    self.ranges = ranges
    rows = bandCount + 1
    maxQ = ranges.map(\.q).max() ?? 1
  }

  /// Zeroed sums for `frames` frames and scratch lists (released by ``contrast(_:)``).
  func makeSums(frameCount frames: Int) -> Sums {
    Sums(
      peaks: [Double](repeating: 0, count: frames * rows),
      valleys: [Double](repeating: 0, count: frames * rows),
      low: .allocate(capacity: maxQ), high: .allocate(capacity: maxQ))
  }

  /// Records the quantile means of frames `t ..< t + count` from their magnitudes in `lanes`, or
  /// their powers when `isPower` (lane `j` is frame `t + j`); `lanes` is left unchanged.
  func accumulate(
    _ lanes: UnsafePointer<SIMD4<Float>>, frame t: Int, count: Int, isPower: Bool, into sums: inout Sums
  ) {
    for (b, range) in ranges.enumerated() {
      let (lowMean, highMean) = FrameFeatures.quantileMeans(
        lanes + range.first, count: range.end - range.first, q: range.q, squareRoot: isPower,
        low: sums.low, high: sums.high)
      for j in 0..<count {
        sums.valleys[(t + j) * rows + b] = Double(lowMean[j])
        sums.peaks[(t + j) * rows + b] = Double(highMean[j])
      }
    }
  }

  /// `power_to_db(peaks) − power_to_db(valleys)`, frames-major; releases the scratch lists.
  func contrast(_ sums: Sums) -> Spectrogram {
    sums.low.deallocate()
    sums.high.deallocate()
    let peakDB = FrameFeatures.decibels(sums.peaks)
    let valleyDB = FrameFeatures.decibels(sums.valleys)
    var out = [Float](repeating: 0, count: peakDB.count)
    for i in out.indices { out[i] = Float(peakDB[i] - valleyDB[i]) }
    return Spectrogram(frameCount: out.count / rows, binCount: rows, values: out)
  }
}
