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
    magnitude.values.withUnsafeBufferPointer { s in
      for t in 0..<magnitude.frameCount {
        let row = s.baseAddress! + t * bins
        var total = 0.0
        var weighted = 0.0
        for k in 0..<bins {
          let v = Double(row[k])
          total += v
          weighted += Double(k) * v
        }
        let norm = Double(total) < Double(Float.leastNormalMagnitude) ? 1 : total
        out[t] = Float(weighted * step / norm)
      }
    }
    return out
  }
}
