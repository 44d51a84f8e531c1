import Foundation
import NeuralNet
import TestSupport
import Testing

@Suite("Sequential")
struct SequentialTests {
  /// The 2-D CNN of the issue: conv blocks 32-64-128-128 (3×3, BN, ReLU, 2×2 pool), global pool,
  /// dense 10, on 1×128×130 mel patches.
  static let melCNN: [LayerSpec] =
    [32, 64, 128, 128].flatMap { filters -> [LayerSpec] in
      [.conv2D(filters: filters, kernel: 3, padding: .same), .batchNorm(), .relu, .maxPool2D(size: 2)]
    } + [.globalAveragePooling, .dense(units: 10)]

  @Test("builds the issue's 2-D CNN with ~242 k parameters and PyTorch state-dict names")
  func melCNNShape() throws {
    let model = try Sequential(inputShape: [1, 128, 130], specs: Self.melCNN, seed: 1)
    #expect(model.outputShape == [10])
    // conv: 320 + 18 496 + 73 856 + 147 584, BN: 2·(32+64+128+128), dense: 1 290
    #expect(model.parameterCount == 320 + 18_496 + 73_856 + 147_584 + 704 + 1_290)
    let names = model.namedParameters.map(\.name)
    #expect(
      Array(names.prefix(6)) == [
        "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
      ])
    #expect(names.last == "17.bias")
    #expect(model.namedParameters.first!.parameter.value.shape == [32, 1, 3, 3])
  }

  @Test("the same seed builds the same weights")
  func seeded() throws {
    let a = try Sequential(
      inputShape: [4], specs: [.dense(units: 3), .dropout(rate: 0.5), .dense(units: 2)], seed: 5)
    let b = try Sequential(
      inputShape: [4], specs: [.dense(units: 3), .dropout(rate: 0.5), .dense(units: 2)], seed: 5)
    #expect(a.stateDictionary() == b.stateDictionary())
    let x = Sample.uniform([3, 4], seed: 1)
    #expect(a.forward(x, training: true) == b.forward(x, training: true))
  }

  @Test("copy() gives an independent model with equal tensors; empty batches pass through")
  func copyAndEmpty() throws {
    let model = try Sequential(
      inputShape: [2, 5], specs: [.conv1D(filters: 2, kernel: 3), .batchNorm(), .flatten, .dense(units: 3)],
      seed: 2)
    _ = model.forward(Sample.uniform([4, 2, 5], seed: 1), training: true)
    let twin = model.copy()
    #expect(twin.stateDictionary() == model.stateDictionary())
    let x = Sample.uniform([3, 2, 5], seed: 2)
    #expect(twin.forward(x) == model.forward(x))
    twin.namedParameters[0].parameter.value.scalars[0] += 1
    #expect(twin.stateDictionary() != model.stateDictionary())
    #expect(try model.predict(Tensor(zeros: [0, 2, 5])).shape == [0, 3])
    let many = Sample.uniform([7, 2, 5], seed: 9)
    expectClose(
      try model.predict(many, batchSize: 3).scalars, try model.predict(many).scalars, absolute: 1e-6)
    #expect(throws: NeuralNetError.self) { try model.predict(many, batchSize: 0) }
  }

  @Test("trainStep's gradients equal a full backward pass (it skips only the first layer's ∂L/∂input)")
  func trainStepGradients() throws {
    let specs: [LayerSpec] = [
      .conv2D(filters: 3, kernel: 3, padding: .same), .relu, .flatten, .dense(units: 2),
    ]
    let a = try Sequential(inputShape: [2, 4, 5], specs: specs, seed: 6)
    let b = try Sequential(inputShape: [2, 4, 5], specs: specs, seed: 6)
    let x = Sample.uniform([3, 2, 4, 5], seed: 3)
    let labels = [0, 1, 1]
    let loss = try SoftmaxCrossEntropy()
    try a.trainStep(input: x, labels: labels, loss: loss, optimizer: SGD(learningRate: 0, momentum: 0))
    b.zeroGradients()
    let (_, gradient) = try loss.evaluate(logits: b.forward(x, training: true), labels: labels)
    #expect(b.backward(gradient).shape == [3, 2, 4, 5])
    for (pa, pb) in zip(a.trainableParameters, b.trainableParameters) {
      #expect(pa.gradient == pb.gradient)
    }
    // The first layer computes ∂L/∂input again afterwards.
    _ = a.forward(x, training: true)
    #expect(a.backward(gradient).shape == [3, 2, 4, 5])
  }

  @Test("gathering picks samples along the batch axis")
  func gathering() {
    let t = Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5])
    #expect(t.gathering([2, 0, 2]) == Tensor(shape: [3, 2], scalars: [4, 5, 0, 1, 4, 5]))
  }

  @Test("invalid architectures and inputs throw typed errors")
  func errors() throws {
    #expect(throws: NeuralNetError.self) { try Sequential(inputShape: [1, 8, 8], specs: [.dense(units: 3)]) }
    #expect(throws: NeuralNetError.self) { try Sequential(inputShape: [], specs: [.relu]) }
    let model = try Sequential(inputShape: [3], specs: [.dense(units: 2)])
    #expect(throws: NeuralNetError.self) { try model.predict(Tensor(zeros: [2, 4])) }
    var tensors = model.stateDictionary()
    tensors["0.bias"] = Tensor(zeros: [3])
    #expect(throws: NeuralNetError.shapeMismatch(name: "0.bias", expected: [2], actual: [3])) {
      try model.load(tensors)
    }
    tensors["0.bias"] = nil
    #expect(throws: NeuralNetError.missingTensor(name: "0.bias")) { try model.load(tensors) }
    var extra = model.stateDictionary()
    extra["9.weight"] = Tensor(zeros: [1])
    #expect(throws: NeuralNetError.unexpectedTensor(name: "9.weight")) { try model.load(extra) }
    try model.load(extra, ignoringUnknown: true)
  }

  @Test("a whole model's input and parameter gradients match finite differences")
  func modelGradients() throws {
    let model = try Sequential(
      inputShape: [2, 6, 5],
      specs: [
        .conv2D(filters: 3, kernel: 3, padding: .same), .batchNorm(), .leakyReLU(slope: 0.1),
        .averagePool2D(size: 2), .flatten, .dense(units: 4), .softmax,
      ], seed: 3)
    let layer = ModelAsLayer(model)
    checkGradients(
      of: layer, input: Sample.uniform([3, 2, 6, 5], seed: 2), step: 2e-3, absolute: 1e-3, relative: 3e-2)
  }

  @Test("learns XOR-like quadrants to ≥ 97 % training accuracy with Adam")
  func learnsQuadrants() throws {
    var g = SeededGenerator(seed: 10)
    let n = 256
    var points: [Float] = []
    var labels: [Int] = []
    for _ in 0..<n {
      let x = g.nextUniform() * 2 - 1
      let y = g.nextUniform() * 2 - 1
      points += [x, y]
      labels.append((x > 0) != (y > 0) ? 1 : 0)
    }
    let input = Tensor(shape: [n, 2], scalars: points)
    let model = try Sequential(
      inputShape: [2], specs: [.dense(units: 16), .relu, .dense(units: 16), .relu, .dense(units: 2)], seed: 4)
    let optimizer = Adam(learningRate: 0.02)
    let loss = try SoftmaxCrossEntropy()
    var first: Float = 0
    var last: Float = 0
    for step in 0..<400 {
      last = try model.trainStep(
        input: input, labels: labels, loss: loss, optimizer: optimizer, maximumGradientNorm: 5)
      if step == 0 { first = last }
    }
    #expect(last < first / 4)
    let logits = try model.predict(input)
    var correct = 0
    for i in 0..<n where (logits.scalars[2 * i + 1] > logits.scalars[2 * i] ? 1 : 0) == labels[i] {
      correct += 1
    }
    #expect(Double(correct) / Double(n) >= 0.97, "accuracy \(correct)/\(n)")
  }

  @Test("a 1-D CNN learns where a bump sits in a noisy signal (≥ 95 % on held-out data)")
  func learnsBumpPosition() throws {
    var g = SeededGenerator(seed: 21)
    func batch(_ count: Int) -> (Tensor, [Int]) {
      var x: [Float] = []
      var y: [Int] = []
      for _ in 0..<count {
        let label = g.nextIndex(below: 3)
        let centre = [4, 12, 20][label] + g.nextIndex(below: 3) - 1
        for t in 0..<24 {
          let d = Float(t - centre)
          x.append(exp(-d * d / 4) + 0.2 * g.nextNormal())
        }
        y.append(label)
      }
      return (Tensor(shape: [count, 1, 24], scalars: x), y)
    }
    let model = try Sequential(
      inputShape: [1, 24],
      specs: [
        .conv1D(filters: 6, kernel: 5, padding: .same), .batchNorm(), .relu, .maxPool1D(size: 4),
        .flatten, .dropout(rate: 0.1), .dense(units: 3),
      ], seed: 8)
    let optimizer = Adam(learningRate: 0.01)
    let loss = try SoftmaxCrossEntropy(labelSmoothing: 0.05)
    for _ in 0..<150 {
      let (x, y) = batch(32)
      try model.trainStep(input: x, labels: y, loss: loss, optimizer: optimizer)
    }
    let (x, y) = batch(200)
    let logits = try model.predict(x)
    var correct = 0
    for i in 0..<200 {
      let row = Array(logits.scalars[(3 * i)..<(3 * i + 3)])
      if row.firstIndex(of: row.max()!) == y[i] { correct += 1 }
    }
    #expect(correct >= 190, "held-out accuracy \(correct)/200")
  }
}

/// Adapts a `Sequential` to the `Layer` protocol for the gradient checker.
final class ModelAsLayer: Layer {
  let model: Sequential
  init(_ model: Sequential) { self.model = model }
  func forward(_ input: Tensor, training: Bool) -> Tensor { model.forward(input, training: training) }
  func backward(_ outputGradient: Tensor) -> Tensor { model.backward(outputGradient) }
  var parameters: [Parameter] { model.layers.flatMap(\.parameters) }
}
