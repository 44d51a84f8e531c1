/// A named tensor owned by a layer: a trainable weight with its accumulated gradient, or a
/// non-trainable buffer such as BatchNorm's running statistics.
///
/// Local names follow PyTorch (`weight`, `bias`, `running_mean`, `running_var`) and values use
/// PyTorch's layouts (dense `[out, in]`, Conv1d `[out, in, k]`, Conv2d `[out, in, kh, kw]`), so a
/// `Sequential`'s tensors line up with the `state_dict()` of the matching `torch.nn.Sequential`.
public final class Parameter {
  /// The name inside its layer, e.g. `weight`.
  public let name: String
  /// The current value.
  public var value: Tensor {
    // No `oldValue`: in-place mutations (`value.scalars[i] = …`) stay in place (SE-0268).
    didSet { generation &+= 1 }
  }
  /// Incremented on every write to `value`, in-place mutations included, so that a model can
  /// tell when its planned inference network (`InferenceNetwork`) is stale.
  package private(set) var generation = 0
  /// The gradient accumulated by `backward` since the last `zeroGradient()`, same shape as
  /// `value`; all zeros for buffers.
  public var gradient: Tensor
  /// Whether optimisers update this tensor (`false` for running statistics).
  public let isTrainable: Bool

  /// A parameter holding `value`, with a zero gradient.
  public init(name: String, value: Tensor, isTrainable: Bool = true) {
    self.name = name
    self.value = value
    self.gradient = Tensor(zeros: isTrainable ? value.shape : [0])
    self.isTrainable = isTrainable
  }

  /// Resets the accumulated gradient to zero.
  public func zeroGradient() {
    guard isTrainable else { return }
    gradient.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
  }
}

/// A differentiable layer with cached state for one backward pass.
///
/// Contract: `forward(_:training:)` computes the output for a batch and keeps what `backward`
/// needs (inputs, masks, indices). `backward(_:)` then receives ∂L/∂output for that same batch,
/// *adds* ∂L/∂θ to each trainable parameter's `gradient` (so gradients of several batches can be
/// accumulated; call `zeroGradient()` between steps) and returns ∂L/∂input. Layers are reference
/// types holding caches: use one instance from one thread at a time.
public protocol Layer: AnyObject {
  /// The output for `input` (batch-first). `training` selects training behaviour (dropout active,
  /// BatchNorm on batch statistics and updating its running statistics) or inference behaviour.
  ///
  /// The input is taken `consuming`, so a layer may reuse its storage for the output when the
  /// caller passes the last reference (as `Sequential` does), saving an allocation.
  func forward(_ input: consuming Tensor, training: Bool) -> Tensor
  /// ∂L/∂input for the last `forward`, given ∂L/∂output; accumulates parameter gradients.
  /// The gradient is taken `consuming` for the same reason as `forward`'s input.
  func backward(_ outputGradient: consuming Tensor) -> Tensor
  /// The layer's weights and buffers in PyTorch's `state_dict` order (empty if none).
  var parameters: [Parameter] { get }
}

extension Layer {
  /// No parameters by default.
  public var parameters: [Parameter] { [] }
}

/// Accumulates `source` into `target` element-wise (`target += source`).
@inline(__always)
func accumulate(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
  for i in 0..<count { target[i] += source[i] }
}

/// Layers that can skip computing ∂L/∂input when nothing consumes it (the first layer of a model
/// during training); `backward` then returns an empty tensor. Internal: `Sequential.trainStep` sets
/// it only around its own backward pass.
protocol InputGradientSkipping: AnyObject {
  var computesInputGradient: Bool { get set }
}
