import NeuralNet
import TestSupport
import Testing

@Suite("LinearSolve")
struct LinearSolveTests {
  @Test("solves a symmetric positive-definite system with two right-hand sides")
  func solves() throws {
    // A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]]; X chosen, B = A X.
    let a: [Double] = [4, 1, 0, 1, 3, 1, 0, 1, 2]
    let x: [Double] = [1, -2, 0.5, 3, -1, 0.25]
    var b = [Double](repeating: 0, count: 6)
    for i in 0..<3 { for j in 0..<2 { for k in 0..<3 { b[i * 2 + j] += a[i * 3 + k] * x[k * 2 + j] } } }
    let solved = try LinearSolve.solveSymmetricPositiveDefinite(a, b, n: 3, rightHandSides: 2)
    expectClose(solved, x, absolute: 1e-12)
  }

  @Test("indefinite matrices and bad sizes throw")
  func errors() {
    #expect(throws: NeuralNetError.self) {
      try LinearSolve.solveSymmetricPositiveDefinite([1, 2, 2, 1], [1, 1], n: 2, rightHandSides: 1)
    }
    #expect(throws: NeuralNetError.self) {
      try LinearSolve.solveSymmetricPositiveDefinite([1, 0, 0], [1, 1], n: 2, rightHandSides: 1)
    }
    #expect(throws: NeuralNetError.self) {
      try LinearSolve.solveSymmetricPositiveDefinite([.nan], [1], n: 1, rightHandSides: 1)
    }
  }
}
