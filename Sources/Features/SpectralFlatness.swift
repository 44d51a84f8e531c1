import DSP
import Foundation

extension FrameFeatures {
  /// The spectral flatness of every frame, as `librosa.feature.spectral_flatness(S=|X|,
  /// amin=1e-10, power=2)`.
  ///
  /// `flatness[t] = exp(mean_k log Sₜ[k]) / mean_k Sₜ[k]` with `Sₜ[k] = max(amin, |X[t, k]|²)`:
  /// the geometric over the arithmetic mean of the thresholded power spectrum (1 for white noise,
  /// near 0 for a tone).
  ///
  /// - Parameters:
  ///   - power: the power spectrogram `|X|²`, frames-major.
  ///   - amin: the floor, > 0 (default 1e-10).
  /// - Returns: one value per frame in `(0, 1]`.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for `amin ≤ 0`.
  /// - Complexity: O(frames × bins) logarithms.
  public static func spectralFlatness(power: Spectrogram, amin: Double = 1e-10) throws(FeatureError)
    -> [Float]
  {
    guard amin > 0, amin.isFinite else {
      throw .invalidParameter(name: "amin", value: "\(amin)", valid: "> 0")
    }
    let bins = power.binCount
    let floor = Float(amin)
    var out = [Float](repeating: 0, count: power.frameCount)
    power.values.withUnsafeBufferPointer { s in
      for t in 0..<power.frameCount {
        let row = s.baseAddress! + t * bins
        var logSum = 0.0
        var sum = 0.0
        for k in 0..<bins {
          let v = max(floor, row[k])
          logSum += Double(log(v))
          sum += Double(v)
        }
        out[t] = Float(exp(logSum / Double(bins)) / (sum / Double(bins)))
      }
    }
    return out
  }
}
