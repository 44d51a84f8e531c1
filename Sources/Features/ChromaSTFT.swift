import DSP

extension FrameFeatures {
  /// The chromagram of a power spectrogram, as `librosa.feature.chroma_stft(S=|X|², sr=…,
  /// norm=inf, tuning=None, n_chroma=12)`.
  ///
  /// The tuning is estimated from the same power spectrogram (`librosa.estimate_tuning`) unless
  /// given; the spectrogram is projected onto the chroma filterbank (`librosa.filters.chroma`) and
  /// each frame divided by its largest value (frames whose maximum is below the smallest normal
  /// `Float` are left as they are).
  ///
  /// - Parameters:
  ///   - power: the power spectrogram, frames-major.
  ///   - sampleRate: `sr` in Hz.
  ///   - tuning: deviation from A440 in chroma bins, or `nil` to estimate it.
  ///   - chromaCount: `n_chroma` (default 12).
  /// - Returns: frames-major `frameCount × chromaCount` values in `[0, 1]`.
  /// - Throws: ``FeatureError`` wrapping the filterbank's or tuning estimator's refusal.
  /// - Complexity: O(frames × bins × chromaCount) plus the tuning estimate.
  public static func chroma(
    power: Spectrogram, sampleRate: Int, tuning: Double? = nil, chromaCount: Int = 12
  ) throws(FeatureError) -> Spectrogram {
    let fftSize = 2 * (power.binCount - 1)
    let estimated: Double
    if let tuning {
      estimated = tuning
    } else {
      estimated = try dsp { () throws(DSPError) in
        try TuningEstimator.estimateTuning(power, sampleRate: sampleRate, binsPerOctave: chromaCount)
      }
    }
    let bank = try dsp { () throws(DSPError) in
      try ChromaFilterbank(sampleRate: sampleRate, fftSize: fftSize, chromaCount: chromaCount, tuning: estimated)
    }
    var raw = try dsp { () throws(DSPError) in try bank.apply(to: power) }
    let n = chromaCount
    raw.values.withUnsafeMutableBufferPointer { c in
      for t in 0..<raw.frameCount {
        let row = c.baseAddress! + t * n
        var peak: Float = 0
        for i in 0..<n { peak = max(peak, abs(row[i])) }
        if peak < Float.leastNormalMagnitude { continue }
        for i in 0..<n { row[i] /= peak }
      }
    }
    return raw
  }
}
