import DSP

extension FrameFeatures {
  /// How an onset envelope combines the per-band flux (`aggregate=` of
  /// `librosa.onset.onset_strength`).
  public enum OnsetAggregate: String, Sendable, Codable, CaseIterable {
    /// `np.mean` (the function's default).
    case mean
    /// `np.median` (what `librosa.beat.beat_track` and the GTZAN table's tempo use).
    case median
  }

  /// The spectral-flux onset envelope, as `librosa.onset.onset_strength(S=log_mel, lag=1,
  /// max_size=1, aggregate=…, center=True)`.
  ///
  /// `o[t] = aggregate_m max(0, L[t, m] − L[t − 1, m])` over the dB mel bands `L`, shifted right
  /// by `1 + fftSize / (2·hop)` frames (zeros in front, librosa's centring) and cut to the frame
  /// count.
  ///
  /// - Parameters:
  ///   - logMel: frames-major dB mel spectrogram (``logMelSpectrogram(power:filterbank:)``).
  ///   - fftSize: `n_fft` of the STFT (for the centring shift).
  ///   - hopLength: `hop_length` of the STFT.
  ///   - aggregate: how bands are combined (default ``OnsetAggregate/mean``).
  /// - Returns: one value per frame, ≥ 0.
  /// - Complexity: O(frames × bands) (median: a sort of each frame's positive band differences).
  public static func onsetStrength(
    logMel: Spectrogram, fftSize: Int, hopLength: Int, aggregate: OnsetAggregate = .mean
  ) -> [Float] {
    let frames = logMel.frameCount
    let bands = logMel.binCount
    let shift = 1 + fftSize / (2 * hopLength)
    var out = [Float](repeating: 0, count: frames)
    guard frames > 1, bands > 0 else { return out }
    var flux = [Float](repeating: 0, count: bands)
    logMel.values.withUnsafeBufferPointer { s in
      for t in 1..<frames {
        let target = t - 1 + shift
        if target >= frames { break }
        let current = s.baseAddress! + t * bands
        let previous = current - bands
        for m in 0..<bands { flux[m] = max(0, current[m] - previous[m]) }
        switch aggregate {
        case .mean:
          var sum = 0.0
          for m in 0..<bands { sum += Double(flux[m]) }
          out[target] = Float(sum / Double(bands))
        case .median:
          // Half-wave rectified flux is mostly zeros: sort only the positive values; ranks below
          // the zero count are 0.
          var positives = 0
          for m in 0..<bands where flux[m] > 0 {
            flux[positives] = flux[m]
            positives += 1
          }
          let zeros = bands - positives
          flux[0..<positives].sort()
          func ranked(_ k: Int) -> Float { k < zeros ? 0 : flux[k - zeros] }
          out[target] = bands % 2 == 1 ? ranked(bands / 2) : (ranked(bands / 2 - 1) + ranked(bands / 2)) / 2
        }
      }
    }
    return out
  }
}
