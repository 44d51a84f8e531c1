extension QuadRealFFT {
  /// Unpacks the complex transform `Z` into the power spectra `|X[k]|²` (or magnitudes
  /// `|X[k]|`), `k = 0...M`, of all four lanes and writes them straight to four rows: the work
  /// of ``unpackPower(_:power:)`` followed by ``scatterLanes(_:count:rowCount:rows:)`` in one
  /// pass, each group of four bins transposed in registers (no lane buffer written and re-read).
  ///
  /// Bins `k = 4j...4j+3` and their partners `M−k` are formed together, so each step stores
  /// one ascending and one descending group of four bins per row. Requires `M ≥ 8`.
  ///
  /// - Parameters:
  ///   - z: the transform from ``complexTransform(_:skippingFirstStage:)``.
  ///   - rows: four rows of `M + 1` values, one per lane.
  ///   - magnitude: store `|X[k]|` (correctly rounded square roots) instead of `|X[k]|²`.
  @inline(__always)
  func unpackPowerRows(
    _ z: UnsafePointer<SIMD4<Float>>,
    rows: (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
    ),
    magnitude: Bool
  ) {
    let m = half
    precondition(m >= 8, "unpackPowerRows needs M >= 8, got \(m)")
    let h = SIMD4<Float>(repeating: 0.5)
    let o0 = UnsafeMutableRawPointer(rows.0)
    let o1 = UnsafeMutableRawPointer(rows.1)
    let o2 = UnsafeMutableRawPointer(rows.2)
    let o3 = UnsafeMutableRawPointer(rows.3)
    // The sums of squares are known non-negative here, so `squareRoot()` becomes `sqrtps`.
    @inline(__always)
    func finish(_ re: SIMD4<Float>, _ im: SIMD4<Float>) -> SIMD4<Float> {
      magnitude ? (re * re + im * im).squareRoot() : re * re + im * im
    }
    @inline(__always)
    func store(
      _ a: SIMD4<Float>, _ b: SIMD4<Float>, _ c: SIMD4<Float>, _ d: SIMD4<Float>, at bin: Int
    ) {
      let t = Self.transpose(a, b, c, d)
      o0.storeBytes(of: t.0, toByteOffset: 4 * bin, as: SIMD4<Float>.self)
      o1.storeBytes(of: t.1, toByteOffset: 4 * bin, as: SIMD4<Float>.self)
      o2.storeBytes(of: t.2, toByteOffset: 4 * bin, as: SIMD4<Float>.self)
      o3.storeBytes(of: t.3, toByteOffset: 4 * bin, as: SIMD4<Float>.self)
    }
    unpack.withUnsafeBufferPointer { u in
      position.withUnsafeBufferPointer { pos in
        let u = u.baseAddress!
        let pos = pos.baseAddress!
        // Bins k and M − k, 1 ≤ k ≤ M/2 (see unpackPower for the algebra).
        @inline(__always)
        func pair(_ k: Int) -> (SIMD4<Float>, SIMD4<Float>) {
          let pk = Int(pos[k])
          let pmk = Int(pos[m - k])
          let ar = z[pk]
          let ai = z[pk + 1]
          let br = z[pmk]
          let bi = z[pmk + 1]
          let sr = ar + br
          let dr = ar - br
          let si = ai + bi
          let di = ai - bi
          let hc = u[2 * k]
          let hs = u[2 * k + 1]
          let a = h * sr
          let c = h * di
          let b = hc * si - hs * dr
          let d = hc * dr + hs * si
          return (finish(a + b, c - d), finish(a - b, c + d))
        }
        // k = 0 and k = M use Z[0] twice (frequency 0 stays at position 0).
        let zero = SIMD4<Float>.zero
        let first = finish(z[0] + z[1], zero)
        let last = finish(z[0] - z[1], zero)
        var (p1, q1) = pair(1)
        var (p2, q2) = pair(2)
        var (p3, q3) = pair(3)
        store(first, p1, p2, p3, at: 0)
        store(q3, q2, q1, last, at: m - 3)
        var j = 4
        while j < m / 2 {
          let (p0, q0) = pair(j)
          (p1, q1) = pair(j + 1)
          (p2, q2) = pair(j + 2)
          (p3, q3) = pair(j + 3)
          store(p0, p1, p2, p3, at: j)
          store(q3, q2, q1, q0, at: m - j - 3)
          j += 4
        }
        let middle = pair(m / 2).0
        rows.0[m / 2] = middle[0]
        rows.1[m / 2] = middle[1]
        rows.2[m / 2] = middle[2]
        rows.3[m / 2] = middle[3]
      }
    }
  }
}
