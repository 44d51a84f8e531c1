/// Flattens every axis after the batch axis: `[N, d1, …, dk] → [N, d1 · … · dk]`.
/// Matches `torch.nn.Flatten()` (start_dim 1). No copy: only the shape changes.
public final class Flatten: Layer {
  private var inputShape: [Int] = []

  /// A flatten layer.
  public init() {}

  /// The layer applied to a batch; see the type's description for shapes and formula.
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    precondition(input.rank >= 1, "Flatten needs a batch axis, got \(input.shape)")
    inputShape = input.shape
    let n = input.shape[0]
    return input.reshaped(to: [n, n == 0 ? 0 : input.count / n])
  }

  /// The gradient reshaped back to the input's shape.
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    outputGradient.reshaped(to: inputShape)
  }
}

/// Inverted dropout: in training, each element is zeroed with probability `rate` and survivors are
/// scaled by 1 / (1 − rate), so inference is the identity. Matches `torch.nn.Dropout(p=rate)`
/// (masks come from our own seeded generator, so they repeat for a seed but differ from torch's).
public final class Dropout: Layer {
  /// The probability of zeroing an element, in [0, 1).
  public let rate: Float
  private var generator: SeededGenerator
  private var mask: [Float] = []
  private var wasTraining = false

  /// A dropout layer dropping with probability `rate`, masks drawn from a generator seeded by `seed`.
  public init(rate: Float, seed: UInt64) {
    precondition(rate >= 0 && rate < 1, "dropout rate \(rate) must be in [0, 1)")
    self.rate = rate
    generator = SeededGenerator(seed: seed)
  }

  /// The layer applied to a batch; see the type's description for shapes and formula.
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    wasTraining = training && rate > 0
    guard wasTraining else { return input }
    let scale = 1 / (1 - rate)
    if mask.count != input.count { mask = [Float](repeating: 0, count: input.count) }
    for i in mask.indices { mask[i] = generator.nextUniform() < rate ? 0 : scale }
    var output = input
    output.scalars.withUnsafeMutableBufferPointer { y in
      mask.withUnsafeBufferPointer { m in
        for i in y.indices { y[i] *= m[i] }
      }
    }
    return output
  }

  /// ∂L/∂x = ∂L/∂y · mask (the identity when the last forward was in inference mode).
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    guard wasTraining else { return outputGradient }
    precondition(
      outputGradient.count == mask.count, "Dropout gradient \(outputGradient.shape) does not match the mask")
    var gradient = outputGradient
    gradient.scalars.withUnsafeMutableBufferPointer { g in
      mask.withUnsafeBufferPointer { m in
        for i in g.indices { g[i] *= m[i] }
      }
    }
    return gradient
  }
}
