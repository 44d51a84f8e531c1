import Foundation
import NeuralNet
import TestSupport
import Testing

/// The planned inference path (BatchNorm folding, Winograd F(4×4, 3×3), fused activation and
/// pooling) against the layer-by-layer `Sequential.forward(_:training: false)`.
@Suite("InferenceNetwork")
struct InferenceNetworkTests {
  /// A model with non-trivial BatchNorm statistics and biases (fresh BatchNorms are the identity).
  static func model(inputShape: [Int], specs: [LayerSpec], seed: UInt64) throws -> Sequential {
    let model = try Sequential(inputShape: inputShape, specs: specs, seed: seed)
    var generator = SeededGenerator(seed: seed &+ 100)
    for (name, parameter) in model.namedParameters {
      let isVariance = name.hasSuffix("running_var")
      let isGamma = name.hasSuffix(".weight") && parameter.value.rank == 1
      guard isVariance || isGamma || name.hasSuffix("running_mean") || name.hasSuffix(".bias") else {
        continue
      }
      for i in 0..<parameter.value.count {
        let u = Float(generator.nextUniform())
        parameter.value.scalars[i] = isVariance ? 0.3 + 2 * u : isGamma ? 0.5 + u : 0.4 * u - 0.2
      }
    }
    return model
  }

  /// Layer-by-layer reference output.
  static func reference(_ model: Sequential, _ x: Tensor) -> Tensor {
    model.usesInferencePlan = false
    defer { model.usesInferencePlan = true }
    return model.forward(x, training: false)
  }

  /// Odd sizes: H, W not multiples of the 4 × 4 tile or of the pool, channels 3, 5, 6, 7 (not
  /// multiples of 4), "valid" and "same" padding, a conv without BatchNorm, a leaky ReLU, a pool
  /// that is not fused, a 2 × 3 convolution on the generic path.
  static let oddSpecs: [LayerSpec] = [
    .conv2D(filters: 5, kernel: 3, padding: .same, initializer: .heNormal), .batchNorm(), .relu,
    .maxPool2D(size: 2),
    .conv2D(filters: 6, kernel: 3, padding: .valid, initializer: .heNormal), .leakyReLU(slope: 0.1),
    .conv2D(filters: 7, kernel: 3, padding: .same), .batchNorm(), .maxPool2D(size: 2),
    .conv2D(filters: 4, kernel: Extent2D(2, 3)), .relu, .averagePool2D(size: Extent2D(1, 2)),
    .globalAveragePooling, .dropout(rate: 0.2), .dense(units: 3),
  ]

  @Test("odd shapes and channel counts match the layer-by-layer path", arguments: [1, 3])
  func oddShapes(batch: Int) throws {
    ComputeThreads.set(1)
    let model = try Self.model(inputShape: [3, 19, 23], specs: Self.oddSpecs, seed: 4)
    let network = model.inferenceNetwork()
    #expect(network.fusedConvolutionCount == 3)
    let x = Sample.uniform([batch, 3, 19, 23], seed: 9)
    let expected = Self.reference(model, x)
    let planned = network.forward(x)
    #expect(planned.shape == [batch, 3])
    expectClose(planned.scalars, expected.scalars, absolute: 1e-5, relative: 1e-4, "planned logits")
  }

  @Test("each fused stage alone matches: conv → BN → ReLU → 2×2 pool, and an unpooled conv output")
  func singleStages() throws {
    ComputeThreads.set(1)
    let cases: [(shape: [Int], specs: [LayerSpec])] = [
      ([2, 9, 14], [.conv2D(filters: 6, kernel: 3, padding: .same), .batchNorm(), .relu, .maxPool2D(size: 2)]),
      ([5, 7, 6], [.conv2D(filters: 9, kernel: 3, padding: .valid), .batchNorm()]),
      ([1, 4, 4], [.conv2D(filters: 3, kernel: 3, padding: .same), .leakyReLU(slope: 0.2)]),
      ([8, 3, 3], [.conv2D(filters: 2, kernel: 3, padding: .valid)]),
    ]
    for (index, item) in cases.enumerated() {
      let model = try Self.model(inputShape: item.shape, specs: item.specs, seed: UInt64(index))
      let network = model.inferenceNetwork()
      #expect(network.fusedConvolutionCount == 1)
      let x = Sample.uniform([3] + item.shape, seed: UInt64(20 + index))
      let expected = Self.reference(model, x)
      let planned = network.forward(x)
      #expect(planned.shape == expected.shape)
      expectClose(planned.scalars, expected.scalars, absolute: 1e-5, relative: 1e-4, "case \(index)")
    }
  }

  @Test("a 2-filter convolution feeding a 2-channel (direct) one hands over through a copy")
  func narrowHandover() throws {
    ComputeThreads.set(1)
    let specs: [LayerSpec] = [
      .conv2D(filters: 2, kernel: 3, padding: .same), .relu,
      .conv2D(filters: 5, kernel: 3, padding: .same), .batchNorm(), .relu, .maxPool2D(size: 2),
      .conv2D(filters: 1, kernel: 3, padding: .valid),
    ]
    let model = try Self.model(inputShape: [3, 10, 9], specs: specs, seed: 8)
    let network = model.inferenceNetwork()
    #expect(network.fusedConvolutionCount == 3)
    let x = Sample.uniform([2, 3, 10, 9], seed: 4)
    let expected = Self.reference(model, x)
    let planned = network.forward(x)
    #expect(planned.shape == [2, 1, 3, 2])
    expectClose(planned.scalars, expected.scalars, absolute: 1e-5, relative: 1e-4)
  }

  @Test("BatchNorm folding reproduces γ(Wx + b − μ)/√(σ² + ε) + β from the running statistics")
  func batchNormFolding() throws {
    ComputeThreads.set(1)
    // One input channel, one filter, a 3 × 3 kernel of ones: the interior output is the 3 × 3
    // window sum, so the folded result can be written down directly.
    let model = try Sequential(
      inputShape: [1, 6, 6],
      specs: [.conv2D(filters: 1, kernel: 3, padding: .valid), .batchNorm(epsilon: 1e-3)], seed: 0)
    let convolution = try #require(model.layers[0] as? Conv2D)
    let norm = try #require(model.layers[1] as? BatchNormalization)
    convolution.weight.value = Tensor(zeros: [1, 1, 3, 3], value: 1)
    convolution.bias.value = Tensor(shape: [1], scalars: [0.5])
    norm.weight.value = Tensor(shape: [1], scalars: [2])
    norm.bias.value = Tensor(shape: [1], scalars: [-1])
    norm.runningMean.value = Tensor(shape: [1], scalars: [3])
    norm.runningVariance.value = Tensor(shape: [1], scalars: [4])
    let x = Tensor(shape: [1, 1, 6, 6], scalars: (0..<36).map { Float($0) / 10 })
    let planned = model.inferenceNetwork().forward(x)
    #expect(planned.shape == [1, 1, 4, 4])
    let scale = 2 / (4 + 1e-3).squareRoot()
    var expected: [Double] = []
    for oy in 0..<4 {
      for ox in 0..<4 {
        var sum = 0.0
        for i in 0..<3 {
          for j in 0..<3 { sum += Double(x.scalars[(oy + i) * 6 + ox + j]) }
        }
        expected.append((sum + 0.5 - 3) * scale - 1)
      }
    }
    expectClose(planned.scalars, expected, absolute: 1e-5, relative: 1e-5)
  }

  @Test("the melCNN architecture (reduced input) agrees with the layer-by-layer path")
  func melCNNStructure() throws {
    ComputeThreads.set(1)
    var specs: [LayerSpec] = []
    for filters in [8, 16, 12, 20] {
      specs += [
        .conv2D(filters: filters, kernel: 3, padding: .same, initializer: .heNormal), .batchNorm(), .relu,
        .maxPool2D(size: 2),
      ]
    }
    specs += [.globalAveragePooling, .dropout(rate: 0.3), .dense(units: 10)]
    let model = try Self.model(inputShape: [1, 32, 34], specs: specs, seed: 7)
    let network = model.inferenceNetwork()
    #expect(network.fusedConvolutionCount == 4)
    let x = Sample.uniform([2, 1, 32, 34], seed: 5)
    let expected = Self.reference(model, x)
    let planned = network.forward(x)
    let error = discrepancy(planned.scalars, expected.scalars)
    print("InferenceNetwork vs layer-by-layer, melCNN structure: max |Δ| \(error.absoluteError)")
    expectClose(planned.scalars, expected.scalars, absolute: 1e-5, relative: 1e-4)
  }

  @Test("batches larger than the sub-batch, batch 0, and reuse across batch sizes give the same rows")
  func subBatches() throws {
    ComputeThreads.set(1)
    let model = try Self.model(inputShape: [3, 19, 23], specs: Self.oddSpecs, seed: 11)
    let network = model.inferenceNetwork(maximumSubBatch: 2)
    let x = Sample.uniform([5, 3, 19, 23], seed: 2)
    let whole = network.forward(x)
    #expect(whole.shape == [5, 3])
    expectClose(whole.scalars, Self.reference(model, x).scalars, absolute: 1e-5, relative: 1e-4)
    // Row by row, after the buffers were sized for 2 samples: borders must still be zero.
    for row in 0..<5 {
      let single = network.forward(x.batch(row..<(row + 1)))
      expectClose(single.scalars, Array(whole.scalars[(3 * row)..<(3 * row + 3)]), absolute: 1e-6)
    }
    #expect(network.forward(Tensor(zeros: [0, 3, 19, 23])).shape == [0, 3])
  }

  @Test("Sequential.forward(training: false) uses the plan and replans when a tensor changes")
  func transparentPlan() throws {
    ComputeThreads.set(1)
    let model = try Self.model(inputShape: [3, 19, 23], specs: Self.oddSpecs, seed: 12)
    let x = Sample.uniform([2, 3, 19, 23], seed: 3)
    let before = model.forward(x)
    expectClose(before.scalars, Self.reference(model, x).scalars, absolute: 1e-5, relative: 1e-4)
    // An in-place change of one weight must be seen by the next inference.
    let convolution = try #require(model.layers[0] as? Conv2D)
    convolution.weight.value.scalars[0] += 0.5
    let after = model.forward(x)
    expectClose(after.scalars, Self.reference(model, x).scalars, absolute: 1e-5, relative: 1e-4)
    #expect(discrepancy(after.scalars, before.scalars).absoluteError > 1e-4)
    // A planned network is a snapshot.
    let network = model.inferenceNetwork()
    convolution.weight.value.scalars[0] -= 0.5
    expectClose(network.forward(x).scalars, after.scalars, absolute: 1e-6)
    // Training still runs the layers.
    let loss = try SoftmaxCrossEntropy()
    try model.trainStep(input: x, labels: [0, 2], loss: loss, optimizer: SGD(learningRate: 0.1, momentum: 0))
    expectClose(model.forward(x).scalars, Self.reference(model, x).scalars, absolute: 1e-5, relative: 1e-4)
  }

  @Test("predict rejects a batch of the wrong shape")
  func predictValidates() throws {
    let model = try Self.model(inputShape: [3, 19, 23], specs: Self.oddSpecs, seed: 1)
    let network = model.inferenceNetwork()
    #expect(throws: NeuralNetError.self) { try network.predict(Tensor(zeros: [1, 3, 19, 22])) }
    #expect(try network.predict(Tensor(zeros: [1, 3, 19, 23])).shape == [1, 3])
  }
}
