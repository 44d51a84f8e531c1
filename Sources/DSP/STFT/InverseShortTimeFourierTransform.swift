/// The inverse STFT with librosa's semantics (`librosa.istft`): inverse real FFT of every frame,
/// windowed overlap-add, division by the summed squared window, centre trimming.
///
/// Frame `t` is `w[n]·irfft(X[t])[n]`, added at `t·hop`; the sum is divided by
/// `Σₜ w²[n − t·hop]` wherever that exceeds the smallest normal `Float` (librosa's
/// `util.tiny`), then `fftSize / 2` samples are dropped at the start when centred.
extension ShortTimeFourierTransform {
  /// Reconstructs a signal from a complex STFT, as `librosa.istft(stft_matrix, hop_length=…,
  /// n_fft=…, window=…, center=…, length=…)` (frames-major input here).
  ///
  /// Without `length` the result has `hop·(frames − 1)` samples when centred (`fftSize +
  /// hop·(frames − 1)` otherwise), so it is shorter than the analysed signal by up to
  /// `hop − 1 + fftSize`-ish samples, as in librosa; with `length` the reconstruction is cut or
  /// zero-extended to exactly `length` samples (librosa's `length=` path gives the same values).
  ///
  /// The inverse transform of each frame uses one forward real FFT of a folded sequence (the
  /// Hartley identity): with `c[k] = Re X[k] − Im X[k]`, `c[N−k] = Re X[k] + Im X[k]`
  /// (`0 < k < N/2`), `c[0] = Re X[0]`, `c[N/2] = Re X[N/2]` and `C = rfft(c)`,
  /// `x[n] = (Re C[n] − Im C[n]) / N` and `x[N−n] = (Re C[n] + Im C[n]) / N`. Imaginary parts of
  /// the DC and Nyquist bins are ignored, as numpy's `irfft` does.
  ///
  /// - Parameters:
  ///   - spectrogram: frames-major complex STFT with ``binCount`` bins.
  ///   - length: the output length, or `nil` for librosa's default.
  /// - Returns: the reconstructed signal.
  /// - Throws: ``DSPError/shapeMismatch(expected:actual:)`` for a wrong bin count;
  ///   ``DSPError/invalidCount(name:value:valid:)`` for no frames, a negative `length`, or an
  ///   output above 2²⁸ samples.
  /// - Complexity: O(frames × `fftSize` log `fftSize`); one scratch frame.
  public func inverse(_ spectrogram: ComplexSpectrogram, length: Int? = nil) throws(DSPError) -> [Float] {
    guard spectrogram.binCount == binCount else {
      throw .shapeMismatch(expected: "\(binCount) bins per frame (n_fft \(fftSize))",
        actual: "\(spectrogram.binCount)")
    }
    let bins = binCount
    return try spectrogram.real.withUnsafeBufferPointer { (xr) throws(DSPError) in
      try spectrogram.imaginary.withUnsafeBufferPointer { (xi) throws(DSPError) in
        try inverse(frameCount: spectrogram.frameCount, partCount: 1, length: length) { t, count, re, im in
          (re.baseAddress!).update(from: xr.baseAddress! + t * bins, count: count * bins)
          (im.baseAddress!).update(from: xi.baseAddress! + t * bins, count: count * bins)
          return 1
        }[0]
      }
    }
  }

  /// Inverse STFTs of `partCount` spectrograms of `frameCount` frames each, whose frames
  /// `fill` supplies four at a time (so a caller can form them on the fly, e.g. masked, instead
  /// of storing whole spectrograms): `fill(t, count, re, im)` writes frames `t ..< t + count`
  /// of every part into `re` and `im`, part `p`'s frame `t + j` at offset `(p·4 + j)·binCount`,
  /// and returns a bit set of the parts it wrote (bit `p`); the frames of the other parts are
  /// all zero and skipped. Each part is reconstructed as ``inverse(_:length:)`` does; a part no
  /// group wrote comes back empty (its signal is all zeros, and is not stored).
  ///
  /// With `remainderOf`, the signal `x` the STFT `D` was computed from (by this transform), one
  /// more output is `istft(D) − Σ parts` without transforming `D`: `istft(D)` is `x` itself
  /// wherever the window-square sum is normalised (and that sum times the padded `x` where it is
  /// below the smallest normal `Float`), as every frame of `D` inverts to `w·x`. A part that is
  /// `D` minus the others (e.g. a soft mask's complement) then costs no transform.
  ///
  /// - Parameters:
  ///   - signal: at least the samples the outputs cover (`length` or the natural length,
  ///     whichever is smaller) of the analysed signal, or `nil`.
  ///   - minimumCount: outputs shorter than this are extended with zeros, as
  ///     `librosa.util.fix_length` would, without a copy.
  /// - Returns: one signal per part, then the remainder when `signal` is given.
  /// - Throws: as ``inverse(_:length:)``.
  package func inverse(
    frameCount frames: Int, partCount parts: Int, length: Int?, zeroPaddedTo minimumCount: Int = 0,
    remainderOf signal: UnsafeBufferPointer<Float>? = nil,
    fill: (
      _ t: Int, _ count: Int, _ re: UnsafeMutableBufferPointer<Float>, _ im: UnsafeMutableBufferPointer<Float>
    ) -> Int
  ) throws(DSPError) -> [[Float]] {
    precondition(parts >= 1, "an inverse STFT needs at least one part, got \(parts)")
    guard frames >= 1 else { throw .invalidCount(name: "frames", value: frames, valid: ">= 1") }
    if let length, length < 0 { throw .invalidCount(name: "length", value: length, valid: ">= 0") }
    let n = fftSize
    let full = n + hopLength * (frames - 1)
    guard full <= 1 << 28, (length ?? 0) <= 1 << 28 else {
      throw .invalidCount(name: "output samples", value: max(full, length ?? 0), valid: "<= 2^28")
    }
    let start = center ? n / 2 : 0
    let natural = full - 2 * start
    let outputCount = length ?? natural
    let available = max(min(outputCount, full - start), 0)
    if let signal {
      precondition(
        signal.count >= available, "the remainder needs \(available) signal samples, got \(signal.count)")
    }
    // Overlap-add into a window of `span` samples starting at sample `base` (per part, plus the
    // window-square sums): after each group of four frames every sample before the next
    // frame's start is final, so it is normalised straight into the outputs and the window
    // slides on. Each sum still adds the frames in ascending order, as a whole-signal buffer
    // would, without touching 4 signal-length buffers (page faults dominated).
    let span = n + 4 * hopLength
    let sums = UnsafeMutablePointer<Float>.allocate(capacity: (parts + 1) * span)
    sums.initialize(repeating: 0, count: (parts + 1) * span)
    defer { sums.deallocate() }
    let norm = sums + parts * span
    // A part's output is allocated when a group first writes it; the remainder (last) always.
    var outputs = [[Float]](repeating: [], count: signal == nil ? parts : parts + 1)
    var written = 0
    let storedCount = max(outputCount, minimumCount)
    if signal != nil { outputs[parts] = [Float](repeating: 0, count: storedCount) }
    // The remainder of one finished stretch (at most `span` samples) before it is stored.
    let remainder = UnsafeMutablePointer<Float>.allocate(capacity: signal == nil ? 0 : span)
    defer { remainder.deallocate() }
    // Read into a local `base` where used: the captured variable is checked for exclusive
    // access on every read (a call per sample in the normalisation loops).
    var windowStart = 0
    /// Normalises samples `windowStart ..< end` into the outputs and slides the window to `end`.
    func finish(through end: Int) {
      let base = windowStart
      let first = max(base, start)
      let last = min(end, start + available)
      for part in 0..<parts where written & (1 << part) != 0 {
        let y = sums + part * span
        outputs[part].withUnsafeMutableBufferPointer { out in
          guard let o = out.baseAddress else { return }
          var p = first
          let tiny = SIMD4<Float>(repeating: .leastNormalMagnitude)
          while p + 4 <= last {
            let yv = UnsafeRawPointer(y + (p - base)).loadUnaligned(as: SIMD4<Float>.self)
            let sv = UnsafeRawPointer(norm + (p - base)).loadUnaligned(as: SIMD4<Float>.self)
            let quotient = (yv / sv).replacing(with: yv, where: .!(sv .> tiny))
            UnsafeMutableRawPointer(o + (p - start)).storeBytes(of: quotient, as: SIMD4<Float>.self)
            p &+= 4
          }
          while p < last {
            let yv = y[p - base]
            let sv = norm[p - base]
            o[p - start] = sv > Float.leastNormalMagnitude ? yv / sv : yv
            p &+= 1
          }
        }
      }
      if let signal, first < last {
        // istft(D) (the signal, or the window sum times it where unnormalised) minus the parts
        // just written; parts never written are zero.
        let x = signal.baseAddress! - start
        let r = remainder
        let tiny = SIMD4<Float>(repeating: .leastNormalMagnitude)
        var p = first
        while p + 4 <= last {
          let sv = UnsafeRawPointer(norm + (p - base)).loadUnaligned(as: SIMD4<Float>.self)
          let xv = UnsafeRawPointer(x + p).loadUnaligned(as: SIMD4<Float>.self)
          let v = xv.replacing(with: sv * xv, where: .!(sv .> tiny))
          UnsafeMutableRawPointer(r + (p - first)).storeBytes(of: v, as: SIMD4<Float>.self)
          p &+= 4
        }
        while p < last {
          let sv = norm[p - base]
          r[p - first] = sv > Float.leastNormalMagnitude ? x[p] : sv * x[p]
          p &+= 1
        }
        for part in 0..<parts where written & (1 << part) != 0 {
          outputs[part].withUnsafeBufferPointer { out in
            let o = out.baseAddress! + (first - start)
            let count = last - first
            var i = 0
            while i &+ 4 <= count {
              let v = UnsafeRawPointer(r + i).loadUnaligned(as: SIMD4<Float>.self)
                - UnsafeRawPointer(o + i).loadUnaligned(as: SIMD4<Float>.self)
              UnsafeMutableRawPointer(r + i).storeBytes(of: v, as: SIMD4<Float>.self)
              i &+= 4
            }
            while i < count {
              r[i] -= o[i]
              i &+= 1
            }
          }
        }
        outputs[parts].withUnsafeMutableBufferPointer { out in
          (out.baseAddress! + (first - start)).update(from: r, count: last - first)
        }
      }
      let shift = end - base
      // Rows of parts no group has written stay zero.
      for row in 0...parts where row == parts || written & (1 << row) != 0 {
        let r = sums + row * span
        r.update(from: r + shift, count: span - shift)
        (r + span - shift).update(repeating: 0, count: shift)
      }
      windowStart = end
    }
    var folded = [Float](repeating: 0, count: 4 * n)
    var re = [Float](repeating: 0, count: 4 * binCount)
    var im = [Float](repeating: 0, count: 4 * binCount)
    var spectraRe = [Float](repeating: 0, count: 4 * parts * binCount)
    var spectraIm = [Float](repeating: 0, count: 4 * parts * binCount)
    let workspace = makeWorkspace()
    let half = n / 2
    let scale = 1 / Float(n)
    let bins = binCount
    window.withUnsafeBufferPointer { w in
      do {
        folded.withUnsafeMutableBufferPointer { c in
          re.withUnsafeMutableBufferPointer { cr in
            im.withUnsafeMutableBufferPointer { ci in
              spectraRe.withUnsafeMutableBufferPointer { xr in
                spectraIm.withUnsafeMutableBufferPointer { xi in
                  let c = c.baseAddress!
                  let cr = cr.baseAddress!
                  let ci = ci.baseAddress!
                  let wp = w.baseAddress!
                  var t0 = 0
                  // Four frames per pass: the FFT kernel transforms four lanes at once.
                  while t0 < frames {
                    let count = min(4, frames - t0)
                    let group = fill(t0, count, xr, xi)
                    for part in 0..<parts where group & (1 << part) != 0 && written & (1 << part) == 0 {
                      outputs[part] = [Float](repeating: 0, count: storedCount)
                    }
                    written |= group
                    let base = windowStart
                    for part in 0..<parts where group & (1 << part) != 0 {
                      for j in 0..<count {
                        let r = xr.baseAddress! + (part * 4 + j) * bins
                        let i = xi.baseAddress! + (part * 4 + j) * bins
                        let f = c + j * n
                        f[0] = r[0]
                        f[half] = r[half]
                        // Ascending, overflow-free loops (a descending store kept this scalar).
                        var k = 1
                        while k < half {
                          f[k] = r[k] - i[k]
                          k &+= 1
                        }
                        let upper = f + n
                        k = 1
                        while k &+ 4 <= half {
                          reverseStore(load(r + k) + load(i + k), at: upper - k - 3)
                          k &+= 4
                        }
                        while k < half {
                          (upper - k).pointee = r[k] + i[k]
                          k &+= 1
                        }
                      }
                      func lane(_ j: Int) -> UnsafePointer<Float> { UnsafePointer(c + min(j, count - 1) * n) }
                      plan.spectra(
                        frames: (lane(0), lane(1), lane(2), lane(3)), count: count, window: nil,
                        real: (cr, cr + bins, cr + 2 * bins, cr + 3 * bins),
                        imaginary: (ci, ci + bins, ci + 2 * bins, ci + 3 * bins), workspace: workspace)
                      do {
                        let y = sums + part * span
                        for j in 0..<count {
                          let a = cr + j * bins
                          let b = ci + j * bins
                          // Unfold and overlap-add in one pass, four samples per vector op:
                          // x[m] = a[m] − b[m] up to the middle, x[n − m] = a[m] + b[m] above
                          // it (read in reverse), each added as (w·x)·scale.
                          let yo = y + (t0 + j) * hopLength - base
                          let scales = SIMD4<Float>(repeating: scale)
                          var m = 0
                          while m &+ 4 <= half &+ 1 {
                            let x = load(a + m) - load(b + m)
                            store(load(yo + m) + load(wp + m) * x * scales, at: yo + m)
                            m &+= 4
                          }
                          while m <= half {
                            yo[m] += wp[m] * (a[m] - b[m]) * scale
                            m &+= 1
                          }
                          // Here m = half + 1: sample u = n − k for k = half − 1 down to 1.
                          while m &+ 4 <= n {
                            let k = n - m - 3
                            let v = load(a + k) + load(b + k)
                            let x = SIMD4(v[3], v[2], v[1], v[0])
                            store(load(yo + m) + load(wp + m) * x * scales, at: yo + m)
                            m &+= 4
                          }
                          while m < n {
                            yo[m] += wp[m] * (a[n - m] + b[n - m]) * scale
                            m &+= 1
                          }
                        }
                      }
                    }
                    for j in 0..<count {
                      let so = norm + (t0 + j) * hopLength - base
                      var m = 0
                      while m < n {
                        so[m] += wp[m] * wp[m]
                        m &+= 1
                      }
                    }
                    t0 += count
                    finish(through: t0 < frames ? t0 * hopLength : full)
                  }
                }
              }
            }
          }
        }
      }
    }
    return outputs
  }

  /// Four floats from `x`.
  @inline(__always)
  private func load(_ x: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(x).loadUnaligned(as: SIMD4<Float>.self)
  }

  /// Stores four floats at `x`.
  @inline(__always)
  private func store(_ v: SIMD4<Float>, at x: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(x).storeBytes(of: v, as: SIMD4<Float>.self)
  }

  /// Stores `v` in reverse lane order at `x[0..<4]` (`x[3 − j] = v[j]`): the mirrored halves of
  /// the folded and unfolded frames, four samples per store (one at a time they stayed scalar).
  @inline(__always)
  private func reverseStore(_ v: SIMD4<Float>, at x: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(x).storeBytes(of: SIMD4(v[3], v[2], v[1], v[0]), as: SIMD4<Float>.self)
  }
}
