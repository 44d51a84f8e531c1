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
    try spectralRolloff(magnitude, isPower: false, sampleRate: sampleRate, rollPercent: rollPercent)
  }

  /// ``spectralRolloff(magnitude:sampleRate:rollPercent:)`` of `s`, or of `√s` when `isPower`
  /// (the magnitudes taken per frame, so no magnitude spectrogram is stored).
  static func spectralRolloff(
    _ magnitude: Spectrogram, isPower: Bool, sampleRate: Int, rollPercent: Double = 0.85
  ) throws(FeatureError) -> [Float] {
    guard rollPercent > 0, rollPercent < 1 else {
      throw .invalidParameter(name: "rollPercent", value: "\(rollPercent)", valid: "in (0, 1)")
    }
    let bins = magnitude.binCount
    let step = Double(sampleRate) / Double(2 * (bins - 1))
    let fraction = Float(rollPercent)
    var out = [Float](repeating: 0, count: magnitude.frameCount)
    guard bins > 0 else { return out }
    // Four frames per vector: each lane's running sum is the same sequential Float sum.
    let lanes = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: bins)
    defer { lanes.deallocate() }
    forEachFrameQuad(of: magnitude, squareRoot: isPower, lanes: lanes) { t, count in
      var running = SIMD4<Float>()
      for k in 0..<bins {
        running += lanes[k]
        lanes[k] = running
      }
      let threshold = SIMD4(repeating: fraction) * running
      // The first k whose cumulative sum is not below the threshold: count the bins before it
      // (a running AND of "still below", exact whatever the signs of the values).
      var below = SIMD4<Int32>(repeating: -1)
      var index = SIMD4<Int32>()
      for k in 0..<bins {
        below = SIMD4<Int32>().replacing(with: below, where: lanes[k] .< threshold)
        index &-= below
      }
      for j in 0..<count {
        let found = min(Int(index[j]), bins - 1)
        out[t + j] = Float(Double(found) * step)
      }
    }
    return out
  }
}
