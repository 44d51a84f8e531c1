import Foundation

/// Four real FFTs of one power-of-two size at once, one per SIMD lane.
///
/// A real frame of `N` samples is packed as `M = N / 2` complex values `z[m] = x[2m] + i·x[2m+1]`,
/// transformed in place by a radix-4 decimation-in-frequency FFT (one radix-2 stage when `M` is
/// not a power of four), and unpacked into the `M + 1` bins of the real spectrum:
/// `X[k] = (Z[k] + Z*[M-k]) / 2 - i·e^{-2πik/N} (Z[k] - Z*[M-k]) / 2`.
/// Each element is a `SIMD4<Float>` whose lanes are four independent frames, so every butterfly
/// is plain vertical SIMD arithmetic with no shuffles; the only lane moves are the 4 × 4
/// transposes when loading frames (fused into the first stage,
/// ``packTransform(_:_:_:_:window:z:)``) and storing spectra. The DIF output is in
/// digit-reversed order; the unpacking step reads it through a precomputed index table.
/// After the first stage the four quarter-size sub-transforms are finished one after another so
/// each stays in L1 cache.
///
/// Data layout: `z[2i]` is `Re z[i]`, `z[2i + 1]` is `Im z[i]` (four frames per vector).
///
/// Immutable after creation (tables only), so one instance serves any number of threads;
/// the mutable buffers live in an ``FFTWorkspace``.
struct QuadRealFFT: Sendable {
  /// One DIF pass over blocks of `length` elements.
  struct Stage: Sendable {
    var radix: Int
    var length: Int
    /// Offset of this stage's twiddles in ``twiddles`` (six splatted values per column `p`).
    var twiddleOffset: Int
  }

  /// The real transform size `N` (a power of two, at least 8).
  let size: Int
  /// `M = N / 2`, the complex transform size.
  let half: Int
  let stages: [Stage]
  /// Per radix-4 stage and column `p`: `Re W^p, Im W^p, Re W^2p, Im W^2p, Re W^3p, Im W^3p`
  /// with `W = e^{-2πi/n}`, each splatted across the four lanes.
  let twiddles: [SIMD4<Float>]
  /// For `k` in `0...M`: `cos(2πk/N) / 2` and `sin(2πk/N) / 2`, splatted (unpacking factors).
  let unpack: [SIMD4<Float>]
  /// `position[k]`: where the DIF transform leaves frequency `k` (`0..<M`), times two (the
  /// offset of its real part in the interleaved layout).
  let position: [Int32]

  /// Whether `size` is handled by this kernel: a power of two of at least 8.
  static func supports(_ size: Int) -> Bool {
    size >= 8 && size & (size - 1) == 0
  }

  init(size: Int) {
    precondition(Self.supports(size), "QuadRealFFT needs a power of two >= 8, got \(size)")
    self.size = size
    half = size / 2
    var stages: [Stage] = []
    var twiddles: [SIMD4<Float>] = []
    var n = half
    while n >= 4 {
      stages.append(Stage(radix: 4, length: n, twiddleOffset: twiddles.count))
      for p in 0..<(n / 4) {
        for k in 1...3 {
          let angle = -2 * Double.pi * Double(k * p) / Double(n)
          twiddles.append(SIMD4(repeating: Float(cos(angle))))
          twiddles.append(SIMD4(repeating: Float(sin(angle))))
        }
      }
      n /= 4
    }
    if n == 2 {
      stages.append(Stage(radix: 2, length: 2, twiddleOffset: twiddles.count))
    }
    self.stages = stages
    self.twiddles = twiddles
    var unpack: [SIMD4<Float>] = []
    unpack.reserveCapacity(2 * (half + 1))
    for k in 0...half {
      let angle = 2 * Double.pi * Double(k) / Double(size)
      unpack.append(SIMD4(repeating: Float(cos(angle) / 2)))
      unpack.append(SIMD4(repeating: Float(sin(angle) / 2)))
    }
    self.unpack = unpack
    // DIF places sub-transform r of a block of length n (frequencies kBase + kStride·(r + radix·k'))
    // at offset r·n/radix inside the block.
    var position = [Int32](repeating: 0, count: half)
    func place(stage: Int, length: Int, at offset: Int, kBase: Int, kStride: Int) {
      if length == 1 {
        position[kBase] = Int32(2 * offset)
        return
      }
      let radix = stages[stage].radix
      let sub = length / radix
      for r in 0..<radix {
        place(
          stage: stage + 1, length: sub, at: offset + r * sub, kBase: kBase + r * kStride,
          kStride: kStride * radix)
      }
    }
    place(stage: 0, length: half, at: 0, kBase: 0, kStride: 1)
    self.position = position
  }

  /// Loads four frames (optionally multiplied by `window`) into lane-interleaved complex form.
  ///
  /// - Parameters:
  ///   - f0, f1, f2, f3: pointers to `size` samples each (they may coincide).
  ///   - window: `size` window samples, or `nil` for none.
  ///   - z: `2 * half` lane vectors receiving `Re z[m] = x[2m]`, `Im z[m] = x[2m+1]`.
  @inline(__always)
  func pack(
    _ f0: UnsafePointer<Float>, _ f1: UnsafePointer<Float>, _ f2: UnsafePointer<Float>,
    _ f3: UnsafePointer<Float>, window: UnsafePointer<Float>?, z: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let r0 = UnsafeRawPointer(f0)
    let r1 = UnsafeRawPointer(f1)
    let r2 = UnsafeRawPointer(f2)
    let r3 = UnsafeRawPointer(f3)
    var offset = 0
    var out = z
    if let window {
      let rw = UnsafeRawPointer(window)
      while offset < size * 4 {
        let w = rw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        let v0 = r0.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) * w
        let v1 = r1.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) * w
        let v2 = r2.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) * w
        let v3 = r3.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) * w
        Self.transposeStore(v0, v1, v2, v3, out)
        out += 4
        offset += 16
      }
    } else {
      while offset < size * 4 {
        let v0 = r0.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        let v1 = r1.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        let v2 = r2.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        let v3 = r3.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        Self.transposeStore(v0, v1, v2, v3, out)
        out += 4
        offset += 16
      }
    }
  }

  /// Stores the 4 × 4 transpose of `v0...v3` (rows) at `out[0...3]` (columns) in eight
  /// shuffles: 32-bit interleaves of row pairs, then 64-bit halves of those.
  ///
  /// The second level works on `SIMD2<Double>` views so LLVM cannot fuse the two levels into
  /// one four-input shuffle per column, which it lowers to three shuffles each (and it then
  /// also moved the window multiply after the shuffles, splatting each window sample: sixteen
  /// shuffles per block instead of eight).
  @inline(__always)
  private static func transposeStore(
    _ v0: SIMD4<Float>, _ v1: SIMD4<Float>, _ v2: SIMD4<Float>, _ v3: SIMD4<Float>,
    _ out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let t = transpose(v0, v1, v2, v3)
    out[0] = t.0
    out[1] = t.1
    out[2] = t.2
    out[3] = t.3
  }

  /// The 4 × 4 transpose of rows `v0...v3`, as columns; see ``transposeStore(_:_:_:_:_:)``.
  @inline(__always)
  static func transpose(
    _ v0: SIMD4<Float>, _ v1: SIMD4<Float>, _ v2: SIMD4<Float>, _ v3: SIMD4<Float>
  ) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    let t0 = unsafeBitCast(SIMD4(v0[0], v1[0], v0[1], v1[1]), to: SIMD2<Double>.self)
    let t1 = unsafeBitCast(SIMD4(v2[0], v3[0], v2[1], v3[1]), to: SIMD2<Double>.self)
    let t2 = unsafeBitCast(SIMD4(v0[2], v1[2], v0[3], v1[3]), to: SIMD2<Double>.self)
    let t3 = unsafeBitCast(SIMD4(v2[2], v3[2], v2[3], v3[3]), to: SIMD2<Double>.self)
    return (
      unsafeBitCast(SIMD2(t0[0], t1[0]), to: SIMD4<Float>.self),
      unsafeBitCast(SIMD2(t0[1], t1[1]), to: SIMD4<Float>.self),
      unsafeBitCast(SIMD2(t2[0], t3[0]), to: SIMD4<Float>.self),
      unsafeBitCast(SIMD2(t2[1], t3[1]), to: SIMD4<Float>.self)
    )
  }

  /// Runs the complex FFT of size `M` in place on the packed lanes in `z` (digit-reversed output,
  /// see ``position``).
  ///
  /// - Parameter skippingFirstStage: the first stage was already applied (by
  ///   ``packTransform(_:_:_:_:window:z:)``).
  func complexTransform(_ z: UnsafeMutablePointer<SIMD4<Float>>, skippingFirstStage: Bool = false) {
    twiddles.withUnsafeBufferPointer { tw in
      let tw = tw.baseAddress!
      let first = stages[0]
      if !skippingFirstStage { run(first, on: z, span: half, twiddles: tw) }
      if stages.count == 1 { return }
      let sub = half / first.radix
      for q in 0..<first.radix {
        let block = z + 2 * q * sub
        for i in 1..<stages.count { run(stages[i], on: block, span: sub, twiddles: tw) }
      }
    }
  }

  /// Applies `stage` to every block of `stage.length` elements within `span` elements at `z`.
  @inline(__always)
  func run(
    _ stage: Stage, on z: UnsafeMutablePointer<SIMD4<Float>>, span: Int,
    twiddles tw: UnsafePointer<SIMD4<Float>>
  ) {
    if stage.radix == 2 {
      Self.radix2Trivial(z, count: span / 2)
    } else if stage.length == 4 {
      Self.radix4Trivial(z, count: span / 4)
    } else {
      var b = 0
      while b < span {
        Self.radix4(z + 2 * b, length: stage.length, twiddles: tw + stage.twiddleOffset)
        b += stage.length
      }
    }
  }

  /// One radix-4 DIF butterfly column on one block of `n` elements (forward sign):
  /// `y0 = (a+c)+(b+d)`, `y1 = ((a−c)−i(b−d))·Wᵖ`, `y2 = ((a+c)−(b+d))·W²ᵖ`,
  /// `y3 = ((a−c)+i(b−d))·W³ᵖ`, with `a, b, c, d` a quarter block apart.
  @inline(__always)
  private static func radix4(
    _ z: UnsafeMutablePointer<SIMD4<Float>>, length n: Int, twiddles tw: UnsafePointer<SIMD4<Float>>
  ) {
    let q2 = n / 2  // a quarter block, in interleaved vectors
    // p = 0: all twiddles are 1.
    butterfly(z, q2)
    var p = 1
    while p < n / 4 {
      let a = z + 2 * p
      twiddledButterfly(
        a[0], a[1], a[q2], a[q2 + 1], a[2 * q2], a[2 * q2 + 1], a[3 * q2], a[3 * q2 + 1],
        twiddles: tw + 6 * p, into: a, q2)
      p += 1
    }
  }

  /// The radix-4 DIF butterfly of ``radix4(_:length:twiddles:)`` on loaded values `a, b, c, d`
  /// (real and imaginary lane vectors), storing `y0...y3` at `out`, `out + q2`, `out + 2·q2`,
  /// `out + 3·q2` (offsets in interleaved vectors); `w` holds `Wᵖ, W²ᵖ, W³ᵖ` as re/im pairs.
  @inline(__always)
  static func twiddledButterfly(
    _ ar: SIMD4<Float>, _ ai: SIMD4<Float>, _ br: SIMD4<Float>, _ bi: SIMD4<Float>,
    _ cr: SIMD4<Float>, _ ci: SIMD4<Float>, _ dr: SIMD4<Float>, _ di: SIMD4<Float>,
    twiddles w: UnsafePointer<SIMD4<Float>>, into a: UnsafeMutablePointer<SIMD4<Float>>, _ q2: Int
  ) {
    let apcR = ar + cr
    let apcI = ai + ci
    let amcR = ar - cr
    let amcI = ai - ci
    let bpdR = br + dr
    let bpdI = bi + di
    let bmdR = br - dr
    let bmdI = bi - di
    a[0] = apcR + bpdR
    a[1] = apcI + bpdI
    let t1r = amcR + bmdI
    let t1i = amcI - bmdR
    let w1r = w[0]
    let w1i = w[1]
    a[q2] = t1r * w1r - t1i * w1i
    a[q2 + 1] = t1r * w1i + t1i * w1r
    let t2r = apcR - bpdR
    let t2i = apcI - bpdI
    let w2r = w[2]
    let w2i = w[3]
    a[2 * q2] = t2r * w2r - t2i * w2i
    a[2 * q2 + 1] = t2r * w2i + t2i * w2r
    let t3r = amcR - bmdI
    let t3i = amcI + bmdR
    let w3r = w[4]
    let w3i = w[5]
    a[3 * q2] = t3r * w3r - t3i * w3i
    a[3 * q2 + 1] = t3r * w3i + t3i * w3r
  }

  /// A radix-4 butterfly with unit twiddles on elements `a`, `a + q`, `a + 2q`, `a + 3q`
  /// (offsets in interleaved vectors).
  @inline(__always)
  private static func butterfly(_ a: UnsafeMutablePointer<SIMD4<Float>>, _ q2: Int) {
    let ar = a[0]
    let ai = a[1]
    let br = a[q2]
    let bi = a[q2 + 1]
    let cr = a[2 * q2]
    let ci = a[2 * q2 + 1]
    let dr = a[3 * q2]
    let di = a[3 * q2 + 1]
    let apcR = ar + cr
    let apcI = ai + ci
    let amcR = ar - cr
    let amcI = ai - ci
    let bpdR = br + dr
    let bpdI = bi + di
    let bmdR = br - dr
    let bmdI = bi - di
    a[0] = apcR + bpdR
    a[1] = apcI + bpdI
    a[q2] = amcR + bmdI
    a[q2 + 1] = amcI - bmdR
    a[2 * q2] = apcR - bpdR
    a[2 * q2 + 1] = apcI - bpdI
    a[3 * q2] = amcR - bmdI
    a[3 * q2 + 1] = amcI + bmdR
  }

  /// The last radix-4 stage: `count` consecutive blocks of 4 elements, no twiddles.
  @inline(__always)
  private static func radix4Trivial(_ z: UnsafeMutablePointer<SIMD4<Float>>, count: Int) {
    var a = z
    for _ in 0..<count {
      butterfly(a, 2)
      a += 8
    }
  }

  /// The last radix-2 stage: `count` consecutive blocks of 2 elements, no twiddles.
  @inline(__always)
  private static func radix2Trivial(_ z: UnsafeMutablePointer<SIMD4<Float>>, count: Int) {
    var a = z
    for _ in 0..<count {
      let ar = a[0]
      let ai = a[1]
      let br = a[2]
      let bi = a[3]
      a[0] = ar + br
      a[1] = ai + bi
      a[2] = ar - br
      a[3] = ai - bi
      a += 4
    }
  }

  /// Unpacks the complex transform `Z` into the real spectrum's power `|X[k]|²`, `k = 0...M`,
  /// one lane per frame.
  ///
  /// Bins `k` and `M − k` share their inputs: with `s = Z[k] + Z[M−k]`, `d = Z[k] − Z[M−k]`,
  /// `A = Re s / 2`, `C = Im d / 2`, `B = (cos θ·Im s − sin θ·Re d) / 2`,
  /// `D = (cos θ·Re d + sin θ·Im s) / 2` (θ = 2πk/N):
  /// `|X[k]|² = (A + B)² + (C − D)²` and `|X[M−k]|² = (A − B)² + (C + D)²`.
  /// Pure vertical arithmetic into a lane buffer, for passes with fewer than four frames
  /// (``scatterLanes(_:count:rowCount:rows:)`` then stores the rows); full four-frame passes
  /// use ``unpackPowerRows(_:rows:magnitude:)``, which writes the rows directly.
  func unpackPower(_ z: UnsafePointer<SIMD4<Float>>, power: UnsafeMutablePointer<SIMD4<Float>>) {
    let m = half
    let h = SIMD4<Float>(repeating: 0.5)
    unpack.withUnsafeBufferPointer { u in
      position.withUnsafeBufferPointer { pos in
        let u = u.baseAddress!
        let pos = pos.baseAddress!
        // k = 0 and k = M use Z[0] twice (frequency 0 stays at position 0).
        let z0r = z[0]
        let z0i = z[1]
        let x0 = z0r + z0i
        let xm = z0r - z0i
        power[0] = x0 * x0
        power[m] = xm * xm
        for k in 1...(m / 2) {
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
          let xr = a + b
          let xi = c - d
          let yr = a - b
          let yi = c + d
          power[k] = xr * xr + xi * xi
          power[m - k] = yr * yr + yi * yi
        }
      }
    }
  }

  /// Unpacks the complex transform `Z` into the real spectrum `X[k]`, `k = 0...M`, one lane per
  /// frame.
  func unpackComplex(
    _ z: UnsafePointer<SIMD4<Float>>,
    outRe: UnsafeMutablePointer<SIMD4<Float>>, outIm: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let m = half
    let h = SIMD4<Float>(repeating: 0.5)
    unpack.withUnsafeBufferPointer { u in
      position.withUnsafeBufferPointer { pos in
        let u = u.baseAddress!
        let z0r = z[0]
        let z0i = z[1]
        outRe[0] = z0r + z0i
        outIm[0] = .zero
        outRe[m] = z0r - z0i
        outIm[m] = .zero
        for k in 1..<m {
          let pk = Int(pos[k])
          let pm = Int(pos[m - k])
          let ar = z[pk]
          let ai = z[pk + 1]
          let br = z[pm]
          let bi = z[pm + 1]
          let sr = ar + br
          let dr = ar - br
          let si = ai + bi
          let di = ai - bi
          let hc = u[2 * k]
          let hs = u[2 * k + 1]
          outRe[k] = h * sr + hc * si - hs * dr
          outIm[k] = h * di - hc * dr - hs * si
        }
      }
    }
  }

  /// Writes lane `j` of `lanes[0..<count]` to `rows[j]`, for the first `rowCount` lanes.
  ///
  /// A 4 × 4 transpose per group of four bins, kept out of the arithmetic loops.
  static func scatterLanes(
    _ lanes: UnsafePointer<SIMD4<Float>>, count: Int, rowCount: Int,
    rows: (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
    )
  ) {
    var k = 0
    if rowCount == 4 {
      let o0 = UnsafeMutableRawPointer(rows.0)
      let o1 = UnsafeMutableRawPointer(rows.1)
      let o2 = UnsafeMutableRawPointer(rows.2)
      let o3 = UnsafeMutableRawPointer(rows.3)
      while k + 4 <= count {
        let t = transpose(lanes[k], lanes[k + 1], lanes[k + 2], lanes[k + 3])
        o0.storeBytes(of: t.0, toByteOffset: 4 * k, as: SIMD4<Float>.self)
        o1.storeBytes(of: t.1, toByteOffset: 4 * k, as: SIMD4<Float>.self)
        o2.storeBytes(of: t.2, toByteOffset: 4 * k, as: SIMD4<Float>.self)
        o3.storeBytes(of: t.3, toByteOffset: 4 * k, as: SIMD4<Float>.self)
        k += 4
      }
    }
    while k < count {
      let v = lanes[k]
      rows.0[k] = v[0]
      if rowCount > 1 { rows.1[k] = v[1] }
      if rowCount > 2 { rows.2[k] = v[2] }
      if rowCount > 3 { rows.3[k] = v[3] }
      k += 1
    }
  }
}
