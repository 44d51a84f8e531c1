import DSP

extension FrameFeatures {
  /// Calls `body(t, count)` for frames `t, t+4, …` of `spectrogram` after writing bin `k` of
  /// frame `t + j` into lane `j` of `lanes[k]` (`count` frames, 1...4; lanes past the last frame
  /// repeat frame `t`), so per-frame reductions run four frames per vector with no shuffles.
  ///
  /// - Parameters:
  ///   - spectrogram: frames-major values.
  ///   - lanes: room for `binCount` vectors.
  ///   - body: the reduction over `lanes[0..<binCount]` for frames `t..<t + count`.
  /// - Complexity: one pass over the spectrogram (4 × 4 transposes), plus `body`; no allocation.
  static func forEachFrameQuad(
    of spectrogram: Spectrogram, lanes: UnsafeMutablePointer<SIMD4<Float>>,
    _ body: (_ t: Int, _ count: Int) -> Void
  ) {
    let bins = spectrogram.binCount
    let frames = spectrogram.frameCount
    spectrogram.values.withUnsafeBufferPointer { s in
      var t = 0
      while t < frames {
        let count = min(4, frames - t)
        let row = { (j: Int) in s.baseAddress! + (t + (j < count ? j : 0)) * bins }
        transposeRows(row(0), row(1), row(2), row(3), count: bins, into: lanes)
        body(t, count)
        t += 4
      }
    }
  }

  /// Writes bin `k` of four rows into lane `j` of `lanes[k]`, `k` in `0..<count`.
  static func transposeRows(
    _ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
    _ r3: UnsafePointer<Float>, count: Int, into lanes: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let p0 = UnsafeRawPointer(r0)
    let p1 = UnsafeRawPointer(r1)
    let p2 = UnsafeRawPointer(r2)
    let p3 = UnsafeRawPointer(r3)
    var k = 0
    while k + 4 <= count {
      let a = p0.loadUnaligned(fromByteOffset: 4 * k, as: SIMD4<Float>.self)
      let b = p1.loadUnaligned(fromByteOffset: 4 * k, as: SIMD4<Float>.self)
      let c = p2.loadUnaligned(fromByteOffset: 4 * k, as: SIMD4<Float>.self)
      let d = p3.loadUnaligned(fromByteOffset: 4 * k, as: SIMD4<Float>.self)
      lanes[k] = SIMD4(a[0], b[0], c[0], d[0])
      lanes[k + 1] = SIMD4(a[1], b[1], c[1], d[1])
      lanes[k + 2] = SIMD4(a[2], b[2], c[2], d[2])
      lanes[k + 3] = SIMD4(a[3], b[3], c[3], d[3])
      k += 4
    }
    while k < count {
      lanes[k] = SIMD4(r0[k], r1[k], r2[k], r3[k])
      k += 1
    }
  }
}
