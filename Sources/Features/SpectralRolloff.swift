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
  /// (the magnitudes taken per group of frames with `DSP.magnitudes(fromPower:)`, within 2 ulps,
  /// so no magnitude spectrogram is stored).
  static func spectralRolloff(
    _ magnitude: Spectrogram, isPower: Bool, sampleRate: Int, rollPercent: Double = 0.85
  ) throws(FeatureError) -> [Float] {
    let kernel = try RolloffKernel(binCount: magnitude.binCount, sampleRate: sampleRate, rollPercent: rollPercent)
    var out = [Float](repeating: 0, count: magnitude.frameCount)
    let lanes = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: magnitude.binCount)
    defer { lanes.deallocate() }
    forEachFrameQuad(of: magnitude, lanes: lanes) { t, count in
      kernel.apply(lanes, frame: t, count: count, isPower: isPower, into: &out)
    }
    return out
  }
}

/// `librosa.feature.spectral_rolloff`'s parameters, validated, and its per-frame-group step.
struct RolloffKernel {
  let bins: Int
  /// Hz per bin.
  let step: Double
  let fraction: Float

  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for `rollPercent` outside (0, 1).
  init(binCount: Int, sampleRate: Int, rollPercent: Double = 0.85) throws(FeatureError) {
    guard rollPercent > 0, rollPercent < 1 else {
      throw .invalidParameter(name: "rollPercent", value: "\(rollPercent)", valid: "in (0, 1)")
    }
    bins = binCount
    step = Double(sampleRate) / Double(2 * (binCount - 1))
    fraction = Float(rollPercent)
  }

  /// Writes the roll-off of frames `t ..< t + count` from their magnitudes in `lanes` (their
  /// powers when `isPower`; lane `j` is frame `t + j`), replacing the lanes by the cumulative
  /// sums of the magnitudes.
  ///
  /// Each lane's running sum is the same sequential `Float` sum as numpy's `cumsum`; the first
  /// bin reaching the threshold is found branch-free, by counting the bins before it (a running
  /// AND of "still below", exact whatever the signs of the values).
  func apply(
    _ lanes: UnsafeMutablePointer<SIMD4<Float>>, frame t: Int, count: Int, isPower: Bool = false,
    into out: inout [Float]
  ) {
    guard bins > 0 else { return }
    var running = SIMD4<Float>()
    if isPower {
      // One compare per vector first: with no lane below the smallest normal number (zero
      // included) or above the largest finite one, the unchecked vector root is exact to its
      // 2 ulps; otherwise the checked one, which gives the same values for ordinary lanes.
      let smallest = SIMD4<Float>(repeating: .leastNormalMagnitude)
      let largest = SIMD4<Float>(repeating: .greatestFiniteMagnitude)
      var unusual = SIMDMask<SIMD4<Int32>>(repeating: false)
      for k in 0..<bins { unusual .|= .!(lanes[k] .>= smallest .& lanes[k] .<= largest) }
      if any(unusual) {
        for k in 0..<bins {
          running += magnitudes(fromPower: lanes[k])
          lanes[k] = running
        }
      } else {
        for k in 0..<bins {
          running += squareRootOfNormal(lanes[k])
          lanes[k] = running
        }
      }
    } else {
      for k in 0..<bins {
        running += lanes[k]
        lanes[k] = running
      }
    }
    let threshold = SIMD4(repeating: fraction) * running
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
}
