/// `10·log10(x)` for four positive normal floats at once, accurate to about one float32 ulp of
/// the result.
///
/// `x = 2^e·m` with `m ∈ [√½, √2)`; `ln m = 2·atanh(t) = 2(t + t³/3 + t⁵/5 + t⁷/7 + t⁹/9)`
/// with `t = (m − 1)/(m + 1)`, `|t| ≤ 0.172` (truncation error below 1e-9);
/// `ln x = e·ln 2 + ln m` with `ln 2` split in two so `e·ln2_hi` is exact. Callers must pass values in
/// `[Float.leastNormalMagnitude, Float.greatestFiniteMagnitude]` (``Decibels`` clamps with
/// `amin` first and falls back to `log10` otherwise).
@inline(__always)
func tenLog10(_ x: SIMD4<Float>) -> SIMD4<Float> {
  let bits = unsafeBitCast(x, to: SIMD4<UInt32>.self)
  var exponent = SIMD4<Int32>(truncatingIfNeeded: (bits &>> 23) & 0xff) &- 127
  var m = unsafeBitCast((bits & 0x007f_ffff) | 0x3f80_0000, to: SIMD4<Float>.self)
  let big = m .> 1.414_213_5
  m.replace(with: m * 0.5, where: big)
  exponent.replace(with: exponent &+ 1, where: big)
  let t = (m - 1) / (m + 1)
  let t2 = t * t
  let c9 = SIMD4<Float>(repeating: 2.0 / 9)
  let c7 = SIMD4<Float>(repeating: 2.0 / 7)
  let c5 = SIMD4<Float>(repeating: 2.0 / 5)
  let c3 = SIMD4<Float>(repeating: 2.0 / 3)
  var p = c7 + t2 * c9
  p = c5 + t2 * p
  p = c3 + t2 * p
  p = 2 + t2 * p
  let series = t * p
  let e = SIMD4<Float>(exponent)
  let lnHigh = SIMD4<Float>(repeating: 0.693_145_751_953_125)
  let lnLow = SIMD4<Float>(repeating: 1.428_606_765_330_187e-6)
  let ln = e * lnHigh + (e * lnLow + series)
  return ln * SIMD4<Float>(repeating: 4.342_944_819_032_518)
}

/// `√x` for four non-negative floats, within 2 float32 ulps, using only multiplies and adds.
///
/// Swift's `SIMD4<Float>.squareRoot()` becomes four scalar `sqrtf` calls guarded for errno on
/// the default x86-64 target (1.8 ms per 30 s magnitude spectrogram); this instead refines the
/// classic bit-pattern estimate of `1/√x` (≈3.4 % error) with three Newton steps
/// `r ← r·(1.5 − ½·x·r²)` (error 1.7e-3 → 4e-6 → 3e-11) and returns `x·r`. Zero maps to zero;
/// callers route subnormal or non-finite lanes to the scalar square root.
@inlinable @inline(__always)
func squareRoot(_ x: SIMD4<Float>) -> SIMD4<Float> {
  let bits = unsafeBitCast(x, to: SIMD4<UInt32>.self)
  var r = unsafeBitCast(0x5f37_59df &- (bits &>> 1), to: SIMD4<Float>.self)
  let half = x * 0.5
  let threeHalves = SIMD4<Float>(repeating: 1.5)
  r = r * (threeHalves - half * r * r)
  r = r * (threeHalves - half * r * r)
  r = r * (threeHalves - half * r * r)
  return x * r
}

/// `√x` per lane of four non-negative floats: ``squareRoot(_:)`` (within 2 ulps) when every lane
/// is zero or a positive normal number, else `Float.squareRoot()` per lane (exact; subnormal,
/// infinite or NaN lanes, which the Newton steps would turn into NaN).
///
/// For magnitudes from power spectra in hot loops (a scalar square root per value costs about
/// 1.5 ns on the default x86-64 target; this about a quarter of that).
@inlinable @inline(__always)
package func magnitudes(fromPower x: SIMD4<Float>) -> SIMD4<Float> {
  let ordinary = (x .>= SIMD4(repeating: .leastNormalMagnitude) .| x .== 0)
    .& x .<= SIMD4(repeating: .greatestFiniteMagnitude)
  if _fastPath(all(ordinary)) { return squareRoot(x) }
  return x.squareRoot()
}

/// ``squareRoot(_:)`` (within 2 ulps) without the lane checks of ``magnitudes(fromPower:)``: exact
/// only for lanes that are zero or positive normal numbers. Subnormal lanes give inaccurate
/// values and infinite or NaN lanes give NaN, so callers check the inputs (e.g. one compare per
/// vector against `Float.leastNormalMagnitude`, or-ed over a loop) and recompute otherwise.
@inlinable @inline(__always)
package func squareRootOfNormal(_ x: SIMD4<Float>) -> SIMD4<Float> { squareRoot(x) }

/// Replaces `count` floats at `values` by their square roots: ``squareRoot(_:)`` four at a time
/// while every lane is zero or a positive normal number, `Float.squareRoot()` otherwise.
func squareRootInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
  let raw = UnsafeMutableRawPointer(values)
  var i = 0
  let smallest = SIMD4<Float>(repeating: .leastNormalMagnitude)
  let largest = SIMD4<Float>(repeating: .greatestFiniteMagnitude)
  while i + 4 <= count {
    let x = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD4<Float>.self)
    let ordinary = (x .>= smallest .| x .== 0) .& x .<= largest
    if all(ordinary) {
      raw.storeBytes(of: squareRoot(x), toByteOffset: 4 * i, as: SIMD4<Float>.self)
    } else {
      for j in i..<(i + 4) { values[j] = values[j].squareRoot() }
    }
    i += 4
  }
  while i < count {
    values[i] = values[i].squareRoot()
    i += 1
  }
}
