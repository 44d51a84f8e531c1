import NeuralNet
import TestSupport
import Testing

@Suite("Activations")
struct ActivationsTests {
  @Test("ReLU and LeakyReLU forward")
  func forward() {
    let x = Tensor(shape: [1, 4], scalars: [-2, -0.5, 0, 3])
    #expect(ReLU().forward(x, training: false).scalars == [0, 0, 0, 3])
    expectClose(
      LeakyReLU(slope: 0.1).forward(x, training: false).scalars, [-0.2, -0.05, 0, 3], absolute: 1e-7)
  }

  @Test("ReLU, LeakyReLU and Softmax gradients match finite differences")
  func gradients() {
    checkGradients(of: ReLU(), input: Sample.awayFromZero([2, 3, 4], seed: 1))
    checkGradients(of: LeakyReLU(slope: 0.2), input: Sample.awayFromZero([2, 3, 4], seed: 2))
    checkGradients(of: Softmax(), input: Sample.uniform([3, 5], seed: 3, in: -2...2), step: 1e-2)
  }

  @Test("Softmax rows sum to one and survive huge logits")
  func softmaxStable() {
    let y = Softmax().forward(Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -5, 0, 5]), training: false)
    #expect(y.scalars.allSatisfy { $0.isFinite })
    expectClose(y.scalars[0] + y.scalars[1] + y.scalars[2], 1, absolute: 1e-6)
    // torch.softmax([1000, 1001, 1002]) = [0.09003057, 0.24472847, 0.66524096]
    expectClose(Array(y.scalars[0..<3]), [0.09003057, 0.24472847, 0.66524096], absolute: 1e-6)
    #expect(Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -5, 0, 5]).softmax() == y)
  }

  @Test("in-place layers never change a tensor the caller still holds")
  func valueSemantics() throws {
    let x = Sample.uniform([2, 8], seed: 4)
    let copy = x
    let relu = ReLU()
    _ = relu.forward(x, training: true)
    let g = Sample.uniform([2, 8], seed: 5)
    let gradientCopy = g
    _ = relu.backward(g)
    _ = Dropout(rate: 0.5, seed: 1).forward(x, training: true)
    let norm = BatchNormalization(channels: 8)
    _ = norm.forward(x, training: true)
    _ = norm.backward(g)
    #expect(x == copy)
    #expect(g == gradientCopy)
    let model = try Sequential(
      inputShape: [8], specs: [.relu, .dropout(rate: 0.5), .dense(units: 2)], seed: 1)
    _ = model.forward(x, training: true)
    _ = model.backward(Tensor(zeros: [2, 2], value: 1))
    #expect(x == copy)
  }
}
