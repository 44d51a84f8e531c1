import CBLAS

/// Single-precision matrix multiply on row-major matrices, a thin wrapper over `cblas_sgemm`.
///
/// Computes `C ← α · op(A) · op(B) + β · C`, where `op(A)` is `m × k`, `op(B)` is `k × n` and
/// `C` is `m × n`, all row-major with leading dimensions equal to their stored row lengths.
/// `transposeA` means `A` is stored `k × m`; `transposeB` means `B` is stored `n × k`.
///
/// A single row (`m == 1`, one sample through a dense layer) takes ``rowTimesMatrix``: OpenBLAS
/// would pack `B` (`sgemm`) or wake its threads for a few microseconds of work (`sgemv`).
///
/// - Complexity: O(m · n · k); multithreaded by OpenBLAS (see `ComputeThreads`).
@inline(__always)
func gemm(
  transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
  beta: Float = 0, c: UnsafeMutablePointer<Float>
) {
  precondition(m >= 0 && n >= 0 && k >= 0, "gemm sizes m \(m) n \(n) k \(k) must be ≥ 0")
  if m == 0 || n == 0 { return }
  let lda = transposeA ? m : k
  let ldb = transposeB ? k : n
  if m == 1 {
    rowTimesMatrix(transposeB: transposeB, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
    return
  }
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c,
    Int32(max(n, 1)))
}

/// `gemm` on row-major sub-matrices with explicit leading dimensions (floats between the starts
/// of consecutive stored rows), e.g. one 2-D slice of an interleaved 3-D array.
///
/// - Complexity: O(m · n · k); multithreaded by OpenBLAS (see `ComputeThreads`).
@inline(__always)
func gemm(
  m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  precondition(m >= 0 && n >= 0 && k >= 0, "gemm sizes m \(m) n \(n) k \(k) must be ≥ 0")
  precondition(lda >= k && ldb >= n && ldc >= n, "gemm leading dimensions \(lda), \(ldb), \(ldc) too small")
  if m == 0 || n == 0 { return }
  cblas_sgemm(
    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(max(lda, 1)), b,
    Int32(max(ldb, 1)), 0, c, Int32(max(ldc, 1)))
}

/// `c ← α · a · op(B) + β · c` for one row `a` of `k` values (`op(A)` of a `gemm` with `m == 1`
/// is `k` consecutive values whether or not it is transposed), on the calling thread, sixteen
/// outputs or sixteen products per step, in a fixed order (`k` order per output of a `k × n`
/// `B`; four interleaved partial sums per output of an `n × k` `B`), not `sgemm`'s blocked
/// order: the two agree to float rounding.
///
/// - Parameters:
///   - transposeB: `B` is stored `n × k` (otherwise `k × n`), row-major and dense.
/// - Complexity: O(n · k), no allocation.
@inline(__always)
func rowTimesMatrix(
  transposeB: Bool, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
  beta: Float, c: UnsafeMutablePointer<Float>
) {
  @inline(__always) func finish(_ j: Int, _ sum: Float) {
    c[j] = beta == 0 ? alpha * sum : alpha * sum + beta * c[j]
  }
  let raw = UnsafeRawPointer(b)
  if transposeB {
    // Output j is the dot product of row j of B with a.
    let rawA = UnsafeRawPointer(a)
    for j in 0..<n {
      let row = b + j * k
      let rawRow = raw + j * k * MemoryLayout<Float>.stride
      // Four independent accumulators: one chain of dependent additions would be latency-bound.
      var l0 = SIMD4<Float>(repeating: 0)
      var l1 = l0
      var l2 = l0
      var l3 = l0
      var i = 0
      @inline(__always) func product(_ offset: Int) -> SIMD4<Float> {
        rawA.loadUnaligned(fromByteOffset: offset * 4, as: SIMD4<Float>.self)
          * rawRow.loadUnaligned(fromByteOffset: offset * 4, as: SIMD4<Float>.self)
      }
      while i + 16 <= k {
        l0 += product(i)
        l1 += product(i + 4)
        l2 += product(i + 8)
        l3 += product(i + 12)
        i += 16
      }
      while i + 4 <= k {
        l0 += product(i)
        i += 4
      }
      var sum = ((l0 + l1) + (l2 + l3)).sum()
      while i < k {
        sum += a[i] * row[i]
        i += 1
      }
      finish(j, sum)
    }
    return
  }
  // Row i of B scaled by a[i], accumulated into sixteen (then four) outputs at a time.
  var j = 0
  while j + 16 <= n {
    var lanes = SIMD16<Float>(repeating: 0)
    for i in 0..<k {
      lanes += SIMD16(repeating: a[i]) * raw.loadUnaligned(fromByteOffset: (i * n + j) * 4, as: SIMD16<Float>.self)
    }
    for lane in 0..<16 { finish(j + lane, lanes[lane]) }
    j += 16
  }
  while j + 4 <= n {
    var lanes = SIMD4<Float>(repeating: 0)
    for i in 0..<k {
      lanes += SIMD4(repeating: a[i]) * raw.loadUnaligned(fromByteOffset: (i * n + j) * 4, as: SIMD4<Float>.self)
    }
    for lane in 0..<4 { finish(j + lane, lanes[lane]) }
    j += 4
  }
  while j < n {
    var sum: Float = 0
    for i in 0..<k { sum += a[i] * b[i * n + j] }
    finish(j, sum)
    j += 1
  }
}
