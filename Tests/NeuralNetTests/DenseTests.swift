import NeuralNet
import TestSupport
import Testing

@Suite("Dense")
struct DenseTests {
  @Test("forward computes x·Wᵀ + b with PyTorch's [out, in] weight layout")
  func forward() {
    var g = SeededGenerator(seed: 1)
    let layer = Dense(inputSize: 3, outputSize: 2, generator: &g)
    layer.weight.value = Tensor(shape: [2, 3], scalars: [1, 2, 3, -1, 0, 0.5])
    layer.bias.value = Tensor(shape: [2], scalars: [0.5, -1])
    let y = layer.forward(Tensor(shape: [2, 3], scalars: [1, 1, 1, 2, 0, -2]), training: false)
    #expect(y.shape == [2, 2])
    expectClose(y.scalars, [6.5, -1.5, -3.5, -4], absolute: 1e-6)
  }

  @Test("gradients match finite differences")
  func gradients() {
    var g = SeededGenerator(seed: 2)
    let layer = Dense(inputSize: 5, outputSize: 4, generator: &g)
    layer.bias.value = Sample.uniform([4], seed: 3)
    checkGradients(of: layer, input: Sample.uniform([3, 5], seed: 4))
  }

  /// A batch of one takes the matrix-vector path (no BLAS call), a larger batch `sgemm`: the
  /// same row gives the same outputs and input gradients within float rounding. 57 → 37 covers
  /// the 16-wide, 4-wide and scalar tails; gradient checks cover batch 1 with one output.
  @Test("one sample agrees with the same sample inside a batch, forward and backward")
  func singleRow() {
    var g = SeededGenerator(seed: 5)
    let layer = Dense(inputSize: 57, outputSize: 37, generator: &g)
    layer.bias.value = Sample.uniform([37], seed: 6)
    let batch = Sample.uniform([3, 57], seed: 7)
    let row = Tensor(shape: [1, 57], scalars: Array(batch.scalars[57..<114]))
    let whole = layer.forward(batch, training: true)
    let dy = Sample.uniform([3, 37], seed: 8)
    let dxWhole = layer.backward(dy)
    let one = layer.forward(row, training: true)
    let dxOne = layer.backward(Tensor(shape: [1, 37], scalars: Array(dy.scalars[37..<74])))
    expectClose(one.scalars, Array(whole.scalars[37..<74]), absolute: 1e-5, relative: 1e-5)
    expectClose(dxOne.scalars, Array(dxWhole.scalars[57..<114]), absolute: 1e-5, relative: 1e-5)
    let narrow = Dense(inputSize: 6, outputSize: 1, generator: &g)
    checkGradients(of: narrow, input: Sample.uniform([1, 6], seed: 9))
    checkGradients(of: layer, input: row)
  }

  @Test("backward accumulates parameter gradients until zeroed")
  func accumulates() {
    var g = SeededGenerator(seed: 2)
    let layer = Dense(inputSize: 2, outputSize: 2, generator: &g)
    let x = Sample.uniform([2, 2], seed: 1)
    let dy = Sample.uniform([2, 2], seed: 2)
    _ = layer.forward(x, training: true)
    _ = layer.backward(dy)
    let once = layer.weight.gradient.scalars
    _ = layer.backward(dy)
    expectClose(layer.weight.gradient.scalars, once.map { 2 * $0 }, absolute: 1e-6)
    layer.weight.zeroGradient()
    #expect(layer.weight.gradient.scalars.allSatisfy { $0 == 0 })
  }
}
