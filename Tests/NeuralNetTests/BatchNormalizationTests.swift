import NeuralNet
import TestSupport
import Testing

@Suite("BatchNormalization")
struct BatchNormalizationTests {
  @Test("training normalises with batch statistics and moves running stats by momentum 0.1")
  func training() {
    let layer = BatchNormalization(channels: 1)
    let x = Tensor(shape: [4, 1], scalars: [1, 2, 3, 6])
    let y = layer.forward(x, training: true)
    // mean 3, biased variance 3.5, unbiased 14/3
    let inverse = 1 / (3.5 + 1e-5).squareRoot()
    expectClose(y.scalars, [-2 * inverse, -inverse, 0, 3 * inverse], absolute: 1e-6)
    expectClose(layer.runningMean.value.scalars, [0.3], absolute: 1e-7)
    expectClose(layer.runningVariance.value.scalars, [0.9 + 0.1 * 14.0 / 3.0], absolute: 1e-6)
    let inference = layer.forward(x, training: false)
    let runningInverse = 1 / (0.9 + 0.1 * 14.0 / 3.0 + 1e-5).squareRoot()
    expectClose(inference.scalars, [1, 2, 3, 6].map { ($0 - 0.3) * runningInverse }, absolute: 1e-5)
  }

  @Test("gradients match finite differences in training (2-D, 1-D, dense) and inference mode")
  func gradients() {
    let layer = BatchNormalization(channels: 3)
    layer.weight.value = Sample.uniform([3], seed: 1, in: 0.5...1.5)
    layer.bias.value = Sample.uniform([3], seed: 2)
    checkGradients(of: layer, input: Sample.uniform([2, 3, 2, 3], seed: 3, in: -2...2))
    checkGradients(of: layer, input: Sample.uniform([3, 3, 4], seed: 4, in: -2...2))
    checkGradients(of: layer, input: Sample.uniform([5, 3], seed: 5, in: -2...2))
    layer.runningVariance.value = Sample.uniform([3], seed: 6, in: 0.5...2)
    checkGradients(of: layer, input: Sample.uniform([2, 3, 4], seed: 7), training: false)
  }
}
