import Foundation
import NeuralNet
import TestSupport
import Testing

@Suite("SoftmaxCrossEntropy")
struct SoftmaxCrossEntropyTests {
  @Test("plain loss equals −mean log softmax at the label")
  func plain() throws {
    let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 0])
    let (loss, _) = try SoftmaxCrossEntropy().evaluate(logits: logits, labels: [2, 0])
    // torch: F.cross_entropy([[1,2,3],[0,0,0]], [2,0]) = (0.40760596 + 1.09861229) / 2
    expectClose(loss, (0.40760596 + 1.09861229) / 2, absolute: 1e-6)
  }

  @Test("smoothing and class weights follow PyTorch's weighted-mean definition")
  func smoothedWeighted() throws {
    let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0.5, -1, 2])
    let loss = try SoftmaxCrossEntropy(labelSmoothing: 0.2, classWeights: [1, 2, 0.5])
    let (value, _) = try loss.evaluate(logits: logits, labels: [0, 1])
    // Direct evaluation of the documented formula in Double.
    func logSoftmax(_ z: [Double]) -> [Double] {
      let m = z.max()!
      let s = z.map { Foundation.exp($0 - m) }.reduce(0, +)
      return z.map { $0 - m - Foundation.log(s) }
    }
    let w = [1.0, 2, 0.5]
    var total = 0.0
    for (row, y) in [([1.0, 2, 3], 0), ([0.5, -1, 2], 1)] {
      let lp = logSoftmax(row)
      total -= 0.8 * w[y] * lp[y]
      for c in 0..<3 { total -= 0.2 / 3 * w[c] * lp[c] }
    }
    expectClose(value, total / (w[0] + w[1]), absolute: 1e-6)
  }

  @Test("the fused gradient matches finite differences and survives huge logits")
  func gradient() throws {
    let loss = try SoftmaxCrossEntropy(labelSmoothing: 0.1, classWeights: [0.5, 1, 2, 1.5])
    let logits = Sample.uniform([3, 4], seed: 1, in: -3...3)
    let labels = [2, 0, 3]
    let (_, analytic) = try loss.evaluate(logits: logits, labels: labels)
    var numeric: [Double] = []
    var z = logits
    let h: Float = 1e-2
    for i in z.scalars.indices {
      let v = z.scalars[i]
      z.scalars[i] = v + h
      let plus = try loss.evaluate(logits: z, labels: labels).loss
      z.scalars[i] = v - h
      let minus = try loss.evaluate(logits: z, labels: labels).loss
      z.scalars[i] = v
      numeric.append(Double(plus - minus) / Double(2 * h))
    }
    expectClose(analytic.scalars, numeric, absolute: 1e-3, relative: 1e-2)
    let (big, g) = try SoftmaxCrossEntropy().evaluate(
      logits: Tensor(shape: [1, 3], scalars: [1e4, -1e4, 0]), labels: [1])
    expectClose(big, 2e4, relative: 1e-6)
    #expect(g.scalars.allSatisfy { $0.isFinite })
  }

  @Test("bad labels and arguments throw typed errors")
  func errors() throws {
    let logits = Tensor(zeros: [2, 3])
    #expect(throws: NeuralNetError.self) {
      try SoftmaxCrossEntropy().evaluate(logits: logits, labels: [0, 3])
    }
    #expect(throws: NeuralNetError.self) { try SoftmaxCrossEntropy().evaluate(logits: logits, labels: [0]) }
    #expect(throws: NeuralNetError.self) { try SoftmaxCrossEntropy(labelSmoothing: 1) }
    #expect(throws: NeuralNetError.self) { try SoftmaxCrossEntropy(classWeights: [1, -1, 1]) }
    #expect(throws: NeuralNetError.self) {
      try SoftmaxCrossEntropy(classWeights: [1, 1]).evaluate(logits: logits, labels: [0, 1])
    }
  }
}
