import DSP

extension FrameFeatures {
  /// The harmonic and percussive signals of HPSS, as `librosa.istft` of the two parts of
  /// ``harmonicPercussive(_:magnitude:kernelSize:power:)`` (without `length`), with the masked
  /// spectra formed four frames at a time inside the inverse STFT instead of stored.
  ///
  /// Without `signal`, both parts are transformed and the values are those of the stored parts,
  /// bit for bit. With `signal` (the samples `stft` was computed from), only the harmonic part
  /// is: the masks sum to one wherever `max(H, P)` is normal, so the percussive signal is
  /// `istft(D) − harmonic − istft(D·[silent])`, where `istft(D)` is the signal itself (see the
  /// inverse STFT's remainder) and the last term, the bins both masks zero, is transformed
  /// only for the groups of frames that have such a bin with energy. The percussive values then
  /// differ from the stored part's by rounding (the masks' sum is one within an ulp, and the
  /// signal replaces its own inverse transform).
  ///
  /// - Parameters:
  ///   - stft: the complex STFT, frames-major.
  ///   - s: its magnitude, same shape.
  ///   - transform: the STFT that produced `stft` (its inverse is applied).
  ///   - signal: the analysed samples (at least `hop·(frames − 1)` of them when centred), or
  ///     `nil` to transform the percussive part too. Given, both signals come back zero-extended
  ///     to its length when shorter (`librosa.util.fix_length`, as the table recipe does).
  ///   - kernelSize: the median filter length.
  ///   - power: the mask exponent.
  /// - Returns: the two signals, `hop·(frames − 1)` samples each when centred (at least the
  ///   signal's length when `signal` is given).
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for a bad kernel or power;
  ///   ``FeatureError/dsp(_:)`` when the inverse STFT refuses.
  package static func harmonicPercussiveSignals(
    _ stft: ComplexSpectrogram, magnitude s: Spectrogram, transform: ShortTimeFourierTransform,
    signal: [Float]? = nil, kernelSize: Int = 31, power: Float = 2
  ) throws(FeatureError) -> (harmonic: [Float], percussive: [Float]) {
    precondition(
      s.frameCount == stft.frameCount && s.binCount == stft.binCount && stft.binCount == transform.binCount,
      "magnitude \(s.frameCount)×\(s.binCount), STFT \(stft.frameCount)×\(stft.binCount) and n_fft "
        + "\(transform.fftSize) disagree")
    guard power > 0, power.isFinite else {
      throw .invalidParameter(name: "power", value: "\(power)", valid: "> 0")
    }
    guard kernelSize >= 1, kernelSize <= MedianFilter.maximumSize else {
      throw .invalidParameter(
        name: "kernel_size", value: "\(kernelSize)", valid: "in 1...\(MedianFilter.maximumSize)")
    }
    let bins = stft.binCount
    // Both filters advance with the inverse STFT, which asks for four frames at a time: the
    // harmonic one (along time) reads the magnitude row by row, the percussive one (along
    // frequency) filters the four frames; no spectrogram-sized array is stored.
    let harmonic = MedianFilter.FrameStream(frameCount: stft.frameCount, binCount: bins, size: kernelSize)
    let percussive = MedianFilter.FrameGroupFilter(binCount: bins, size: kernelSize)
    let hv = UnsafeMutablePointer<Float>.allocate(capacity: 4 * bins)
    let pv = UnsafeMutablePointer<Float>.allocate(capacity: 4 * bins)
    defer {
      hv.deallocate()
      pv.deallocate()
    }
    // The harmonic rows of the current group: in the stream's memory when its blocks of frames
    // hold whole groups of four (the inverse STFT's groups start at multiples of four), else
    // copied into `hv`.
    let shared = harmonic.blockLength % 4 == 0
    var rows = [UnsafePointer<Float>](repeating: UnsafePointer(hv), count: 4)
    return try stft.real.withUnsafeBufferPointer { (xr) throws(FeatureError) in
      try stft.imaginary.withUnsafeBufferPointer { (xi) throws(FeatureError) in
        try s.values.withUnsafeBufferPointer { (sv) throws(FeatureError) in
          try dsp { () throws(DSPError) in
            let (xr, xi, sv) = (xr.baseAddress!, xi.baseAddress!, sv.baseAddress!)
            /// The median filters of frames `t ..< t + count`: harmonic rows in `rows`, percussive
            /// ones in `pv`.
            func filter(_ t: Int, _ count: Int) {
              percussive.filter(sv + t * bins, count: count, into: pv)
              for j in 0..<count {
                if shared {
                  rows[j] = harmonic.next(source: sv)
                } else {
                  harmonic.next(source: sv, into: hv + j * bins)
                  rows[j] = UnsafePointer(hv + j * bins)
                }
              }
            }
            guard let signal else {
              let signals = try transform.inverse(frameCount: stft.frameCount, partCount: 2, length: nil) {
                t, count, re, im in
                filter(t, count)
                for j in 0..<count {
                  let offset = (t + j) * bins
                  maskRow(
                    real: xr + offset, imaginary: xi + offset, harmonic: rows[j], percussive: pv + j * bins,
                    count: bins, power: power,
                    into: (
                      re.baseAddress! + j * bins, im.baseAddress! + j * bins,
                      re.baseAddress! + (4 + j) * bins, im.baseAddress! + (4 + j) * bins
                    ))
                }
                return 0b11
              }
              return (signals[0], signals[1])
            }
            // Part 0: the harmonic spectrum; part 1: the bins both masks zero (usually none);
            // the remainder is the percussive signal.
            let signals = try signal.withUnsafeBufferPointer { (x) throws(DSPError) in
              try transform.inverse(
                frameCount: stft.frameCount, partCount: 2, length: nil, zeroPaddedTo: x.count, remainderOf: x
              ) {
                t, count, re, im in
                filter(t, count)
                var silent = false
                for j in 0..<count {
                  let offset = (t + j) * bins
                  let row = harmonicRow(
                    real: xr + offset, imaginary: xi + offset, harmonic: rows[j], percussive: pv + j * bins,
                    count: bins, power: power, into: (re.baseAddress! + j * bins, im.baseAddress! + j * bins))
                  silent = silent || row
                }
                guard silent else { return 0b01 }
                for j in 0..<count {
                  let offset = (t + j) * bins
                  for k in 0..<bins {
                    let quiet = !(max(rows[j][k], pv[j * bins + k]) >= Float.leastNormalMagnitude)
                    re[(4 + j) * bins + k] = quiet ? xr[offset + k] : 0
                    im[(4 + j) * bins + k] = quiet ? xi[offset + k] : 0
                  }
                }
                return 0b11
              }
            }
            return (signals[0], signals[2])
          }
        }
      }
    }
  }

  /// One row of the harmonic spectrum, `(re, im)·M_H` with the soft mask of
  /// ``softMasks(_:_:power:squared:)`` (the same bits as
  /// ``maskRow(real:imaginary:harmonic:percussive:count:power:into:)``).
  ///
  /// - Returns: whether a bin with energy has both masks zero (`max(H, P)` below the smallest
  ///   normal `Float`).
  @inline(__always)
  static func harmonicRow(
    real re: UnsafePointer<Float>, imaginary im: UnsafePointer<Float>, harmonic h: UnsafePointer<Float>,
    percussive p: UnsafePointer<Float>, count: Int, power: Float,
    into out: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
  ) -> Bool {
    var silent = false
    var k = 0
    if power == 2 {
      let one = SIMD4<Float>(repeating: 1)
      let zero = SIMD4<Float>()
      let tiny = SIMD4<Float>(repeating: .leastNormalMagnitude)
      func load(_ x: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(x + k).loadUnaligned(as: SIMD4<Float>.self)
      }
      func store(_ v: SIMD4<Float>, _ x: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(x + k).storeBytes(of: v, as: SIMD4<Float>.self)
      }
      var quietEnergy = SIMDMask<SIMD4<Int32>>(repeating: false)
      while k + 4 <= count {
        let hv = load(h)
        let pv = load(p)
        let harmonicLarger = hv .> pv
        let z = pv.replacing(with: hv, where: harmonicLarger)
        let r = hv.replacing(with: pv, where: harmonicLarger) / z
        let r2 = r * r
        let sum = one + r2
        let quiet = z .< tiny
        // 1 / (1 + r²) where H is the larger, r² / (1 + r²) elsewhere: one division per lane.
        let maskH = (r2.replacing(with: one, where: harmonicLarger) / sum).replacing(with: zero, where: quiet)
        let x = load(re)
        let y = load(im)
        store(x * maskH, out.0)
        store(y * maskH, out.1)
        quietEnergy = quietEnergy .| (quiet .& ((x .!= zero) .| (y .!= zero)))
        k += 4
      }
      silent = any(quietEnergy)
    }
    while k < count {
      let (maskH, _) = softMasks(h[k], p[k], power: power, squared: power == 2)
      out.0[k] = re[k] * maskH
      out.1[k] = im[k] * maskH
      if !(max(h[k], p[k]) >= Float.leastNormalMagnitude), re[k] != 0 || im[k] != 0 { silent = true }
      k += 1
    }
    return silent
  }
}
