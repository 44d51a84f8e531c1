import DSP

extension FrameFeatures {
  /// First-order deltas along time, as `librosa.feature.delta(data, width=9, order=1,
  /// mode='interp')`.
  ///
  /// librosa fits a Savitzky–Golay polynomial of degree 1 over `width` frames; its derivative is
  /// the least-squares slope `Σⱼ j·x[t + j] / Σⱼ j²` (`j = −h…h`, `h = width / 2`). In `interp`
  /// mode the first and last `h` frames take the slope of the first and last full window.
  ///
  /// - Parameters:
  ///   - features: frames-major values (e.g. MFCCs), at least `width` frames.
  ///   - width: odd, ≥ 3 (default 9).
  /// - Returns: the same shape, per-frame slopes.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for a bad width;
  ///   ``FeatureError/signalTooShort(length:required:feature:)`` with fewer than `width` frames
  ///   (librosa raises too).
  /// - Complexity: O(frames × columns × width).
  public static func delta(_ features: Spectrogram, width: Int = 9) throws(FeatureError) -> Spectrogram {
    guard width >= 3, width % 2 == 1 else {
      throw .invalidParameter(name: "width", value: "\(width)", valid: "odd and >= 3")
    }
    let frames = features.frameCount
    guard frames >= width else {
      throw .signalTooShort(length: frames, required: width, feature: "delta (frames)")
    }
    let h = width / 2
    let columns = features.binCount
    var denominator = 0.0
    for j in -h...h { denominator += Double(j * j) }
    var out = [Float](repeating: 0, count: frames * columns)
    features.values.withUnsafeBufferPointer { x in
      for t in 0..<frames {
        let c = min(max(t, h), frames - 1 - h)
        for k in 0..<columns {
          var sum = 0.0
          for j in -h...h { sum += Double(j) * Double(x[(c + j) * columns + k]) }
          out[t * columns + k] = Float(sum / denominator)
        }
      }
    }
    return Spectrogram(frameCount: frames, binCount: columns, values: out)
  }
}
