import Foundation
import NeuralNet
import TestSupport
import Testing

@Suite("Optimizers")
struct OptimizerTests {
  func parameter(_ values: [Float], gradient: [Float]) -> Parameter {
    let p = Parameter(name: "w", value: Tensor(shape: [values.count], scalars: values))
    p.gradient = Tensor(shape: [gradient.count], scalars: gradient)
    return p
  }

  @Test("Adam's first step moves each weight by lr·sign(g) (bias-corrected), then follows the recurrence")
  func adam() {
    let p = parameter([1, -2, 0.5], gradient: [0.3, -4, 1e-3])
    let adam = Adam(learningRate: 0.1)
    adam.step([p])
    // m̂ = g, v̂ = g² → Δ = lr · g / (|g| + ε)
    expectClose(
      p.value.scalars,
      [1 - 0.1 * 0.3 / (0.3 + 1e-7), -2 + 0.1 * 4 / (4 + 1e-7), 0.5 - 0.1 * 1e-3 / (1e-3 + 1e-7)],
      absolute: 1e-6)
    // Second step with a new gradient, against the formula in Double.
    let g1 = [0.3, -4, 1e-3]
    let g2 = [0.1, 1.0, -2.0]
    p.gradient = Tensor(shape: [3], scalars: g2.map(Float.init))
    let before = p.value.scalars
    adam.step([p])
    for i in 0..<3 {
      let m = 0.9 * 0.1 * g1[i] + 0.1 * g2[i]
      let v = 0.999 * 0.001 * g1[i] * g1[i] + 0.001 * g2[i] * g2[i]
      let mHat = m / (1 - 0.81)
      let vHat = v / (1 - 0.999 * 0.999)
      expectClose(
        p.value.scalars[i], Double(before[i]) - 0.1 * mHat / (vHat.squareRoot() + 1e-7), absolute: 1e-5)
    }
    #expect(adam.stepCount == 2)
  }

  @Test("AdamW decays weights by lr·λ·θ before the Adam update")
  func adamW() {
    let p = parameter([2], gradient: [0.5])
    Adam.adamW(learningRate: 0.1, weightDecay: 0.5).step([p])
    expectClose(p.value.scalars[0], 2 * (1 - 0.05) - 0.1 * 0.5 / (0.5 + 1e-7), absolute: 1e-6)
  }

  @Test("SGD with momentum follows PyTorch: b₁ = g, b ← μb + g, θ ← θ − lr·b")
  func sgd() {
    let p = parameter([1], gradient: [2])
    let sgd = SGD(learningRate: 0.1, momentum: 0.9)
    sgd.step([p])
    expectClose(p.value.scalars[0], 1 - 0.2, absolute: 1e-6)
    p.gradient = Tensor(shape: [1], scalars: [1])
    sgd.step([p])
    expectClose(p.value.scalars[0], 0.8 - 0.1 * (0.9 * 2 + 1), absolute: 1e-6)
    let q = parameter([1], gradient: [2])
    SGD(learningRate: 0.1, momentum: 0, weightDecay: 0.5).step([q])
    expectClose(q.value.scalars[0], 1 - 0.1 * 2.5, absolute: 1e-6)
  }

  @Test("buffers are never updated")
  func buffersUntouched() {
    let buffer = Parameter(
      name: "running_mean", value: Tensor(shape: [2], scalars: [1, 2]), isTrainable: false)
    Adam().step([buffer])
    SGD().step([buffer])
    #expect(buffer.value.scalars == [1, 2])
  }

  @Test("global-norm clipping scales all gradients by maxNorm / (norm + 1e-6) only when above")
  func clipping() {
    let a = parameter([0, 0], gradient: [3, 0])
    let b = parameter([0], gradient: [4])
    let norm = clipGradientNorm([a, b], maximumNorm: 1)
    expectClose(norm, 5, absolute: 1e-6)
    expectClose(a.gradient.scalars + b.gradient.scalars, [0.6, 0, 0.8], absolute: 1e-6)
    let before = a.gradient.scalars
    clipGradientNorm([a, b], maximumNorm: 10)
    #expect(a.gradient.scalars == before)
  }
}
