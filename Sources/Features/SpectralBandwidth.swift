import DSP
import Foundation

extension FrameFeatures {
  /// The spectral bandwidth of every frame, as `librosa.feature.spectral_bandwidth(S=|X|, sr=…,
  /// p=2)`.
  ///
  /// `b[t] = (Σₖ Ŝ[t, k]·|f[k] − c[t]|ᵖ)^(1/p)` with `Ŝ` the frame normalised to unit L1 norm
  /// (unnormalised below the smallest normal `Float`) and `c` the spectral centroid.
  ///
  /// - Parameters:
  ///   - magnitude: the magnitude spectrogram, frames-major.
  ///   - sampleRate: `sr` in Hz.
  ///   - centroid: the frames' centroids (``spectralCentroid(magnitude:sampleRate:)``), or `nil`
  ///     to compute them.
  ///   - p: the power, > 0 (librosa default 2).
  /// - Returns: one bandwidth per frame, in Hz.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for `p ≤ 0`.
  /// - Complexity: O(frames × bins).
  public static func spectralBandwidth(
    magnitude: Spectrogram, sampleRate: Int, centroid: [Float]? = nil, p: Double = 2
  ) throws(FeatureError) -> [Float] {
    guard p > 0, p.isFinite else { throw .invalidParameter(name: "p", value: "\(p)", valid: "> 0") }
    let bins = magnitude.binCount
    let centroid = centroid ?? spectralCentroid(magnitude: magnitude, sampleRate: sampleRate)
    precondition(centroid.count == magnitude.frameCount,
      "\(centroid.count) centroids for \(magnitude.frameCount) frames")
    let step = Double(sampleRate) / Double(2 * (bins - 1))
    var out = [Float](repeating: 0, count: magnitude.frameCount)
    if p == 2 {
      // Four frames per vector, each lane the same sequential Double sums as one frame alone
      // (|d|² = d·d exactly).
      let lanes = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: bins)
      defer { lanes.deallocate() }
      forEachFrameQuad(of: magnitude, lanes: lanes) { t, count in
        var c = SIMD4<Double>()
        for j in 0..<4 { c[j] = Double(centroid[t + min(j, count - 1)]) }
        var total = SIMD4<Double>()
        var weighted = SIMD4<Double>()
        for k in 0..<bins {
          let v = SIMD4<Double>(lanes[k])
          let d = SIMD4(repeating: Double(k) * step) - c
          total += v
          weighted += v * (d * d)
        }
        for j in 0..<count {
          let norm = total[j] < Double(Float.leastNormalMagnitude) ? 1 : total[j]
          out[t + j] = Float((weighted[j] / norm).squareRoot())
        }
      }
      return out
    }
    magnitude.values.withUnsafeBufferPointer { s in
      for t in 0..<magnitude.frameCount {
        let row = s.baseAddress! + t * bins
        let c = Double(centroid[t])
        var total = 0.0
        var weighted = 0.0
        for k in 0..<bins {
          let v = Double(row[k])
          let d = abs(Double(k) * step - c)
          total += v
          weighted += v * (p == 2 ? d * d : pow(d, p))
        }
        let norm = total < Double(Float.leastNormalMagnitude) ? 1 : total
        let sum = weighted / norm
        out[t] = Float(p == 2 ? sum.squareRoot() : pow(sum, 1 / p))
      }
    }
    return out
  }
}
