/// A `Sequential` model compiled for inference: the same function as
/// `Sequential.forward(_:training: false)`, planned once for speed.
///
/// Planning walks the layers and fuses every `Conv2D` with a 3 × 3 kernel and stride 1 ("same" or
/// "valid" padding) together with what directly follows it — a `BatchNormalization` (folded into
/// the weights and bias with its running statistics: `W' = W·γ/√(σ²+ε)`,
/// `b' = (b − μ)·γ/√(σ²+ε) + β`), a `ReLU` or `LeakyReLU`, and a 2 × 2 / stride 2 max pool — into
/// one Winograd F(4 × 4, 3 × 3) stage on channels-last activations (see `WinogradConvolution`;
/// with 1–2 input channels, where Winograd's products cannot use `sgemm` well, the stage convolves
/// directly with one `sgemm` of K = 9·C instead).
/// Consecutive stages hand activations over in place, with the next convolution's zero padding
/// already in the buffer; a `GlobalAveragePooling` after a stage reads the channels-last result
/// directly. Every other layer runs as the model's own layer in inference mode (on a private copy).
///
/// Weights are copied when the network is planned: later changes to the model (training, `load`)
/// are not seen; plan again. Buffers are allocated on first use for a batch size and reused; large
/// batches run in sub-batches of at most `maximumSubBatch` samples, so memory stays bounded.
///
/// Numerics: Winograd F(4, 3) rounds differently from a direct convolution. On the full `melCNN`
/// preset (He-initialised, random BatchNorm statistics) the logits differ from PyTorch's float64
/// result by ≤ 2.3e-6 for |logits| ≤ 6, against 1.8e-6 for the layer-by-layer path and 1.7e-6 for
/// PyTorch in float32; tests hold the plan to 1e-5 + 1e-4 relative against both. Use one instance
/// from one thread at a time.
public final class InferenceNetwork {
  /// The per-sample input shape (without the batch axis).
  public let inputShape: [Int]
  /// The per-sample output shape.
  public let outputShape: [Int]
  /// Samples per internal pass: larger batches are processed in pieces of this size.
  public let maximumSubBatch: Int

  private enum Step {
    /// A fused Winograd convolution: reads `buffers[input]`, writes `buffers[output]` as `layout`.
    case winograd(WinogradConvolution, input: Int, output: Int, layout: ChannelsLastLayout)
    /// Global average pooling of a channels-last buffer into a `[N, C]` tensor.
    case globalAverage(buffer: Int, layout: ChannelsLastLayout)
    /// A model layer in inference mode on an NCHW tensor; `from` names a channels-last buffer to
    /// convert first, if the previous step left one.
    case layer(any Layer, from: (buffer: Int, layout: ChannelsLastLayout)?)
    /// Copies the current activation (the NCHW tensor, or the channels-last buffer `from`) into
    /// `buffer` laid out as `layout`.
    case store(buffer: Int, layout: ChannelsLastLayout, from: (buffer: Int, layout: ChannelsLastLayout)?)
  }

  private let steps: [Step]
  /// Where the first step reads: a channels-last buffer to fill from the NCHW input, if any.
  private let entry: (buffer: Int, layout: ChannelsLastLayout)?
  /// Where the last step leaves its result, if in a channels-last buffer.
  private let exit: (buffer: Int, layout: ChannelsLastLayout)?
  /// Floats per sample of every buffer.
  private let bufferSampleSizes: [Int]
  private var buffers: [[Float]]
  private var bufferSamples = 0
  private var transformed: [Float] = []
  private var products: [Float] = []
  private let transformedSize: Int
  private let productsSize: Int

  /// Plans `model` for inference (a snapshot of its current weights and running statistics).
  ///
  /// - Parameters:
  ///   - model: the trained network; later changes to it do not affect the plan.
  ///   - maximumSubBatch: samples per internal pass (≥ 1). The default, 1, measured fastest per
  ///     sample for `melCNN` on 2-core x86-64 (one thread, OpenBLAS Haswell kernel, a batch of
  ///     10: 1.74 ms per segment at 1, 1.97 at 4, 2.33 at 16): one sample's activations stay in
  ///     L2 across layers.
  /// - Complexity: O(parameters) to transform the weights.
  public init(_ model: Sequential, maximumSubBatch: Int = 1) {
    precondition(maximumSubBatch >= 1, "maximumSubBatch \(maximumSubBatch) must be ≥ 1")
    let twin = model.copy()
    inputShape = model.inputShape
    outputShape = model.outputShape
    self.maximumSubBatch = maximumSubBatch
    var steps: [Step] = []
    var sampleSizes: [Int] = []
    func newBuffer(_ layout: ChannelsLastLayout) -> Int {
      sampleSizes.append(layout.sampleSize)
      return sampleSizes.count - 1
    }
    // The current activation: in a channels-last buffer (`pending`) or as an NCHW tensor.
    var pending: (buffer: Int, layout: ChannelsLastLayout)? = nil
    var entry: (buffer: Int, layout: ChannelsLastLayout)? = nil
    var shape = model.inputShape
    var maxTransformed = 0
    var maxProducts = 0
    let layers = twin.layers
    let specs = twin.specs
    var index = 0
    while index < layers.count {
      if let fused = Self.fuse(layers: layers, specs: specs, at: index, shape: shape) {
        let layout = WinogradConvolution.inputLayout(
          channels: shape[0], height: shape[1], width: shape[2], padding: fused.padding)
        let input: Int
        if let previous = pending, previous.layout == layout {
          input = previous.buffer
        } else {
          input = newBuffer(layout)
          if steps.isEmpty && pending == nil {
            entry = (input, layout)
          } else {
            steps.append(.store(buffer: input, layout: layout, from: pending))
          }
        }
        let stage = WinogradConvolution(
          weight: fused.weight, bias: fused.bias, scale: fused.scale, shift: fused.shift, input: layout,
          padding: fused.padding, activation: fused.activation, pools: fused.pools)
        maxTransformed = max(maxTransformed, stage.transformedScratch)
        maxProducts = max(maxProducts, stage.productsScratch)
        shape = [stage.filters, stage.resultHeight, stage.resultWidth]
        let next = index + fused.layerCount
        // Hand over in the next stage's layout when a fusable convolution follows.
        // (Unless that layout stores channels differently from this stage's output, which writes
        // 4 channels at a time: then through an unpadded buffer and a copy.)
        var outputLayout = ChannelsLastLayout(channels: shape[0], height: shape[1], width: shape[2])
        if let following = Self.fuse(layers: layers, specs: specs, at: next, shape: shape) {
          let handover = WinogradConvolution.inputLayout(
            channels: shape[0], height: shape[1], width: shape[2], padding: following.padding)
          if handover.channelStride == stage.filterStride { outputLayout = handover }
        }
        let output = newBuffer(outputLayout)
        steps.append(.winograd(stage, input: input, output: output, layout: outputLayout))
        pending = (output, outputLayout)
        index = next
        continue
      }
      if let current = pending, layers[index] is GlobalAveragePooling {
        steps.append(.globalAverage(buffer: current.buffer, layout: current.layout))
        pending = nil
      } else {
        steps.append(.layer(layers[index], from: pending))
        pending = nil
      }
      // The specs were validated when the model was built.
      shape = (try? specs[index].outputShape(for: shape, layerIndex: index)) ?? shape
      index += 1
    }
    self.steps = steps
    self.entry = entry
    exit = pending
    bufferSampleSizes = sampleSizes
    buffers = sampleSizes.map { _ in [] }
    transformedSize = maxTransformed
    productsSize = maxProducts
  }

  /// What one fused Winograd stage is made of.
  private struct Fusion {
    var weight: [Float], bias: [Float], scale: [Float], shift: [Float]
    var padding: ConvolutionPadding
    var activation: FusedActivation
    var pools: Bool
    var layerCount: Int
  }

  /// The Winograd stage starting at `layers[index]` on per-sample input `shape`, or nil.
  private static func fuse(layers: [any Layer], specs: [LayerSpec], at index: Int, shape: [Int]) -> Fusion? {
    guard index < layers.count, shape.count == 3, let convolution = layers[index] as? Conv2D,
      case .conv2D(let filters, let kernel, let stride, let padding, _) = specs[index],
      kernel == 3, stride == 1
    else { return nil }
    let weight = convolution.weight.value.scalars
    let bias = convolution.bias.value.scalars
    var scale = [Float](repeating: 1, count: filters)
    var shift = [Float](repeating: 0, count: filters)
    var next = index + 1
    if next < layers.count, let norm = layers[next] as? BatchNormalization {
      let (gamma, beta) = (norm.weight.value.scalars, norm.bias.value.scalars)
      let (mean, variance) = (norm.runningMean.value.scalars, norm.runningVariance.value.scalars)
      for f in 0..<filters {
        let inverse = 1 / (Double(variance[f]) + Double(norm.epsilon)).squareRoot()
        scale[f] = Float(Double(gamma[f]) * inverse)
        shift[f] = Float(Double(beta[f]) - Double(mean[f]) * Double(gamma[f]) * inverse)
      }
      next += 1
    }
    var activation = FusedActivation.identity
    if next < layers.count, layers[next] is ReLU {
      activation = .relu
      next += 1
    } else if next < layers.count, let leaky = layers[next] as? LeakyReLU {
      activation = .leakyReLU(slope: leaky.slope)
      next += 1
    }
    var pools = false
    // The output pass pools before adding the bias and applying the activation, which commutes
    // with the maximum only for a non-decreasing activation.
    let monotone: Bool
    if case .leakyReLU(let slope) = activation { monotone = slope >= 0 } else { monotone = true }
    if monotone, next < layers.count, case .maxPool2D(let size, let poolStride) = specs[next], size == 2,
      poolStride == nil || poolStride == 2
    {
      let out = padding.resolve(input: shape[1], kernel: 3, stride: 1).output
      let outW = padding.resolve(input: shape[2], kernel: 3, stride: 1).output
      if out >= 2 && outW >= 2 {
        pools = true
        next += 1
      }
    }
    return Fusion(
      weight: weight, bias: bias, scale: scale, shift: shift, padding: padding, activation: activation,
      pools: pools, layerCount: next - index)
  }

  /// The number of fused 3 × 3 convolution stages in the plan (Winograd, or direct for 1–2 input
  /// channels), each with its folded BatchNorm, activation and pooling.
  public var fusedConvolutionCount: Int {
    steps.reduce(0) { count, step in
      if case .winograd = step { return count + 1 }
      return count
    }
  }

  /// The model's output for a batch `[N] + inputShape`, as `Sequential.forward(_:training: false)`.
  ///
  /// - Precondition: `input.shape.dropFirst() == inputShape` (use `predict` to validate).
  /// - Complexity: per sample, O(Σ conv tiles · 36 · C · F) in `sgemm` plus the other layers.
  public func forward(_ input: Tensor) -> Tensor {
    precondition(
      input.rank == inputShape.count + 1 && Array(input.shape.dropFirst()) == inputShape,
      "model expects [N] + \(inputShape), got \(input.shape)")
    let n = input.shape[0]
    if n == 0 { return Tensor(zeros: [0] + outputShape) }
    if n <= maximumSubBatch { return run(input) }
    let outputSize = outputShape.reduce(1, *)
    var result = [Float](unfilled: n * outputSize)
    var start = 0
    while start < n {
      let end = min(start + maximumSubBatch, n)
      let part = run(input.batch(start..<end))
      result.withUnsafeMutableBufferPointer { r in
        part.scalars.withUnsafeBufferPointer { p in
          (r.baseAddress! + start * outputSize).update(from: p.baseAddress!, count: p.count)
        }
      }
      start = end
    }
    return Tensor(shape: [n] + outputShape, scalars: result)
  }

  /// Inference on a batch whose shape is checked: `[N] + inputShape → [N] + outputShape`.
  ///
  /// - Throws: `NeuralNetError.shapeMismatch` when the batch does not fit the model.
  public func predict(_ input: Tensor) throws(NeuralNetError) -> Tensor {
    guard input.rank == inputShape.count + 1, Array(input.shape.dropFirst()) == inputShape else {
      throw .shapeMismatch(
        name: "input", expected: [input.shape.first ?? 1] + inputShape, actual: input.shape)
    }
    return forward(input)
  }

  /// Grows the buffers to hold `samples` samples (zero-filled, so borders are zero).
  private func reserve(samples: Int) {
    if transformed.count < transformedSize { transformed = [Float](repeating: 0, count: transformedSize) }
    if products.count < productsSize { products = [Float](repeating: 0, count: productsSize) }
    guard samples > bufferSamples else { return }
    for i in buffers.indices { buffers[i] = [Float](repeating: 0, count: bufferSampleSizes[i] * samples) }
    bufferSamples = samples
  }

  /// One pass over at most `maximumSubBatch` samples.
  private func run(_ input: Tensor) -> Tensor {
    let n = input.shape[0]
    reserve(samples: n)
    var tensor = input
    if let entry {
      input.scalars.withUnsafeBufferPointer { x in
        buffers[entry.buffer].withUnsafeMutableBufferPointer { b in
          entry.layout.store(nchw: x.baseAddress!, samples: n, into: b.baseAddress!)
        }
      }
    }
    for step in steps {
      switch step {
      case .winograd(let stage, let inputBuffer, let outputBuffer, let layout):
        precondition(inputBuffer != outputBuffer, "a Winograd stage cannot run in place")
        buffers.withUnsafeMutableBufferPointer { all in
          all[inputBuffer].withUnsafeBufferPointer { source in
            all[outputBuffer].withUnsafeMutableBufferPointer { target in
              transformed.withUnsafeMutableBufferPointer { v in
                products.withUnsafeMutableBufferPointer { m in
                  stage.run(
                    source.baseAddress!, samples: n, into: target.baseAddress!, output: layout,
                    transformed: v.baseAddress!, products: m.baseAddress!)
                }
              }
            }
          }
        }
      case .globalAverage(let buffer, let layout):
        var pooled = Tensor(unfilled: [n, layout.channels])
        buffers[buffer].withUnsafeBufferPointer { b in
          pooled.scalars.withUnsafeMutableBufferPointer { y in
            layout.globalAverage(of: b.baseAddress!, samples: n, into: y.baseAddress!)
          }
        }
        tensor = pooled
      case .layer(let layer, let from):
        if let from { tensor = nchw(from, samples: n) }
        tensor = layer.forward(consume tensor, training: false)
      case .store(let buffer, let layout, let from):
        if let from { tensor = nchw(from, samples: n) }
        tensor.scalars.withUnsafeBufferPointer { x in
          buffers[buffer].withUnsafeMutableBufferPointer { b in
            layout.store(nchw: x.baseAddress!, samples: n, into: b.baseAddress!)
          }
        }
      }
    }
    if let exit { tensor = nchw(exit, samples: n) }
    return tensor
  }

  /// The NCHW tensor `[samples, C, H, W]` of a channels-last buffer.
  private func nchw(_ source: (buffer: Int, layout: ChannelsLastLayout), samples: Int) -> Tensor {
    let layout = source.layout
    var result = Tensor(unfilled: [samples, layout.channels, layout.height, layout.width])
    buffers[source.buffer].withUnsafeBufferPointer { b in
      result.scalars.withUnsafeMutableBufferPointer { y in
        layout.load(from: b.baseAddress!, samples: samples, nchw: y.baseAddress!)
      }
    }
    return result
  }
}

extension Sequential {
  /// This model compiled for inference (BatchNorm folded, Winograd 3 × 3 convolutions, fused
  /// activations and pooling, reused buffers); see `InferenceNetwork`. Same outputs as
  /// `forward(_:training: false)` within floating-point tolerance.
  ///
  /// - Parameter maximumSubBatch: samples per internal pass (bounds the buffers' memory).
  /// - Returns: a snapshot of the current tensors, planned.
  /// - Complexity: O(parameters) to plan.
  public func inferenceNetwork(maximumSubBatch: Int = 1) -> InferenceNetwork {
    InferenceNetwork(self, maximumSubBatch: maximumSubBatch)
  }
}

