import NeuralNet
import TestSupport
import Testing

@Suite("Flatten and Dropout")
struct ReshapingTests {
  @Test("Flatten keeps the batch axis and restores the shape in backward")
  func flatten() {
    let layer = Flatten()
    let x = Sample.uniform([2, 3, 4, 5], seed: 1)
    let y = layer.forward(x, training: true)
    #expect(y.shape == [2, 60])
    #expect(y.scalars == x.scalars)
    #expect(layer.backward(y).shape == [2, 3, 4, 5])
  }

  @Test("Dropout is the identity at inference and inverted-scales survivors in training")
  func dropout() {
    let layer = Dropout(rate: 0.25, seed: 42)
    let x = Tensor(zeros: [4, 1000], value: 1)
    #expect(layer.forward(x, training: false) == x)
    let y = layer.forward(x, training: true)
    let kept = y.scalars.filter { $0 != 0 }
    #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
    let dropped = Double(y.count - kept.count) / Double(y.count)
    expectClose(dropped, 0.25, absolute: 0.02)
    // Backward applies the same mask and scale.
    let g = layer.backward(Tensor(zeros: [4, 1000], value: 2))
    for i in g.scalars.indices { #expect(g.scalars[i] == 2 * y.scalars[i]) }
  }

  @Test("Dropout masks repeat for a seed and change between steps")
  func dropoutSeeded() {
    let a = Dropout(rate: 0.5, seed: 9)
    let b = Dropout(rate: 0.5, seed: 9)
    let x = Tensor(zeros: [1, 64], value: 1)
    let first = a.forward(x, training: true)
    #expect(first == b.forward(x, training: true))
    #expect(a.forward(x, training: true) != first)
  }
}
