import Foundation
import NeuralNet
import TestSupport
import Testing

/// Forward, loss, backward and one Adam step against PyTorch CPU (Scripts/torch_reference.py).
@Suite("PyTorch parity")
struct TorchParityTests {
  struct Reference: Decodable {
    var specs: [LayerSpec]
    var inputShape: [Int]
    var input: [Float]
    var labels: [Int]
    var classWeights: [Float]
    var labelSmoothing: Float
    var learningRate: Float
    var logits: [Float]
    var loss: Float
    var inputGradient: [Float]
    var gradients: [String: [Float]]
    var after: [String: [Float]]
    var evalLogits: [Float]
  }

  @Test(
    "2-D and 1-D CNNs with BatchNorm reproduce a PyTorch training step",
    arguments: ["torch_cnn2d", "torch_cnn1d"])
  func trainingStep(name: String) throws {
    ComputeThreads.set(1)
    let reference = try JSONDecoder().decode(
      Reference.self, from: Data(contentsOf: TestData.fixture("\(name).json", in: Bundle.module)))
    let model = try Sequential(inputShape: reference.inputShape, specs: reference.specs, seed: 0)
    // The initial state was written by the Python safetensors package; it also holds PyTorch's
    // I64 `num_batches_tracked` buffers, which the model does not use.
    let file = try SafeTensorsFile(
      contentsOf: TestData.fixture("\(name)_initial.safetensors", in: Bundle.module))
    #expect(throws: NeuralNetError.self) { try model.loadWeights(from: file) }
    try model.loadWeights(from: file, ignoringUnknown: true)

    let batch = reference.labels.count
    let input = Tensor(shape: [batch] + reference.inputShape, scalars: reference.input)
    model.zeroGradients()
    let logits = model.forward(input, training: true)
    expectClose(logits.scalars, reference.logits, absolute: 2e-5, relative: 1e-4, "training logits")
    let loss = try SoftmaxCrossEntropy(
      labelSmoothing: reference.labelSmoothing, classWeights: reference.classWeights)
    let (value, gradient) = try loss.evaluate(logits: logits, labels: reference.labels)
    expectClose(value, reference.loss, absolute: 1e-5, relative: 1e-5, "loss")
    let inputGradient = model.backward(gradient)
    expectClose(inputGradient.scalars, reference.inputGradient, absolute: 1e-6, relative: 1e-3, "∂L/∂input")
    let named = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.name, $0.parameter) })
    for (key, expected) in reference.gradients {
      let parameter = try #require(named[key])
      expectClose(parameter.gradient.scalars, expected, absolute: 1e-6, relative: 1e-3, "∂L/∂\(key)")
    }

    Adam(learningRate: reference.learningRate, epsilon: 1e-7).step(model.trainableParameters)
    for (key, expected) in reference.after {
      let parameter = try #require(named[key])
      // Adam's first step is lr·g/(|g| + ε): where PyTorch's gradient is rounding noise (a conv
      // bias followed by BatchNorm has an exact gradient of 0), its sign and size are arbitrary,
      // so those elements are only held to the step bound lr.
      // Such elements then take PyTorch's value so the eval-mode comparison below is meaningful.
      let torchGradient = reference.gradients[key]
      for i in expected.indices {
        let noisy = torchGradient.map { abs($0[i]) < 1e-5 } ?? false
        let tolerance = noisy ? Double(reference.learningRate) * 1.001 : 2e-5
        expectClose(parameter.value.scalars[i], expected[i], absolute: tolerance, "\(key)[\(i)] after Adam")
        if noisy { parameter.value.scalars[i] = expected[i] }
      }
    }
    let evalLogits = try model.predict(input)
    expectClose(
      evalLogits.scalars, reference.evalLogits, absolute: 1e-4, relative: 1e-3, "eval logits after the step")
    // The same through the planned inference network (BatchNorm folded, Winograd 3 × 3) and
    // through the layer-by-layer path.
    let planned = try model.inferenceNetwork().predict(input)
    expectClose(
      planned.scalars, reference.evalLogits, absolute: 1e-4, relative: 1e-3, "planned eval logits")
    model.usesInferencePlan = false
    let layered = try model.predict(input)
    expectClose(layered.scalars, reference.evalLogits, absolute: 1e-4, relative: 1e-3, "layer-by-layer eval logits")
    var worstGradient = 0.0
    for (key, expected) in reference.gradients {
      worstGradient = max(worstGradient, discrepancy(named[key]!.gradient.scalars, expected).absoluteError)
    }
    print(
      "PyTorch parity \(name): logits \(discrepancy(logits.scalars, reference.logits).absoluteError), "
        + "loss \(abs(Double(value) - Double(reference.loss))), "
        + "∂L/∂input \(discrepancy(inputGradient.scalars, reference.inputGradient).absoluteError), "
        + "worst ∂L/∂θ \(worstGradient), eval logits \(discrepancy(evalLogits.scalars, reference.evalLogits).absoluteError) (max |Δ|)"
    )
  }

  struct EvalReference: Decodable {
    var specs: [LayerSpec]
    var inputShape: [Int]
    var input: [Float]
    var evalLogits: [Float]
  }

  @Test("eval-mode logits with BatchNorm running statistics match PyTorch through the planned network")
  func plannedInference() throws {
    ComputeThreads.set(1)
    let reference = try JSONDecoder().decode(
      EvalReference.self,
      from: Data(contentsOf: TestData.fixture("torch_cnn2d_eval.json", in: Bundle.module)))
    let model = try Sequential(inputShape: reference.inputShape, specs: reference.specs, seed: 0)
    let file = try SafeTensorsFile(
      contentsOf: TestData.fixture("torch_cnn2d_eval.safetensors", in: Bundle.module))
    try model.loadWeights(from: file, ignoringUnknown: true)
    let batch = reference.input.count / reference.inputShape.reduce(1, *)
    let input = Tensor(shape: [batch] + reference.inputShape, scalars: reference.input)
    let network = model.inferenceNetwork()
    // conv 1→6 (direct), conv 6→8 and conv 8→5 (Winograd).
    #expect(network.fusedConvolutionCount == 3)
    let planned = try network.predict(input)
    expectClose(planned.scalars, reference.evalLogits, absolute: 1e-5, relative: 1e-4, "planned logits")
    model.usesInferencePlan = false
    let layered = try model.predict(input)
    expectClose(layered.scalars, reference.evalLogits, absolute: 1e-5, relative: 1e-4, "layered logits")
    print(
      "PyTorch eval parity: planned \(discrepancy(planned.scalars, reference.evalLogits).absoluteError), "
        + "layer by layer \(discrepancy(layered.scalars, reference.evalLogits).absoluteError) (max |Δ|)")
  }
}
