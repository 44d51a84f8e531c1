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

  /// The minimum-norm least-squares solution of `A X = B` for any `m × n` matrix `A`, by the
  /// singular value decomposition (`LAPACKE_dgelsd`, the driver `scipy.linalg.lstsq` uses by
  /// default); singular values below machine ε times the largest count as zero (scipy's default
  /// cutoff).
  ///
  /// - Parameters:
  ///   - a: `m × n`, row-major.
  ///   - b: `m × rightHandSides`, row-major.
  ///   - rows: `m`.
  ///   - columns: `n`.
  ///   - rightHandSides: the number of columns of `B`.
  /// - Returns: `X`, `n × rightHandSides`, row-major.
  /// - Throws: `NeuralNetError.invalidArgument` when the sizes disagree, a value is not finite, or
  ///   the SVD does not converge.
  /// - Complexity: O(m · n · min(m, n)) plus the right-hand sides.
  public static func leastSquares(
    _ a: [Double], _ b: [Double], rows: Int, columns: Int, rightHandSides: Int
  ) throws(NeuralNetError) -> [Double] {
    guard rows > 0, columns > 0, rightHandSides > 0, a.count == rows * columns, b.count == rows * rightHandSides
    else {
      throw .invalidArgument(
        name: "least squares",
        reason: "A has \(a.count) values for \(rows) × \(columns), B has \(b.count) for \(rightHandSides) right-hand sides")
    }
    guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else {
      throw .invalidArgument(name: "least squares", reason: "A or B holds NaN or infinity")
    }
    var matrix = a
    // dgelsd overwrites B (max(m, n) rows) with X in its first n rows.
    let height = max(rows, columns)
    var solution = [Double](repeating: 0, count: height * rightHandSides)
    solution.replaceSubrange(0..<b.count, with: b)
    var singularValues = [Double](repeating: 0, count: min(rows, columns))
    var rank: lapack_int_t = 0
    let rcond = Double.ulpOfOne
    let info = matrix.withUnsafeMutableBufferPointer { pa in
      solution.withUnsafeMutableBufferPointer { pb in
        singularValues.withUnsafeMutableBufferPointer { ps in
          LAPACKE_dgelsd(
            LAPACK_ROW_MAJOR, lapack_int_t(rows), lapack_int_t(columns), lapack_int_t(rightHandSides),
            pa.baseAddress, lapack_int_t(columns), pb.baseAddress, lapack_int_t(rightHandSides),
            ps.baseAddress, rcond, &rank)
        }
      }
    }
    guard info == 0 else {
      throw .invalidArgument(
        name: "matrix",
        reason: info > 0
          ? "the singular value decomposition did not converge (\(info) off-diagonal elements)"
          : "LAPACKE_dgelsd rejected argument \(-info)")
    }
    return Array(solution[0..<(columns * rightHandSides)])
  }
}
