import DSP

extension FrameFeatures {
  /// The spectral centroid of every frame, as `librosa.feature.spectral_centroid(S=|X|, sr=…)`.
  ///
  /// `c[t] = Σₖ f[k]·S[t, k] / Σₖ S[t, k]` (librosa normalises each frame to unit L1 norm; a
  /// frame whose sum is below the smallest normal `Float` is left unnormalised, so silence gives
  /// ≈ 0 Hz). Computed in `Double`, as librosa does after `util.normalize`.
  ///
  /// - Parameters:
  ///   - magnitude: the magnitude spectrogram `|X|`, frames-major.
  ///   - sampleRate: `sr` in Hz.
  /// - Returns: one centroid per frame, in Hz.
  /// - Complexity: O(frames × bins).
  public static func spectralCentroid(magnitude: Spectrogram, sampleRate: Int) -> [Float] {
    let bins = magnitude.binCount
    let step = Double(sampleRate) / Double(2 * (bins - 1))
    var out = [Float](repeating: 0, count: magnitude.frameCount)
    // Four frames per vector, each lane the same sequential Double sums as one frame alone.
    let lanes = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: bins)
    defer { lanes.deallocate() }
    forEachFrameQuad(of: magnitude, lanes: lanes) { t, count in
      var total = SIMD4<Double>()
      var weighted = SIMD4<Double>()
      for k in 0..<bins {
        let v = SIMD4<Double>(lanes[k])
        total += v
        weighted += SIMD4(repeating: Double(k)) * v
      }
      for j in 0..<count {
        let norm = total[j] < Double(Float.leastNormalMagnitude) ? 1 : total[j]
        out[t + j] = Float(weighted[j] * step / norm)
      }
    }
    return out
  }
}
