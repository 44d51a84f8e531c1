extension QuadRealFFT {
  /// Loads four frames (optionally windowed) and runs the complex FFT on them: the same result
  /// as ``pack(_:_:_:_:window:z:)`` followed by ``complexTransform(_:skippingFirstStage:)``.
  ///
  /// The first radix-4 stage is applied straight to the loaded, transposed samples, so the
  /// packed frames are never stored and re-read (one pass over 32 KB per four frames of 2048
  /// samples less), and its additions overlap the transposes' shuffles.
  ///
  /// - Parameters:
  ///   - f0, f1, f2, f3: pointers to `size` samples each (they may coincide).
  ///   - window: `size` window samples, or `nil` for none.
  ///   - z: `2 * half` lane vectors receiving the transform (digit-reversed, see ``position``).
  @inline(__always)
  func packTransform(
    _ f0: UnsafePointer<Float>, _ f1: UnsafePointer<Float>, _ f2: UnsafePointer<Float>,
    _ f3: UnsafePointer<Float>, window: UnsafePointer<Float>?, z: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    // The fused loop takes two first-stage columns per step: it needs at least two.
    guard half >= 8 else {
      pack(f0, f1, f2, f3, window: window, z: z)
      complexTransform(z)
      return
    }
    if let window {
      packFirstStage(f0, f1, f2, f3, window: window, z: z)
    } else {
      packFirstStage(f0, f1, f2, f3, window: nil, z: z)
    }
    complexTransform(z, skippingFirstStage: true)
  }

  /// The first radix-4 stage (length `half`) on frames loaded on the fly.
  ///
  /// Column `p` combines complex samples `p`, `p + M/4`, `p + M/2`, `p + 3M/4`, i.e. real
  /// samples `2p, 2p+1` of each quarter of the frame; four consecutive samples of a quarter in
  /// each of the four frames transpose into the lane vectors of columns `p` and `p + 1`.
  /// Column 0 goes through the twiddled butterfly too (its table entries are exactly 1 and 0).
  @inline(__always)
  private func packFirstStage(
    _ f0: UnsafePointer<Float>, _ f1: UnsafePointer<Float>, _ f2: UnsafePointer<Float>,
    _ f3: UnsafePointer<Float>, window: UnsafePointer<Float>?, z: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let r0 = UnsafeRawPointer(f0)
    let r1 = UnsafeRawPointer(f1)
    let r2 = UnsafeRawPointer(f2)
    let r3 = UnsafeRawPointer(f3)
    let rw = window.map { UnsafeRawPointer($0) }
    let columns = half / 4
    let q2 = 2 * columns  // a quarter block, in interleaved vectors
    let quarterBytes = 8 * columns  // a quarter of the frame: 2 · columns samples
    twiddles.withUnsafeBufferPointer { tw in
      let w = tw.baseAddress! + stages[0].twiddleOffset
      // Re/Im lane vectors of columns p and p + 1 in quarter j of the four frames.
      @inline(__always)
      func load(_ p: Int, quarter j: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        let offset = 8 * p + j * quarterBytes
        var v0 = r0.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        var v1 = r1.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        var v2 = r2.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        var v3 = r3.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
        if let rw {
          let g = rw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
          v0 *= g
          v1 *= g
          v2 *= g
          v3 *= g
        }
        return Self.transpose(v0, v1, v2, v3)
      }
      var p = 0
      while p < columns {
        let a = load(p, quarter: 0)
        let b = load(p, quarter: 1)
        let c = load(p, quarter: 2)
        let d = load(p, quarter: 3)
        Self.twiddledButterfly(
          a.0, a.1, b.0, b.1, c.0, c.1, d.0, d.1, twiddles: w + 6 * p, into: z + 2 * p, q2)
        Self.twiddledButterfly(
          a.2, a.3, b.2, b.3, c.2, c.3, d.2, d.3, twiddles: w + 6 * (p + 1), into: z + 2 * (p + 1), q2)
        p += 2
      }
    }
  }
}
