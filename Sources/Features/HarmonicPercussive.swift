import DSP
import Foundation

extension FrameFeatures {
  /// Harmonic–percussive source separation of a complex STFT, as
  /// `librosa.decompose.hpss(D, kernel_size=31, power=2, mask=False, margin=1)`.
  ///
  /// With `S = |D|`, `H = median_filter(S, size=(1, k))` (along time) and `P =
  /// median_filter(S, size=(k, 1))` (along frequency) (`scipy.ndimage` `reflect` edges), the soft
  /// masks are `M_H = Hᵖ / (Hᵖ + Pᵖ)`, `M_P = Pᵖ / (Hᵖ + Pᵖ)` (`librosa.util.softmask`, both 0
  /// where `max(H, P)` is below the smallest normal `Float`), and the parts are `D·M_H`, `D·M_P`.
  ///
  /// - Parameters:
  ///   - stft: the complex STFT, frames-major.
  ///   - kernelSize: the median filter length, odd or even, in `1...4097` (default 31).
  ///   - power: the mask exponent, > 0 (default 2).
  /// - Returns: the harmonic and percussive complex spectrograms.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for a bad kernel or power.
  /// - Complexity: O(frames × bins × kernelSize).
  public static func harmonicPercussive(
    _ stft: ComplexSpectrogram, kernelSize: Int = 31, power: Float = 2
  ) throws(FeatureError) -> (harmonic: ComplexSpectrogram, percussive: ComplexSpectrogram) {
    guard power > 0, power.isFinite else {
      throw .invalidParameter(name: "power", value: "\(power)", valid: "> 0")
    }
    guard kernelSize >= 1, kernelSize <= MedianFilter.maximumSize else {
      throw .invalidParameter(name: "kernel_size", value: "\(kernelSize)", valid: "in 1...\(MedianFilter.maximumSize)")
    }
    let count = stft.frameCount * stft.binCount
    var magnitude = [Float](repeating: 0, count: count)
    stft.real.withUnsafeBufferPointer { re in
      stft.imaginary.withUnsafeBufferPointer { im in
        magnitude.withUnsafeMutableBufferPointer { m in
          for i in 0..<count { m[i] = (re[i] * re[i] + im[i] * im[i]).squareRoot() }
        }
      }
    }
    let s = Spectrogram(frameCount: stft.frameCount, binCount: stft.binCount, values: magnitude)
    return try harmonicPercussive(stft, magnitude: s, kernelSize: kernelSize, power: power)
  }

  /// ``harmonicPercussive(_:kernelSize:power:)`` given `|D|` already computed (as
  /// `(re² + im²).squareRoot()` per value), so a caller that also needs the magnitude computes it
  /// once.
  ///
  /// - Parameters:
  ///   - stft: the complex STFT, frames-major.
  ///   - s: its magnitude, same shape (a caller bug otherwise).
  ///   - kernelSize: the median filter length, in `1...4097`.
  ///   - power: the mask exponent, > 0.
  /// - Returns: the harmonic and percussive complex spectrograms.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for a bad kernel or power.
  /// - Complexity: O(frames × bins × kernelSize).
  package static func harmonicPercussive(
    _ stft: ComplexSpectrogram, magnitude s: Spectrogram, kernelSize: Int = 31, power: Float = 2
  ) throws(FeatureError) -> (harmonic: ComplexSpectrogram, percussive: ComplexSpectrogram) {
    precondition(
      s.frameCount == stft.frameCount && s.binCount == stft.binCount,
      "magnitude \(s.frameCount)×\(s.binCount) does not match the STFT \(stft.frameCount)×\(stft.binCount)")
    guard power > 0, power.isFinite else {
      throw .invalidParameter(name: "power", value: "\(power)", valid: "> 0")
    }
    guard kernelSize >= 1, kernelSize <= MedianFilter.maximumSize else {
      throw .invalidParameter(name: "kernel_size", value: "\(kernelSize)", valid: "in 1...\(MedianFilter.maximumSize)")
    }
    let count = stft.frameCount * stft.binCount
    let h = try dsp { () throws(DSPError) in try MedianFilter.apply(s, size: kernelSize, along: .frames) }
    let p = try dsp { () throws(DSPError) in try MedianFilter.apply(s, size: kernelSize, along: .bins) }
    // Both masks in one pass, written straight into fresh arrays (no copy-then-scale of the
    // 5 MB inputs).
    var hr = [Float]()
    var hi = [Float]()
    var pr = [Float]()
    var pi = [Float]()
    func fresh(_ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
      [Float](unsafeUninitializedCapacity: count) { out, initialized in
        if count > 0 { body(out.baseAddress!) }
        initialized = count
      }
    }
    let bins = stft.binCount
    stft.real.withUnsafeBufferPointer { re in
      stft.imaginary.withUnsafeBufferPointer { im in
        h.values.withUnsafeBufferPointer { hv in
          p.values.withUnsafeBufferPointer { pv in
            hr = fresh { ohr in
              hi = fresh { ohi in
                pr = fresh { opr in
                  pi = fresh { opi in
                    for t in 0..<stft.frameCount {
                      let o = t * bins
                      maskRow(
                        real: re.baseAddress! + o, imaginary: im.baseAddress! + o,
                        harmonic: hv.baseAddress! + o, percussive: pv.baseAddress! + o, count: bins, power: power,
                        into: (ohr + o, ohi + o, opr + o, opi + o))
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    var harmonic = stft
    harmonic.real = hr
    harmonic.imaginary = hi
    var percussive = stft
    percussive.real = pr
    percussive.imaginary = pi
    return (harmonic, percussive)
  }
  /// One row of both masked spectra: `(re, im)·M_H` and `(re, im)·M_P` with the soft masks of
  /// ``softMasks(_:_:power:squared:)`` for `count` bins.
  ///
  /// For power 2, four bins at a time with one division for the ratio `r = min(H, P) / max(H, P)`
  /// (the other ratio is exactly 1) and two for the masks `1 / (1 + r²)` and `r² / (1 + r²)`:
  /// the same operations on the same values as the scalar formula, so the same bits.
  @inline(__always)
  static func maskRow(
    real re: UnsafePointer<Float>, imaginary im: UnsafePointer<Float>, harmonic h: UnsafePointer<Float>,
    percussive p: UnsafePointer<Float>, count: Int, power: Float,
    into out: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>)
  ) {
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
      while k + 4 <= count {
        let hv = load(h)
        let pv = load(p)
        // max(h, p) as Swift's `max` picks it (p when equal: the same value).
        let harmonicLarger = hv .> pv
        let z = pv.replacing(with: hv, where: harmonicLarger)
        let r = hv.replacing(with: pv, where: harmonicLarger) / z
        let r2 = r * r
        let sum = one + r2
        let large = one / sum
        let small = r2 / sum
        let silent = z .< tiny
        let maskH = small.replacing(with: large, where: harmonicLarger).replacing(with: zero, where: silent)
        let maskP = large.replacing(with: small, where: harmonicLarger).replacing(with: zero, where: silent)
        let x = load(re)
        let y = load(im)
        store(x * maskH, out.0)
        store(y * maskH, out.1)
        store(x * maskP, out.2)
        store(y * maskP, out.3)
        k += 4
      }
    }
    while k < count {
      let (maskH, maskP) = softMasks(h[k], p[k], power: power, squared: power == 2)
      out.0[k] = re[k] * maskH
      out.1[k] = im[k] * maskH
      out.2[k] = re[k] * maskP
      out.3[k] = im[k] * maskP
      k += 1
    }
  }

  /// librosa's soft masks `Hᵖ / (Hᵖ + Pᵖ)` and `Pᵖ / (Hᵖ + Pᵖ)` of one bin, computed on `H / z`,
  /// `P / z` with `z = max(H, P)` (`librosa.util.softmask`); both 0 when `z` is below the
  /// smallest normal `Float`.
  @inline(__always)
  static func softMasks(_ h: Float, _ p: Float, power: Float, squared: Bool) -> (Float, Float) {
    let z = max(h, p)
    guard z >= Float.leastNormalMagnitude else { return (0, 0) }
    let x = h / z
    let y = p / z
    let a = squared ? x * x : powf(x, power)
    let b = squared ? y * y : powf(y, power)
    return (a / (a + b), b / (a + b))
  }
}
