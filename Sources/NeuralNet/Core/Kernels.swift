/// Small vectorised kernels shared by the layers. The default x86-64 target has SSE only, so
/// these use `SIMD8<Float>` with separate `*` and `+` (no FMA), which LLVM maps to two SSE
/// registers per operation, and several accumulators to hide add latency.
enum Kernels {
  @inline(__always)
  static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  @inline(__always)
  static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
  }

  @inline(__always)
  static func store4(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Float>.self)
  }

  /// Σ p[i] for i < count.
  ///
  /// - Complexity: O(count).
  static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
    var a = SIMD8<Float>()
    var b = SIMD8<Float>()
    var i = 0
    while i + 16 <= count {
      a += load(p + i)
      b += load(p + i + 8)
      i += 16
    }
    var total = (a + b).sum()
    while i < count {
      total += p[i]
      i += 1
    }
    return total
  }

  /// Σ (p[i] − mean)² for i < count.
  static func squaredDeviations(_ p: UnsafePointer<Float>, _ count: Int, mean: Float) -> Float {
    var a = SIMD8<Float>()
    var b = SIMD8<Float>()
    let m = SIMD8<Float>(repeating: mean)
    var i = 0
    while i + 16 <= count {
      let d0 = load(p + i) - m
      let d1 = load(p + i + 8) - m
      a += d0 * d0
      b += d1 * d1
      i += 16
    }
    var total = (a + b).sum()
    while i < count {
      let d = p[i] - mean
      total += d * d
      i += 1
    }
    return total
  }

  /// (Σ dy[i], Σ dy[i] · (x[i] − mean)) for i < count.
  static func gradientMoments(
    _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, mean: Float
  ) -> (Float, Float) {
    var s = SIMD8<Float>()
    var t = SIMD8<Float>()
    let m = SIMD8<Float>(repeating: mean)
    var i = 0
    while i + 8 <= count {
      let g = load(dy + i)
      s += g
      t += g * (load(x + i) - m)
      i += 8
    }
    var sum = s.sum()
    var dot = t.sum()
    while i < count {
      sum += dy[i]
      dot += dy[i] * (x[i] - mean)
      i += 1
    }
    return (sum, dot)
  }
}

extension Array where Element == Float {
  /// An array of `count` floats whose contents the caller overwrites entirely before reading
  /// (skips the zero fill of `init(repeating:count:)` for large activations).
  @inline(__always)
  init(unfilled count: Int) {
    self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
      initialized = count
    }
  }
}

extension Tensor {
  /// A tensor of `shape` whose elements the caller overwrites entirely before reading.
  init(unfilled shape: [Int]) {
    self.init(shape: shape, scalars: [Float](unfilled: shape.reduce(1, *)))
  }
}
