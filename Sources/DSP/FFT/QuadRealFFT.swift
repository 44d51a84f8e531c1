import Foundation

/// Four real FFTs of one power-of-two size at once, one per SIMD lane.
///
/// A real frame of `N` samples is packed as `M = N / 2` complex values `z[m] = x[2m] + i·x[2m+1]`,
/// transformed by an iterative radix-4 Stockham FFT (one radix-2 stage when `M` is not a power of
/// four) on split real/imaginary arrays, and unpacked into the `M + 1` bins of the real spectrum:
/// `X[k] = (Z[k] + Z*[M-k]) / 2 - i·e^{-2πik/N} (Z[k] - Z*[M-k]) / 2`.
/// Each element is a `SIMD4<Float>` whose lanes are four independent frames, so every butterfly
/// is plain vertical SIMD arithmetic with no shuffles; the only lane moves are the 4 × 4
/// transposes when loading frames and storing spectra, each in its own loop.
///
/// Immutable after creation (twiddles only), so one instance serves any number of threads;
/// the mutable buffers live in an ``FFTWorkspace``.
struct QuadRealFFT: Sendable {
  /// One Stockham pass: `length` is the current sub-transform length `n`, `stride` is `s = M / n`.
  struct Stage: Sendable {
    var radix: Int
    var length: Int
    var stride: Int
    /// Offset of this stage's twiddles in ``twiddles`` (six splatted values per butterfly column).
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
      stages.append(Stage(radix: 4, length: n, stride: half / n, twiddleOffset: twiddles.count))
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
      stages.append(Stage(radix: 2, length: 2, stride: half / 2, twiddleOffset: twiddles.count))
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
  }

  /// Loads four frames (optionally multiplied by `window`) into lane-interleaved complex form.
  ///
  /// - Parameters:
  ///   - frames: four pointers to `size` samples each (they may coincide).
  ///   - window: `size` window samples, or `nil` for none.
  ///   - re, im: `half` lane vectors each, receiving `x[2m]` and `x[2m+1]`.
  @inline(__always)
  func pack(
    _ f0: UnsafePointer<Float>, _ f1: UnsafePointer<Float>, _ f2: UnsafePointer<Float>,
    _ f3: UnsafePointer<Float>, window: UnsafePointer<Float>?,
    re: UnsafeMutablePointer<SIMD4<Float>>, im: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let r0 = UnsafeRawPointer(f0), r1 = UnsafeRawPointer(f1)
    let r2 = UnsafeRawPointer(f2), r3 = UnsafeRawPointer(f3)
    var m = 0
    var offset = 0
    if let window {
      let rw = UnsafeRawPointer(window)
      while offset < size * 4 {
        let w = rw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        let v0 = r0.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) * w
        let v1 = r1.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) * w
        let v2 = r2.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) * w
        let v3 = r3.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) * w
        Self.transposeStore(v0, v1, v2, v3, re: re + m, im: im + m)
        m += 2
        offset += 16
      }
    } else {
      while offset < size * 4 {
        let v0 = r0.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        let v1 = r1.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        let v2 = r2.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        let v3 = r3.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        Self.transposeStore(v0, v1, v2, v3, re: re + m, im: im + m)
        m += 2
        offset += 16
      }
    }
  }

  @inline(__always)
  private static func transposeStore(
    _ v0: SIMD4<Float>, _ v1: SIMD4<Float>, _ v2: SIMD4<Float>, _ v3: SIMD4<Float>,
    re: UnsafeMutablePointer<SIMD4<Float>>, im: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    re[0] = SIMD4(v0[0], v1[0], v2[0], v3[0])
    im[0] = SIMD4(v0[1], v1[1], v2[1], v3[1])
    re[1] = SIMD4(v0[2], v1[2], v2[2], v3[2])
    im[1] = SIMD4(v0[3], v1[3], v2[3], v3[3])
  }

  /// Runs the complex FFT of size `M` on the packed lanes in `(re, im)`, using `(tre, tim)` as
  /// the Stockham ping-pong buffer.
  ///
  /// - Returns: `true` when the result ended in `(tre, tim)`, `false` when in `(re, im)`.
  func complexTransform(
    re: UnsafeMutablePointer<SIMD4<Float>>, im: UnsafeMutablePointer<SIMD4<Float>>,
    tre: UnsafeMutablePointer<SIMD4<Float>>, tim: UnsafeMutablePointer<SIMD4<Float>>
  ) -> Bool {
    var xr = re, xi = im, yr = tre, yi = tim
    var swapped = false
    twiddles.withUnsafeBufferPointer { tw in
      for stage in stages {
        if stage.radix == 4 {
          Self.radix4(
            length: stage.length, stride: stage.stride, twiddles: tw.baseAddress! + stage.twiddleOffset,
            xr: xr, xi: xi, yr: yr, yi: yi)
        } else {
          Self.radix2(stride: stage.stride, xr: xr, xi: xi, yr: yr, yi: yi)
        }
        swap(&xr, &yr)
        swap(&xi, &yi)
        swapped.toggle()
      }
    }
    return swapped
  }

  /// One radix-4 Stockham pass from `x` to `y` (decimation in frequency, forward sign).
  @inline(__always)
  private static func radix4(
    length n: Int, stride s: Int, twiddles tw: UnsafePointer<SIMD4<Float>>,
    xr: UnsafeMutablePointer<SIMD4<Float>>, xi: UnsafeMutablePointer<SIMD4<Float>>,
    yr: UnsafeMutablePointer<SIMD4<Float>>, yi: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let quarter = n / 4
    let sq = s * quarter
    for p in 0..<quarter {
      let w = tw + 6 * p
      let w1r = w[0], w1i = w[1], w2r = w[2], w2i = w[3], w3r = w[4], w3i = w[5]
      let inBase = s * p
      let outBase = 4 * s * p
      for q in 0..<s {
        let i0 = inBase + q
        let ar = xr[i0], ai = xi[i0]
        let br = xr[i0 + sq], bi = xi[i0 + sq]
        let cr = xr[i0 + 2 * sq], ci = xi[i0 + 2 * sq]
        let dr = xr[i0 + 3 * sq], di = xi[i0 + 3 * sq]
        let apcR = ar + cr, apcI = ai + ci
        let amcR = ar - cr, amcI = ai - ci
        let bpdR = br + dr, bpdI = bi + di
        let bmdR = br - dr, bmdI = bi - di
        let o = outBase + q
        yr[o] = apcR + bpdR
        yi[o] = apcI + bpdI
        let t1r = amcR + bmdI, t1i = amcI - bmdR
        yr[o + s] = t1r * w1r - t1i * w1i
        yi[o + s] = t1r * w1i + t1i * w1r
        let t2r = apcR - bpdR, t2i = apcI - bpdI
        yr[o + 2 * s] = t2r * w2r - t2i * w2i
        yi[o + 2 * s] = t2r * w2i + t2i * w2r
        let t3r = amcR - bmdI, t3i = amcI + bmdR
        yr[o + 3 * s] = t3r * w3r - t3i * w3i
        yi[o + 3 * s] = t3r * w3i + t3i * w3r
      }
    }
  }

  /// The final radix-2 pass (sub-transforms of length 2, twiddles all 1).
  @inline(__always)
  private static func radix2(
    stride s: Int,
    xr: UnsafeMutablePointer<SIMD4<Float>>, xi: UnsafeMutablePointer<SIMD4<Float>>,
    yr: UnsafeMutablePointer<SIMD4<Float>>, yi: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    for q in 0..<s {
      let ar = xr[q], ai = xi[q], br = xr[q + s], bi = xi[q + s]
      yr[q] = ar + br
      yi[q] = ai + bi
      yr[q + s] = ar - br
      yi[q + s] = ai - bi
    }
  }

  /// Unpacks the complex transform `Z` into the real spectrum's power `|X[k]|²`, `k = 0...M`,
  /// one lane per frame.
  func unpackPower(
    zr: UnsafePointer<SIMD4<Float>>, zi: UnsafePointer<SIMD4<Float>>,
    power: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let m = half
    let h = SIMD4<Float>(repeating: 0.5)
    unpack.withUnsafeBufferPointer { u in
      let u = u.baseAddress!
      // k = 0 and k = M use Z[0] twice.
      let z0r = zr[0], z0i = zi[0]
      let x0 = z0r + z0i, xm = z0r - z0i
      power[0] = x0 * x0
      power[m] = xm * xm
      for k in 1..<m {
        let ar = zr[k], ai = zi[k], br = zr[m - k], bi = zi[m - k]
        let sr = ar + br, dr = ar - br, si = ai + bi, di = ai - bi
        let hc = u[2 * k], hs = u[2 * k + 1]
        let xr = h * sr + hc * si - hs * dr
        let xi = h * di - hc * dr - hs * si
        power[k] = xr * xr + xi * xi
      }
    }
  }

  /// Unpacks the complex transform `Z` into the real spectrum `X[k]`, `k = 0...M`, one lane per
  /// frame.
  func unpackComplex(
    zr: UnsafePointer<SIMD4<Float>>, zi: UnsafePointer<SIMD4<Float>>,
    outRe: UnsafeMutablePointer<SIMD4<Float>>, outIm: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let m = half
    let h = SIMD4<Float>(repeating: 0.5)
    unpack.withUnsafeBufferPointer { u in
      let u = u.baseAddress!
      let z0r = zr[0], z0i = zi[0]
      outRe[0] = z0r + z0i
      outIm[0] = .zero
      outRe[m] = z0r - z0i
      outIm[m] = .zero
      for k in 1..<m {
        let ar = zr[k], ai = zi[k], br = zr[m - k], bi = zi[m - k]
        let sr = ar + br, dr = ar - br, si = ai + bi, di = ai - bi
        let hc = u[2 * k], hs = u[2 * k + 1]
        outRe[k] = h * sr + hc * si - hs * dr
        outIm[k] = h * di - hc * dr - hs * si
      }
    }
  }

  /// Writes lane `j` of `lanes[0..<count]` to `rows[j]`, for the first `rowCount` lanes.
  ///
  /// A 4 × 4 transpose per group of four bins, kept out of the arithmetic loops.
  static func scatterLanes(
    _ lanes: UnsafePointer<SIMD4<Float>>, count: Int, rowCount: Int,
    rows: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
  ) {
    var k = 0
    if rowCount == 4 {
      let o0 = UnsafeMutableRawPointer(rows.0), o1 = UnsafeMutableRawPointer(rows.1)
      let o2 = UnsafeMutableRawPointer(rows.2), o3 = UnsafeMutableRawPointer(rows.3)
      while k + 4 <= count {
        let a = lanes[k], b = lanes[k + 1], c = lanes[k + 2], d = lanes[k + 3]
        o0.storeBytes(of: SIMD4(a[0], b[0], c[0], d[0]), toByteOffset: 4 * k, as: SIMD4<Float>.self)
        o1.storeBytes(of: SIMD4(a[1], b[1], c[1], d[1]), toByteOffset: 4 * k, as: SIMD4<Float>.self)
        o2.storeBytes(of: SIMD4(a[2], b[2], c[2], d[2]), toByteOffset: 4 * k, as: SIMD4<Float>.self)
        o3.storeBytes(of: SIMD4(a[3], b[3], c[3], d[3]), toByteOffset: 4 * k, as: SIMD4<Float>.self)
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
