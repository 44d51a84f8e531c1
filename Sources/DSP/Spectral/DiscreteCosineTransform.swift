import Foundation

/// The orthonormal DCT-II, as `scipy.fftpack.dct(x, type=2, norm='ortho')` (used by
/// `librosa.feature.mfcc`), keeping the first ``outputCount`` coefficients.
///
/// `y[k] = s(k) Σₙ x[n] cos(πk(2n + 1) / 2N)`, with `s(0) = √(1/N)` and `s(k) = √(2/N)` otherwise.
/// The basis is precomputed in `Double` and stored as `Float`; applying it is a small
/// matrix–vector product per frame.
public struct DiscreteCosineTransform: Sendable {
  /// The input length `N` (e.g. the number of mel bands).
  public let inputCount: Int
  /// The number of coefficients kept (e.g. `n_mfcc` = 20).
  public let outputCount: Int
  /// The `outputCount × inputCount` basis as dense rows; row `k` is the scaled cosine vector.
  let projection: BandedProjection

  /// Creates the transform.
  ///
  /// - Parameters:
  ///   - inputCount: `N` in `1...4096` (the basis is stored densely).
  ///   - outputCount: coefficients kept, `1...N` (default `N`).
  /// - Throws: ``DSPError/invalidCount(name:value:valid:)`` when a count is out of range.
  public init(inputCount: Int, outputCount: Int? = nil) throws(DSPError) {
    guard inputCount >= 1, inputCount <= 4096 else {
      throw .invalidCount(name: "inputCount", value: inputCount, valid: "in 1...4096")
    }
    let outputCount = outputCount ?? inputCount
    guard outputCount >= 1, outputCount <= inputCount else {
      throw .invalidCount(name: "outputCount", value: outputCount, valid: "in 1...\(inputCount)")
    }
    self.inputCount = inputCount
    self.outputCount = outputCount
    let n = Double(inputCount)
    var basis = [Float](repeating: 0, count: outputCount * inputCount)
    for k in 0..<outputCount {
      let scale = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
      for i in 0..<inputCount {
        // cos(π k (2i+1) / 2N), with the argument reduced modulo 4N for accuracy.
        let m = (k * (2 * i + 1)) % (4 * inputCount)
        basis[k * inputCount + i] = Float(scale * cos(Double.pi * Double(m) / (2 * n)))
      }
    }
    projection = BandedProjection(denseRows: basis, rowCount: outputCount, inputCount: inputCount)
  }

  /// Transforms one vector of ``inputCount`` values into ``outputCount`` coefficients.
  ///
  /// - Complexity: O(`inputCount × outputCount`); no allocation.
  public func transform(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
    projection.apply(input, into: output)
  }

  /// Transforms one vector (allocating convenience).
  ///
  /// - Parameter input: ``inputCount`` values.
  /// - Returns: ``outputCount`` coefficients.
  public func transform(_ input: [Float]) -> [Float] {
    precondition(input.count == inputCount, "DCT input has \(input.count) values, expected \(inputCount)")
    var out = [Float](repeating: 0, count: outputCount)
    input.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { transform(x.baseAddress!, into: $0.baseAddress!) }
    }
    return out
  }

  /// Transforms every frame of a spectrogram (e.g. dB mel bands → MFCCs; librosa applies the DCT
  /// along the band axis, `axis=-2`).
  ///
  /// - Parameter spectrogram: frames of ``inputCount`` bins.
  /// - Returns: frames of ``outputCount`` coefficients, frames-major.
  /// - Throws: ``DSPError/shapeMismatch(expected:actual:)`` when the bin count is not ``inputCount``.
  public func transform(_ spectrogram: Spectrogram) throws(DSPError) -> Spectrogram {
    guard spectrogram.binCount == inputCount else {
      throw .shapeMismatch(expected: "\(inputCount) bins per frame", actual: "\(spectrogram.binCount)")
    }
    return projection.apply(to: spectrogram)
  }
}

/// `Σ a[i]·b[i]` over `count` floats: four independent SIMD4 accumulators (16 floats per step)
/// so the adds do not wait on each other, then a 4-wide and a scalar tail.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
  let ra = UnsafeRawPointer(a)
  let rb = UnsafeRawPointer(b)
  var s0 = SIMD4<Float>()
  var s1 = SIMD4<Float>()
  var s2 = SIMD4<Float>()
  var s3 = SIMD4<Float>()
  var i = 0
  while i + 16 <= count {
    let o = 4 * i
    s0 +=
      ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
      * rb.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s1 +=
      ra.loadUnaligned(fromByteOffset: o + 16, as: SIMD4<Float>.self)
      * rb.loadUnaligned(fromByteOffset: o + 16, as: SIMD4<Float>.self)
    s2 +=
      ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Float>.self)
      * rb.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Float>.self)
    s3 +=
      ra.loadUnaligned(fromByteOffset: o + 48, as: SIMD4<Float>.self)
      * rb.loadUnaligned(fromByteOffset: o + 48, as: SIMD4<Float>.self)
    i += 16
  }
  while i + 4 <= count {
    s0 +=
      ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD4<Float>.self)
      * rb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD4<Float>.self)
    i += 4
  }
  var sum = ((s0 + s1) + (s2 + s3)).sum()
  while i < count {
    sum += a[i] * b[i]
    i += 1
  }
  return sum
}

/// `Σ a[i]·b_j[i]` for four vectors `b_j = b + j·stride` at once, sharing each load of `a`.
@inline(__always)
func dot4(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, stride: Int, count: Int) -> SIMD4<Float> {
  let ra = UnsafeRawPointer(a)
  let r0 = UnsafeRawPointer(b)
  let r1 = UnsafeRawPointer(b + stride)
  let r2 = UnsafeRawPointer(b + 2 * stride)
  let r3 = UnsafeRawPointer(b + 3 * stride)
  var s0 = SIMD4<Float>()
  var s1 = SIMD4<Float>()
  var s2 = SIMD4<Float>()
  var s3 = SIMD4<Float>()
  var i = 0
  while i + 4 <= count {
    let o = 4 * i
    let w = ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s0 += w * r0.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s1 += w * r1.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s2 += w * r2.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s3 += w * r3.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    i += 4
  }
  var sums = SIMD4<Float>(s0.sum(), s1.sum(), s2.sum(), s3.sum())
  while i < count {
    let w = a[i]
    sums += SIMD4(w * b[i], w * b[i + stride], w * b[i + 2 * stride], w * b[i + 3 * stride])
    i += 1
  }
  return sums
}

/// ``dot4(_:_:stride:count:)`` for two weight vectors `a` and `c` at once, sharing each load of
/// the four `b` vectors; every sum is accumulated exactly as ``dot4(_:_:stride:count:)`` does, so
/// the results are identical.
@inline(__always)
func dot4x2(
  _ a: UnsafePointer<Float>, _ c: UnsafePointer<Float>, _ b: UnsafePointer<Float>, stride: Int, count: Int
) -> (SIMD4<Float>, SIMD4<Float>) {
  let ra = UnsafeRawPointer(a)
  let rc = UnsafeRawPointer(c)
  let r0 = UnsafeRawPointer(b)
  let r1 = UnsafeRawPointer(b + stride)
  let r2 = UnsafeRawPointer(b + 2 * stride)
  let r3 = UnsafeRawPointer(b + 3 * stride)
  var s0 = SIMD4<Float>()
  var s1 = SIMD4<Float>()
  var s2 = SIMD4<Float>()
  var s3 = SIMD4<Float>()
  var u0 = SIMD4<Float>()
  var u1 = SIMD4<Float>()
  var u2 = SIMD4<Float>()
  var u3 = SIMD4<Float>()
  var i = 0
  while i + 4 <= count {
    let o = 4 * i
    let w = ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    let v = rc.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    let x0 = r0.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    let x1 = r1.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    let x2 = r2.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    let x3 = r3.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s0 += w * x0
    s1 += w * x1
    s2 += w * x2
    s3 += w * x3
    u0 += v * x0
    u1 += v * x1
    u2 += v * x2
    u3 += v * x3
    i += 4
  }
  var sums = SIMD4<Float>(s0.sum(), s1.sum(), s2.sum(), s3.sum())
  var others = SIMD4<Float>(u0.sum(), u1.sum(), u2.sum(), u3.sum())
  while i < count {
    let x = SIMD4(b[i], b[i + stride], b[i + 2 * stride], b[i + 3 * stride])
    sums += SIMD4(repeating: a[i]) * x
    others += SIMD4(repeating: c[i]) * x
    i += 1
  }
  return (sums, others)
}
