/// The Winograd minimal-filtering transforms F(4 × 4, 3 × 3) (Lavin & Gray, "Fast Algorithms for
/// Convolutional Neural Networks", 2016, interpolation points 0, ±1, ±2, ∞).
///
/// A 4 × 4 block of a 3 × 3 cross-correlation is `Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A`, where `d` is the
/// 6 × 6 input tile, `g` the 3 × 3 kernel and ⊙ the element-wise product; summed over input
/// channels, the 36 element-wise products become 36 independent matrix products. That costs
/// 36 multiplications per 16 outputs instead of 144 (4×).
///
///     Bᵀ = [ 4  0 −5  0  1  0 ]     G = [  1/4     0     0  ]     Aᵀ = [ 1  1  1  1  1  0 ]
///          [ 0 −4 −4  1  1  0 ]         [ −1/6  −1/6  −1/6 ]          [ 0  1 −1  2 −2  0 ]
///          [ 0  4 −4 −1  1  0 ]         [ −1/6   1/6  −1/6 ]          [ 0  1  1  4  4  0 ]
///          [ 0 −2 −1  2  1  0 ]         [ 1/24  1/12   1/6 ]          [ 0  1 −1  8 −8  1 ]
///          [ 0  2 −1 −2  1  0 ]         [ 1/24 −1/12   1/6 ]
///          [ 0  4  0 −5  0  1 ]         [   0     0     1  ]
///
/// The input and output transforms below act on `SIMD4<Float>` lanes of 4 channels at once (the
/// activations are channels-last), with additions only where the coefficients allow it.
enum WinogradTransforms {
  /// The tile edge of the output block (m = 4).
  static let outputTile = 4
  /// The tile edge of the input block (m + r − 1 = 6).
  static let inputTile = 6
  /// Element-wise products per tile (6 × 6).
  static let products = 36

  /// `G`, 6 × 3, row-major.
  static let g: [Double] = [
    1.0 / 4, 0, 0,
    -1.0 / 6, -1.0 / 6, -1.0 / 6,
    -1.0 / 6, 1.0 / 6, -1.0 / 6,
    1.0 / 24, 1.0 / 12, 1.0 / 6,
    1.0 / 24, -1.0 / 12, 1.0 / 6,
    0, 0, 1,
  ]

  /// `G k Gᵀ` (6 × 6, row-major) of one 3 × 3 kernel `k` (row-major), in double precision.
  static func kernelTransform(_ k: [Double]) -> [Double] {
    precondition(k.count == 9, "a 3 × 3 kernel has 9 values, got \(k.count)")
    // t = G k (6 × 3), then t Gᵀ (6 × 6).
    var t = [Double](repeating: 0, count: 18)
    for i in 0..<6 {
      for j in 0..<3 {
        var s = 0.0
        for l in 0..<3 { s += g[i * 3 + l] * k[l * 3 + j] }
        t[i * 3 + j] = s
      }
    }
    var u = [Double](repeating: 0, count: 36)
    for i in 0..<6 {
      for j in 0..<6 {
        var s = 0.0
        for l in 0..<3 { s += t[i * 3 + l] * g[j * 3 + l] }
        u[i * 6 + j] = s
      }
    }
    return u
  }

  /// `Bᵀ x` for one 6-vector `x` (4 channels per lane).
  @inline(__always)
  static func inputColumn(
    _ x0: SIMD4<Float>, _ x1: SIMD4<Float>, _ x2: SIMD4<Float>, _ x3: SIMD4<Float>,
    _ x4: SIMD4<Float>, _ x5: SIMD4<Float>
  ) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    let four: SIMD4<Float> = .init(repeating: 4)
    let five: SIMD4<Float> = .init(repeating: 5)
    let two: SIMD4<Float> = .init(repeating: 2)
    let a = x4 - four * x2
    let b = x3 - four * x1
    let c = x4 - x2
    let e = two * (x3 - x1)
    return (
      four * x0 - five * x2 + x4, a + b, a - b, c + e, c - e, four * x1 - five * x3 + x5
    )
  }

  /// `Aᵀ m` for one 6-vector `m` (4 channels per lane).
  @inline(__always)
  static func outputColumn(
    _ m0: SIMD4<Float>, _ m1: SIMD4<Float>, _ m2: SIMD4<Float>, _ m3: SIMD4<Float>,
    _ m4: SIMD4<Float>, _ m5: SIMD4<Float>
  ) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    let s12 = m1 + m2
    let d12 = m1 - m2
    let s34 = m3 + m4
    let d34 = m3 - m4
    let two: SIMD4<Float> = .init(repeating: 2)
    let four: SIMD4<Float> = .init(repeating: 4)
    let eight: SIMD4<Float> = .init(repeating: 8)
    return (m0 + s12 + s34, d12 + two * d34, s12 + four * s34, d12 + eight * d34 + m5)
  }
}
