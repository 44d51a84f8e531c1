/// A feed-forward stack of layers built from `LayerSpec`s, batch-first.
///
/// Tensors are named like the `state_dict()` of the equivalent `torch.nn.Sequential`:
/// `"<layer index>.<local name>"`, e.g. `"0.weight"`, `"1.running_mean"` (index counts every
/// spec, parameter-free ones included). Use one model from one thread at a time (layers cache
/// activations for `backward`).
public final class Sequential {
  /// The architecture, as given.
  public let specs: [LayerSpec]
  /// The per-sample input shape (without the batch axis), e.g. `[1, 128, 130]`.
  public let inputShape: [Int]
  /// The per-sample output shape, e.g. `[10]`.
  public let outputShape: [Int]
  /// The layers, one per spec.
  public let layers: [any Layer]
  /// Whether `forward(_:training: false)` runs through a planned `InferenceNetwork` (BatchNorm
  /// folded, Winograd 3 × 3 convolutions, fused activation and pooling) when the architecture has
  /// a convolution it speeds up. The plan is built on first use and rebuilt after any tensor
  /// changes. Set to `false` for the layer-by-layer path (e.g. as a reference in tests).
  public var usesInferencePlan = true
  /// Whether some layer is a 3 × 3 / stride 1 `Conv2D` that `InferenceNetwork` plans as Winograd.
  private let benefitsFromPlan: Bool
  private var plan: InferenceNetwork?
  /// The sum of the tensors' generations when `plan` was built.
  private var planGeneration = -1
  /// Whether the last `forward` ran through the plan (the layers then hold no caches for `backward`).
  private var lastForwardWasPlanned = false

  /// Builds the layers for `specs` on per-sample inputs of `inputShape`, initialising weights
  /// from a `SeededGenerator(seed:)` (layer by layer, in order; dropout layers get seeds drawn
  /// from the same generator), so a seed fixes the whole model.
  ///
  /// - Throws: `NeuralNetError.invalidSpecification` naming the first layer that cannot apply.
  public init(inputShape: [Int], specs: [LayerSpec], seed: UInt64 = 0) throws(NeuralNetError) {
    guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
      throw .invalidArgument(name: "input shape", reason: "\(inputShape) must have positive extents")
    }
    var generator = SeededGenerator(seed: seed)
    var shape = inputShape
    var layers: [any Layer] = []
    for (index, spec) in specs.enumerated() {
      let next = try spec.outputShape(for: shape, layerIndex: index)
      switch spec {
      case .dense(let units, let initializer):
        layers.append(
          Dense(inputSize: shape[0], outputSize: units, initializer: initializer, generator: &generator))
      case .conv1D(let filters, let kernel, let stride, let padding, let initializer):
        layers.append(
          Conv1D(
            inputChannels: shape[0], filters: filters, kernel: kernel, stride: stride, padding: padding,
            initializer: initializer, generator: &generator))
      case .conv2D(let filters, let kernel, let stride, let padding, let initializer):
        layers.append(
          Conv2D(
            inputChannels: shape[0], filters: filters, kernel: kernel.pair, stride: stride.pair,
            padding: padding,
            initializer: initializer, generator: &generator))
      case .maxPool1D(let size, let stride):
        layers.append(Pooling(.max, size: size, stride: stride))
      case .averagePool1D(let size, let stride):
        layers.append(Pooling(.average, size: size, stride: stride))
      case .maxPool2D(let size, let stride):
        layers.append(Pooling(.max, window: size.pair, stride: stride?.pair))
      case .averagePool2D(let size, let stride):
        layers.append(Pooling(.average, window: size.pair, stride: stride?.pair))
      case .globalAveragePooling:
        layers.append(GlobalAveragePooling())
      case .batchNorm(let momentum, let epsilon):
        layers.append(BatchNormalization(channels: shape[0], momentum: momentum, epsilon: epsilon))
      case .dropout(let rate):
        layers.append(Dropout(rate: rate, seed: generator.next()))
      case .relu:
        layers.append(ReLU())
      case .leakyReLU(let slope):
        layers.append(LeakyReLU(slope: slope))
      case .flatten:
        layers.append(Flatten())
      case .softmax:
        layers.append(Softmax())
      }
      shape = next
    }
    self.specs = specs
    self.inputShape = inputShape
    outputShape = shape
    self.layers = layers
    benefitsFromPlan = specs.contains { spec in
      if case .conv2D(_, let kernel, let stride, _, _) = spec { return kernel == 3 && stride == 1 }
      return false
    }
  }

  /// The planned inference network for the current tensors, rebuilt when any tensor changed.
  private func currentPlan() -> InferenceNetwork {
    let generation = layers.reduce(0) { sum, layer in
      layer.parameters.reduce(sum) { $0 &+ $1.generation }
    }
    if let plan, planGeneration == generation { return plan }
    // One sample per internal pass: the fastest per sample (see `InferenceNetwork.init`) and the
    // smallest buffers.
    let fresh = InferenceNetwork(self)
    plan = fresh
    planGeneration = generation
    return fresh
  }

  /// Runs every layer on a batch `[N] + inputShape`, returning `[N] + outputShape`.
  ///
  /// - Parameters:
  ///   - input: the batch, `[N] + inputShape`.
  ///   - training: training behaviour (dropout, batch statistics, caching for `backward`) or
  ///     inference behaviour (through the planned `InferenceNetwork` when `usesInferencePlan` is
  ///     set and it applies; same results within float rounding, and the layers' caches for
  ///     `backward` are then not filled).
  /// - Precondition: `input.shape.dropFirst() == inputShape` (use `predict` to validate).
  public func forward(_ input: Tensor, training: Bool = false) -> Tensor {
    precondition(
      input.rank == inputShape.count + 1 && Array(input.shape.dropFirst()) == inputShape,
      "model expects [N] + \(inputShape), got \(input.shape)")
    lastForwardWasPlanned = false
    if input.shape[0] == 0 { return Tensor(zeros: [0] + outputShape) }
    lastForwardWasPlanned = !training && usesInferencePlan && benefitsFromPlan
    if lastForwardWasPlanned { return currentPlan().forward(input) }
    var x = input
    for layer in layers { x = layer.forward(consume x, training: training) }
    return x
  }

  /// An independent model with the same architecture and tensors (weights and running statistics)
  /// and fresh caches, e.g. one per thread for concurrent inference.
  public func copy() -> Sequential {
    // The specs were validated on this input shape when `self` was built, so this cannot fail.
    guard let twin = try? Sequential(inputShape: inputShape, specs: specs, seed: 0),
      (try? twin.load(stateDictionary())) != nil
    else { preconditionFailure("rebuilding a validated architecture failed") }
    twin.usesInferencePlan = usesInferencePlan
    return twin
  }

  /// Inference on a batch whose shape is checked: `[N] + inputShape → [N] + outputShape`.
  ///
  /// - Throws: `NeuralNetError.shapeMismatch` when the batch does not fit the model.
  public func predict(_ input: Tensor) throws(NeuralNetError) -> Tensor {
    guard input.rank == inputShape.count + 1, Array(input.shape.dropFirst()) == inputShape else {
      throw .shapeMismatch(
        name: "input", expected: [input.shape.first ?? 1] + inputShape, actual: input.shape)
    }
    return forward(input, training: false)
  }

  /// Inference on a large batch in chunks of at most `batchSize` samples, so memory stays bounded
  /// (activations of the 2-D CNN take ~2 MB per sample per layer); same result as `predict(_:)`.
  ///
  /// - Throws: `NeuralNetError.shapeMismatch` when the batch does not fit the model, or
  ///   `invalidArgument` for `batchSize < 1`.
  public func predict(_ input: Tensor, batchSize: Int) throws(NeuralNetError) -> Tensor {
    guard batchSize >= 1 else {
      throw .invalidArgument(name: "batch size", reason: "\(batchSize) must be ≥ 1")
    }
    guard input.rank == inputShape.count + 1, Array(input.shape.dropFirst()) == inputShape else {
      throw .shapeMismatch(
        name: "input", expected: [input.shape.first ?? 1] + inputShape, actual: input.shape)
    }
    let n = input.shape[0]
    if n <= batchSize { return forward(input, training: false) }
    var scalars: [Float] = []
    scalars.reserveCapacity(n * outputShape.reduce(1, *))
    for start in stride(from: 0, to: n, by: batchSize) {
      scalars += forward(input.batch(start..<min(start + batchSize, n)), training: false).scalars
    }
    return Tensor(shape: [n] + outputShape, scalars: scalars)
  }

  /// Back-propagates ∂L/∂output through every layer (after a `forward`), accumulating parameter
  /// gradients, and returns ∂L/∂input.
  @discardableResult
  public func backward(_ outputGradient: Tensor) -> Tensor {
    precondition(
      !lastForwardWasPlanned,
      "backward after an inference forward that ran through the planned network: set usesInferencePlan = false to back-propagate in inference mode")
    if outputGradient.count == 0 && outputGradient.rank >= 1 && outputGradient.shape[0] == 0 {
      return Tensor(zeros: [0] + inputShape)
    }
    var g = outputGradient
    for layer in layers.reversed() { g = layer.backward(consume g) }
    return g
  }

  /// Every tensor (weights and buffers) with its state-dict name, in layer order.
  public var namedParameters: [(name: String, parameter: Parameter)] {
    layers.enumerated().flatMap { index, layer in
      layer.parameters.map { (name: "\(index).\($0.name)", parameter: $0) }
    }
  }

  /// The tensors optimisers update, in layer order.
  public var trainableParameters: [Parameter] {
    layers.flatMap { $0.parameters.filter(\.isTrainable) }
  }

  /// The number of trainable scalars.
  public var parameterCount: Int { trainableParameters.reduce(0) { $0 + $1.value.count } }

  /// Sets every gradient to zero.
  public func zeroGradients() {
    for parameter in trainableParameters { parameter.zeroGradient() }
  }

  /// A copy of every tensor by state-dict name (what `SafeTensors.write` stores).
  public func stateDictionary() -> [String: Tensor] {
    Dictionary(uniqueKeysWithValues: namedParameters.map { ($0.name, $0.parameter.value) })
  }

  /// Replaces every tensor with the one of the same name in `tensors`.
  ///
  /// Nothing changes unless every name is present with the right shape.
  /// - Parameters:
  ///   - tensors: the new values by parameter name (`"0.weight"`, `"1.running_mean"`, …).
  ///   - ignoringUnknown: accept (and skip) names the model does not have, e.g. PyTorch's
  ///     `num_batches_tracked`. When false, such a name is an error.
  /// - Throws: `missingTensor`, `shapeMismatch` or `unexpectedTensor` for the first problem found.
  public func load(_ tensors: [String: Tensor], ignoringUnknown: Bool = false) throws(NeuralNetError) {
    let named = namedParameters
    for (name, parameter) in named {
      guard let tensor = tensors[name] else { throw .missingTensor(name: name) }
      guard tensor.shape == parameter.value.shape else {
        throw .shapeMismatch(name: name, expected: parameter.value.shape, actual: tensor.shape)
      }
    }
    if !ignoringUnknown {
      let known = Set(named.map(\.name))
      if let extra = tensors.keys.sorted().first(where: { !known.contains($0) }) {
        throw .unexpectedTensor(name: extra)
      }
    }
    for (name, parameter) in named { parameter.value = tensors[name]! }
  }

  /// One optimisation step on a mini-batch: forward in training mode, loss, backward, optional
  /// clipping of the global gradient norm, optimiser update.
  ///
  /// - Parameters:
  ///   - input: `[N] + inputShape`.
  ///   - labels: N class indices.
  ///   - loss: the loss on the model's output (logits).
  ///   - optimizer: updates the trainable parameters.
  ///   - maximumGradientNorm: clip threshold (`clipGradientNorm`), or `nil` for none.
  /// - Returns: the mini-batch loss before the update.
  /// - Throws: `NeuralNetError.invalidArgument` for labels out of range or of the wrong count.
  @discardableResult
  public func trainStep(
    input: Tensor, labels: [Int], loss: SoftmaxCrossEntropy, optimizer: any Optimizer,
    maximumGradientNorm: Float? = nil
  ) throws(NeuralNetError) -> Float {
    zeroGradients()
    let logits = forward(input, training: true)
    let (value, gradient) = try loss.evaluate(logits: logits, labels: labels)
    // Nothing needs ∂L/∂input here, so the first layer may skip computing it.
    if let first = layers.first as? any InputGradientSkipping {
      first.computesInputGradient = false
      defer { first.computesInputGradient = true }
      backward(gradient)
    } else {
      backward(gradient)
    }
    let parameters = trainableParameters
    if let maximumGradientNorm { clipGradientNorm(parameters, maximumNorm: maximumGradientNorm) }
    optimizer.step(parameters)
    return value
  }
}
