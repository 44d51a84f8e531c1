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

/// Replaces `count` floats at `values` by their square roots, correctly rounded (the values of
/// `Float.squareRoot()`), vectorised to `sqrtps` on the default x86-64 target.
///
/// `Float.squareRoot()` lowers to libm's `sqrtf`, which must set `errno` for negative input, so
/// LLVM keeps it scalar behind a branch (and `SIMD4.squareRoot()` becomes four such calls); the
/// square root of `x.magnitude` can never take that branch, which lets the loop vectorise.
/// Negative inputs give NaN as `sqrtf` does; `-0` gives `+0`.
func squareRootInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
  for i in 0..<count {
    let x = values[i]
    values[i] = x < 0 ? .nan : x.magnitude.squareRoot()
  }
}

/// `√|x|` per lane, correctly rounded (`Float.squareRoot()` of each lane's magnitude): the
/// magnitude can never take `sqrtf`'s errno branch (see ``squareRootInPlace(_:count:)``), so
/// no libm call per lane. For non-negative lanes (powers) this is exactly `x.squareRoot()`.
@inlinable @inline(__always)
func squareRoot(_ x: SIMD4<Float>) -> SIMD4<Float> {
  SIMD4(
    x[0].magnitude.squareRoot(), x[1].magnitude.squareRoot(), x[2].magnitude.squareRoot(),
    x[3].magnitude.squareRoot())
}

/// `√x` per lane of four non-negative floats (powers), correctly rounded: the values of
/// `Float.squareRoot()`, including zero, subnormal, infinite and NaN lanes.
///
/// For magnitudes from power spectra in hot loops (a libm square root per value costs about
/// 1.5 ns on the default x86-64 target).
@inlinable @inline(__always)
package func magnitudes(fromPower x: SIMD4<Float>) -> SIMD4<Float> { squareRoot(x) }

/// ``squareRoot(_:)`` for callers that have checked their lanes are zero or positive normal
/// numbers (e.g. one compare per vector): the same correctly rounded values as
/// ``magnitudes(fromPower:)``.
@inlinable @inline(__always)
package func squareRootOfNormal(_ x: SIMD4<Float>) -> SIMD4<Float> { squareRoot(x) }
