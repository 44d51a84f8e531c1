import NeuralNet
import TestSupport
import Testing

@Suite("ComputeThreads")
struct ComputeThreadsTests {
  @Test("two threads give the same training step as one (chunked loops write disjoint memory)")
  func parallelMatchesSerial() throws {
    let specs: [LayerSpec] = [
      .conv2D(filters: 8, kernel: 3, padding: .same), .batchNorm(), .relu, .maxPool2D(size: 2),
      .conv2D(filters: 4, kernel: 3, padding: .same), .leakyReLU(), .globalAveragePooling, .dense(units: 3),
    ]
    let x = Sample.uniform([4, 4, 64, 130], seed: 1)
    let labels = [0, 1, 2, 1]
    func run(threads: Int) throws -> (Tensor, [String: Tensor], Tensor) {
      ComputeThreads.set(threads)
      #expect(ComputeThreads.current == threads)
      let model = try Sequential(inputShape: [4, 64, 130], specs: specs, seed: 3)
      model.zeroGradients()
      let logits = model.forward(x, training: true)
      let (_, gradient) = try SoftmaxCrossEntropy().evaluate(logits: logits, labels: labels)
      let inputGradient = model.backward(gradient)
      let gradients = Dictionary(
        uniqueKeysWithValues: model.namedParameters.filter { $0.parameter.isTrainable }
          .map { ($0.name, $0.parameter.gradient) })
      return (logits, gradients, inputGradient)
    }
    let serial = try run(threads: 1)
    let parallel = try run(threads: 2)
    ComputeThreads.set(1)
    expectClose(parallel.0.scalars, serial.0.scalars, absolute: 1e-6, relative: 1e-5, "logits")
    expectClose(parallel.2.scalars, serial.2.scalars, absolute: 1e-8, relative: 1e-4, "∂L/∂input")
    for (name, gradient) in serial.1 {
      expectClose(parallel.1[name]!.scalars, gradient.scalars, absolute: 1e-7, relative: 1e-4, "∂L/∂\(name)")
    }
  }
}
