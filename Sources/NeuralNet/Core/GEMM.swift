import CBLAS

/// Single-precision matrix multiply on row-major matrices, a thin wrapper over `cblas_sgemm`.
///
/// Computes `C ← α · op(A) · op(B) + β · C`, where `op(A)` is `m × k`, `op(B)` is `k × n` and
/// `C` is `m × n`, all row-major with leading dimensions equal to their stored row lengths.
/// `transposeA` means `A` is stored `k × m`; `transposeB` means `B` is stored `n × k`.
///
/// A single row (`m == 1`) goes through `cblas_sgemv`, which reads `B` in place (same
/// products, summed in another order: results agree to float rounding).
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
  if m == 1 && k > 0 {
    // One row (a single sample through a dense layer): a matrix-vector product, which reads
    // `B` in place instead of packing it first as `sgemm` does. `op(A)` is then `k`
    // consecutive values whether or not it is transposed (its stored shape is `1 × k` or
    // `k × 1`). `C = op(B)ᵀ · a`: `B` stored `k × n` is transposed, `n × k` is not.
    cblas_sgemv(
      CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans, Int32(transposeB ? n : k),
      Int32(transposeB ? k : n), alpha, b, Int32(max(ldb, 1)), a, 1, beta, c, 1)
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
