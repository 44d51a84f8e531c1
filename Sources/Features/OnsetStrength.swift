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
          // The one or two middle ranks by selection (a full sort was most of this function).
          let upper = bands / 2
          let lower = bands % 2 == 1 ? upper : upper - 1
          var low: Float = 0
          var high: Float = 0
          flux.withUnsafeMutableBufferPointer { f in
            if lower >= zeros { low = Self.select(lower - zeros, in: f.baseAddress!, count: positives) }
            if upper >= zeros {
              // Rank `upper` is the smallest value above rank `upper − 1` once that is selected.
              if upper == lower {
                high = low
              } else if lower >= zeros {
                var m = Float.infinity
                for i in (lower - zeros + 1)..<positives { m = min(m, f[i]) }
                high = m
              } else {
                high = Self.select(0, in: f.baseAddress!, count: positives)
              }
            }
          }
          out[target] = bands % 2 == 1 ? low : (low + high) / 2
        }
      }
    }
    return out
  }
  /// The value of rank `k` (0-based) among `count` finite floats, leaving every smaller value
  /// before index `k` and every larger one after it (Hoare's quickselect, median-of-three pivot).
  static func select(_ k: Int, in a: UnsafeMutablePointer<Float>, count: Int) -> Float {
    precondition(k >= 0 && k < count, "rank \(k) of \(count) values")
    @inline(__always) func swap(_ x: Int, _ y: Int) {
      let value = a[x]
      a[x] = a[y]
      a[y] = value
    }
    var lo = 0
    var hi = count - 1
    while lo < hi {
      let mid = lo + (hi - lo) / 2
      // Median of three as the pivot.
      if a[mid] < a[lo] { swap(mid, lo) }
      if a[hi] < a[lo] { swap(hi, lo) }
      if a[hi] < a[mid] { swap(hi, mid) }
      let pivot = a[mid]
      var i = lo
      var j = hi
      while i <= j {
        while a[i] < pivot { i += 1 }
        while a[j] > pivot { j -= 1 }
        if i <= j {
          swap(i, j)
          i += 1
          j -= 1
        }
      }
      if k <= j {
        hi = j
      } else if k >= i {
        lo = i
      } else {
        return a[k]
      }
    }
    return a[k]
  }
}
