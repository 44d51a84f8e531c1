import CBLAS

/// Dense linear solves through LAPACKE (Debian's reference LAPACKE over OpenBLAS).
public enum LinearSolve {
  /// Solves `A X = B` for a symmetric positive-definite `A` by Cholesky factorisation
  /// (`LAPACKE_dposv`, the same routine `scipy.linalg.solve(A, B, assume_a="pos")` calls).
  ///
  /// - Parameters:
  ///   - a: `n × n`, row-major; only the upper triangle is read.
  ///   - b: `n × rightHandSides`, row-major.
  ///   - n: the order of `A`.
  ///   - rightHandSides: the number of columns of `B`.
  /// - Returns: `X`, `n × rightHandSides`, row-major.
  /// - Throws: `NeuralNetError.invalidArgument` when the sizes disagree, a value is not finite,
  ///   or `A` is not positive definite (the leading minor LAPACK reports is named).
  /// - Complexity: O(n³ / 3 + n² · rightHandSides).
  public static func solveSymmetricPositiveDefinite(
    _ a: [Double], _ b: [Double], n: Int, rightHandSides: Int
  ) throws(NeuralNetError) -> [Double] {
    guard n > 0, rightHandSides > 0, a.count == n * n, b.count == n * rightHandSides else {
      throw .invalidArgument(
        name: "linear system",
        reason: "A has \(a.count) values for order \(n), B has \(b.count) for \(rightHandSides) right-hand sides")
    }
    guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else {
      throw .invalidArgument(name: "linear system", reason: "A or B holds NaN or infinity")
    }
    var factor = a
    var solution = b
    let info = factor.withUnsafeMutableBufferPointer { pa in
      solution.withUnsafeMutableBufferPointer { pb in
        LAPACKE_dposv(
          LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "U")), lapack_int_t(n), lapack_int_t(rightHandSides),
          pa.baseAddress, lapack_int_t(n), pb.baseAddress, lapack_int_t(rightHandSides))
      }
    }
    guard info == 0 else {
      throw .invalidArgument(
        name: "matrix",
        reason: info > 0
          ? "not positive definite (leading minor of order \(info) is not positive); add regularisation"
          : "LAPACKE_dposv rejected argument \(-info)")
    }
    return solution
  }
}
