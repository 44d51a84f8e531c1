import Foundation

/// Pitch tracking on a spectrogram and tuning estimation, as librosa's `piptrack`,
/// `pitch_tuning` and `estimate_tuning` (what `chroma_stft` runs when `tuning=None`).
public enum TuningEstimator {
  /// Octaves above C0 relative to a tuned A440 (`librosa.hz_to_octs`):
  /// `log2(f / (440·2^(tuning/binsPerOctave) / 16))`.
  public static func octaves(fromHertz hertz: Double, tuning: Double = 0, binsPerOctave: Int = 12) -> Double {
    let a440 = 440.0 * pow(2.0, tuning / Double(binsPerOctave))
    return log2(hertz / (a440 / 16))
  }

  /// Peak frequencies and magnitudes per frame by parabolic interpolation (`librosa.piptrack`).
  ///
  /// In each frame, bins with `fmin ≤ f_k < fmax` that are local maxima (strictly above the bin
  /// below, at least the bin above) of `S·[S > threshold·max_k S]` give a pitch
  /// `(k + δ_k)·sr/n_fft` and magnitude `S_k + ½·g_k·δ_k`, where `δ_k = −b/a` (0 when `|b| ≥ |a|`)
  /// with `a = S_{k+1} + S_{k−1} − 2S_k`, `b = (S_{k+1} − S_{k−1})/2`, and `g` is numpy's
  /// `gradient` along frequency. All other entries are 0.
  ///
  /// - Parameters:
  ///   - spectrogram: frames-major, `n_fft/2 + 1` bins (librosa passes whatever it was given:
  ///     `chroma_stft` passes the power spectrogram).
  ///   - sampleRate: `sr` in Hz.
  ///   - minimumFrequency: `fmin` (default 150 Hz).
  ///   - maximumFrequency: `fmax` (default 4000 Hz, capped at `sr/2`).
  ///   - threshold: fraction of each frame's maximum a peak must exceed (default 0.1).
  /// - Returns: pitches (Hz) and magnitudes, both frames-major like the input.
  /// - Throws: ``DSPError/invalidSampleRate(_:)``, ``DSPError/invalidCount(name:value:valid:)``.
  public static func pitchTrack(
    _ spectrogram: Spectrogram, sampleRate: Int, minimumFrequency: Double = 150,
    maximumFrequency: Double = 4000, threshold: Double = 0.1
  ) throws(DSPError) -> (pitches: Spectrogram, magnitudes: Spectrogram) {
    var pitches = [Float](repeating: 0, count: spectrogram.values.count)
    var mags = pitches
    let bins = spectrogram.binCount
    try forEachPeak(
      spectrogram, sampleRate: sampleRate, minimumFrequency: minimumFrequency,
      maximumFrequency: maximumFrequency, threshold: threshold
    ) { t, k, pitch, magnitude in
      pitches[t * bins + k] = pitch
      mags[t * bins + k] = magnitude
    }
    return (
      Spectrogram(frameCount: spectrogram.frameCount, binCount: bins, values: pitches),
      Spectrogram(frameCount: spectrogram.frameCount, binCount: bins, values: mags)
    )
  }

  /// Calls `body(frame, bin, pitch, magnitude)` for every peak
  /// ``pitchTrack(_:sampleRate:minimumFrequency:maximumFrequency:threshold:)``
  /// would report, in frame then bin order, without building the dense matrices.
  static func forEachPeak(
    _ spectrogram: Spectrogram, sampleRate: Int, minimumFrequency: Double,
    maximumFrequency: Double, threshold: Double, _ body: (Int, Int, Float, Float) -> Void
  ) throws(DSPError) {
    guard sampleRate > 0 else { throw .invalidSampleRate(sampleRate) }
    let bins = spectrogram.binCount
    guard bins >= 2 else { throw .invalidCount(name: "binCount", value: bins, valid: ">= 2") }
    let fftSize = 2 * (bins - 1)
    let fmin = max(minimumFrequency, 0)
    let fmax = min(maximumFrequency, Double(sampleRate) / 2)
    let binStep = 1.0 / (Double(fftSize) * (1.0 / Double(sampleRate)))
    var lo = 0
    while lo < bins && Double(lo) * binStep < fmin { lo += 1 }
    var hi = lo  // exclusive
    while hi < bins && Double(hi) * binStep < fmax { hi += 1 }
    lo = max(lo, 1)  // bin 0 is never a local maximum (edge padding)
    if lo >= hi { return }
    let rate = Double(sampleRate)
    let size = Double(fftSize)
    spectrogram.values.withUnsafeBufferPointer { all in
      for t in 0..<spectrogram.frameCount {
        let s = all.baseAddress! + t * bins
        let ref = Float(threshold) * Self.largestMagnitude(s, count: bins)
        // Thresholded magnitude, with numpy 'edge' padding for the local-max test.
        @inline(__always) func gated(_ k: Int) -> Float {
          let v = abs(s[min(k, bins - 1)])
          return v > ref ? v : 0
        }
        let raw = UnsafeRawPointer(s)
        let refV = SIMD4<Float>(repeating: ref)
        var k = lo
        while k < hi {
          // A peak needs |S_k| > ref: skip four bins at a time while none qualifies.
          if k + 4 <= hi {
            let v = Self.magnitudes(raw.loadUnaligned(fromByteOffset: 4 * k, as: SIMD4<Float>.self))
            if !any(v .> refV) {
              k += 4
              continue
            }
          }
          defer { k += 1 }
          let here = gated(k)
          guard here > gated(k - 1), here >= gated(k + 1) else { continue }
          let shift: Float
          let gradient: Float
          if k == bins - 1 {
            shift = 0
            gradient = abs(s[k]) - abs(s[k - 1])
          } else {
            let up = abs(s[k + 1])
            let down = abs(s[k - 1])
            let mid = abs(s[k])
            let a = up + down - 2 * mid
            let b = (up - down) / 2
            shift = abs(b) >= abs(a) ? 0 : -b / a
            gradient = (up - down) / 2
          }
          // librosa: (idx + shift) * float(sr) / n_fft in float64, stored as float32.
          let pitch = Float((Double(k) + Double(shift)) * rate / size)
          body(t, k, pitch, abs(s[k]) + 0.5 * gradient * shift)
        }
      }
    }
  }

  /// `max_k |s[k]|` over `count` floats (0 for none), four lanes at a time.
  static func largestMagnitude(_ s: UnsafePointer<Float>, count: Int) -> Float {
    let raw = UnsafeRawPointer(s)
    var best = SIMD4<Float>()
    var k = 0
    while k + 4 <= count {
      let v = magnitudes(raw.loadUnaligned(fromByteOffset: 4 * k, as: SIMD4<Float>.self))
      best = best.replacing(with: v, where: v .> best)
      k += 4
    }
    var peak = best.max()
    while k < count {
      peak = max(peak, abs(s[k]))
      k += 1
    }
    return peak
  }

  /// Lane-wise `|v|` by clearing the sign bits.
  @inline(__always)
  static func magnitudes(_ v: SIMD4<Float>) -> SIMD4<Float> {
    unsafeBitCast(unsafeBitCast(v, to: SIMD4<UInt32>.self) & 0x7fff_ffff, to: SIMD4<Float>.self)
  }

  /// The most common deviation of `frequencies` from the equal-tempered grid
  /// (`librosa.pitch_tuning`), in fractions of a bin.
  ///
  /// Residuals `binsPerOctave·octaves(f) mod 1` are folded into `[−0.5, 0.5)` and histogrammed
  /// into `ceil(1/resolution)` equal bins over `[−0.5, 0.5]`; the left edge of the fullest bin
  /// (the first on ties) is returned, or 0 when no frequency is positive. Residuals are computed
  /// in float32, as librosa does for float32 pitches, so histogram edges fall the same way.
  public static func pitchTuning(
    _ frequencies: [Float], resolution: Double = 0.01, binsPerOctave: Int = 12
  ) -> Double {
    let positive = frequencies.filter { $0 > 0 }
    if positive.isEmpty { return 0 }
    let binCount = Int((1.0 / resolution).rounded(.up))
    // numpy.linspace(-0.5, 0.5, binCount + 1).
    let step = 1.0 / Double(binCount)
    let edges = (0...binCount).map { $0 == binCount ? 0.5 : Double($0) * step - 0.5 }
    var counts = [Int](repeating: 0, count: binCount)
    let c0 = Float(440.0 / 16)
    for f in positive {
      var r32 = Float(binsPerOctave) * log2(f / c0)
      r32 = r32 - r32.rounded(.down)  // numpy.mod(x, 1.0) for finite x
      if r32 >= 0.5 { r32 -= 1 }
      let r = Double(r32)
      guard r >= -0.5, r <= 0.5 else { continue }
      // numpy.histogram for uniform bins: a scaled guess, then corrected against the edges.
      var i = min(Int((r - edges[0]) * (Double(binCount) / (edges[binCount] - edges[0]))), binCount - 1)
      if i > 0 && r < edges[i] { i -= 1 }
      if i < binCount - 1 && r >= edges[i + 1] { i += 1 }
      counts[i] += 1
    }
    var best = 0
    for i in 1..<binCount where counts[i] > counts[best] { best = i }
    return edges[best]
  }

  /// The value of rank `k` (0-based) of `values`, which are reordered so that every value before
  /// index `k` is at most it and every value after is at least it (Wirth's selection with a
  /// median-of-three pivot).
  ///
  /// - Precondition: `k` in `values.indices`; no NaN.
  /// - Complexity: O(n) expected; no allocation.
  static func smallest(rank k: Int, of values: inout [Float]) -> Float {
    precondition(values.indices.contains(k), "rank \(k) outside 0..<\(values.count)")
    return values.withUnsafeMutableBufferPointer { a in
      var lo = 0
      var hi = a.count - 1
      while lo < hi {
        // Order a[lo], a[k], a[hi] so the pivot a[k] is their median.
        if a[k] < a[lo] { a.swapAt(k, lo) }
        if a[hi] < a[k] { a.swapAt(hi, k) }
        if a[k] < a[lo] { a.swapAt(k, lo) }
        let pivot = a[k]
        var i = lo
        var j = hi
        repeat {
          while a[i] < pivot { i += 1 }
          while pivot < a[j] { j -= 1 }
          if i <= j {
            a.swapAt(i, j)
            i += 1
            j -= 1
          }
        } while i <= j
        if j < k { lo = i }
        if k < i { hi = j }
      }
      return a[k]
    }
  }

  /// Estimates the tuning of a spectrogram, as `librosa.estimate_tuning(S=…, sr=…)`.
  ///
  /// Runs ``pitchTrack(_:sampleRate:minimumFrequency:maximumFrequency:threshold:)``, keeps pitches
  /// whose magnitude is at least the median magnitude of all detected pitches, and returns their
  /// ``pitchTuning(_:resolution:binsPerOctave:)``.
  ///
  /// - Parameters:
  ///   - spectrogram: frames-major (for `chroma_stft` parity: the power spectrogram).
  ///   - sampleRate: `sr` in Hz.
  ///   - resolution: histogram resolution in bins (default 0.01).
  ///   - binsPerOctave: default 12.
  /// - Returns: the tuning offset in `[−0.5, 0.5)` bins.
  /// - Throws: as ``pitchTrack(_:sampleRate:minimumFrequency:maximumFrequency:threshold:)``.
  public static func estimateTuning(
    _ spectrogram: Spectrogram, sampleRate: Int, resolution: Double = 0.01, binsPerOctave: Int = 12
  ) throws(DSPError) -> Double {
    var found: [(pitch: Float, magnitude: Float)] = []
    try forEachPeak(
      spectrogram, sampleRate: sampleRate, minimumFrequency: 150, maximumFrequency: 4000, threshold: 0.1
    ) { _, _, pitch, magnitude in
      if pitch > 0 { found.append((pitch, magnitude)) }
    }
    var detected = found.map(\.magnitude)
    var threshold: Float = 0
    if !detected.isEmpty {
      let n = detected.count
      // numpy.median (in float32 for float32 input): mean of the two middle values when even.
      // Selection, not a sort: after it, every value before index n/2 is at most the middle one.
      let upper = smallest(rank: n / 2, of: &detected)
      threshold = n % 2 == 1 ? upper : (detected[0..<(n / 2)].max()! + upper) / 2
    }
    let selected = found.filter { $0.magnitude >= threshold }.map(\.pitch)
    return pitchTuning(selected, resolution: resolution, binsPerOctave: binsPerOctave)
  }
}
