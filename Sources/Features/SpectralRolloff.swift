import DSP

extension FrameFeatures {
  /// The roll-off frequency of every frame, as `librosa.feature.spectral_rolloff(S=|X|, sr=…,
  /// roll_percent=0.85)`.
  ///
  /// The lowest bin frequency `f[k]` whose cumulative magnitude `Σ_{j≤k} S[t, j]` reaches
  /// `rollPercent · Σⱼ S[t, j]`. The running sum is a sequential `Float` sum, as numpy's `cumsum`,
  /// so the chosen bin is the same as librosa's.
  ///
  /// - Parameters:
  ///   - magnitude: the magnitude spectrogram, frames-major.
  ///   - sampleRate: `sr` in Hz.
  ///   - rollPercent: the energy fraction in `(0, 1)` (default 0.85).
  /// - Returns: one frequency per frame, in Hz.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for `rollPercent` outside (0, 1).
  /// - Complexity: O(frames × bins).
  public static func spectralRolloff(
    magnitude: Spectrogram, sampleRate: Int, rollPercent: Double = 0.85
  ) throws(FeatureError) -> [Float] {
    guard rollPercent > 0, rollPercent < 1 else {
      throw .invalidParameter(name: "rollPercent", value: "\(rollPercent)", valid: "in (0, 1)")
    }
    let bins = magnitude.binCount
    let step = Double(sampleRate) / Double(2 * (bins - 1))
    let fraction = Float(rollPercent)
    var out = [Float](repeating: 0, count: magnitude.frameCount)
    magnitude.values.withUnsafeBufferPointer { s in
      for t in 0..<magnitude.frameCount {
        let row = s.baseAddress! + t * bins
        var total: Float = 0
        for k in 0..<bins { total += row[k] }
        let threshold = fraction * total
        var running: Float = 0
        var found = bins - 1
        for k in 0..<bins {
          running += row[k]
          if !(running < threshold) {
            found = k
            break
          }
        }
        out[t] = Float(Double(found) * step)
      }
    }
    return out
  }
}
