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
  /// - Complexity: O(frames × bins × q).
  public static func spectralContrast(
    magnitude: Spectrogram, sampleRate: Int, minimumFrequency: Double = 200, bandCount: Int = 6,
    quantile: Double = 0.02
  ) throws(FeatureError) -> Spectrogram {
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
    let bins = magnitude.binCount
    let freq = binFrequencies(sampleRate: sampleRate, fftSize: 2 * (bins - 1))
    // Each band's bin range [first, last) and its quantile count.
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
    let rows = bandCount + 1
    let frames = magnitude.frameCount
    var peaks = [Double](repeating: 0, count: frames * rows)
    var valleys = [Double](repeating: 0, count: frames * rows)
    let maxQ = ranges.map(\.q).max() ?? 1
    var low = [Float](repeating: 0, count: maxQ)
    var high = [Float](repeating: 0, count: maxQ)
    magnitude.values.withUnsafeBufferPointer { s in
      for t in 0..<frames {
        let row = s.baseAddress! + t * bins
        for (b, range) in ranges.enumerated() {
          let q = range.q
          let n = range.end - range.first
          // Keep the q smallest (ascending) and q largest (descending) by insertion.
          var lowCount = 0
          var highCount = 0
          for j in 0..<n {
            let v = row[range.first + j]
            if lowCount < q || v < low[lowCount - 1] {
              var i = lowCount < q ? lowCount : q - 1
              while i > 0 && low[i - 1] > v {
                low[i] = low[i - 1]
                i -= 1
              }
              low[i] = v
              if lowCount < q { lowCount += 1 }
            }
            if highCount < q || v > high[highCount - 1] {
              var i = highCount < q ? highCount : q - 1
              while i > 0 && high[i - 1] < v {
                high[i] = high[i - 1]
                i -= 1
              }
              high[i] = v
              if highCount < q { highCount += 1 }
            }
          }
          var lowSum: Float = 0
          var highSum: Float = 0
          for i in 0..<q {
            lowSum += low[i]
            highSum += high[i]
          }
          valleys[t * rows + b] = Double(lowSum / Float(q))
          peaks[t * rows + b] = Double(highSum / Float(q))
        }
      }
    }
    let peakDB = decibels(peaks)
    let valleyDB = decibels(valleys)
    var out = [Float](repeating: 0, count: frames * rows)
    for i in out.indices { out[i] = Float(peakDB[i] - valleyDB[i]) }
    return Spectrogram(frameCount: frames, binCount: rows, values: out)
  }

  /// `librosa.power_to_db(x)` in `Double` (ref 1, amin 1e-10, top_db 80 over the whole array).
  static func decibels(_ x: [Double]) -> [Double] {
    var out = x.map { 10 * log10(max(1e-10, $0)) }
    let floor = (out.max() ?? 0) - 80
    for i in out.indices { out[i] = max(out[i], floor) }
    return out
  }
}
