/// Batch normalisation over the channel axis of `[N, C]`, `[N, C, L]` or `[N, C, H, W]`.
///
/// Training: per channel, the batch mean μ and biased variance σ² over N and all spatial
/// positions give `y = γ · (x − μ) / √(σ² + ε) + β`, and the running statistics move by
/// `running ← (1 − momentum) · running + momentum · batch`, with the *unbiased* variance
/// (`σ² · M / (M − 1)`, M values per channel) for `running_var`. Inference uses the running
/// statistics. Matches `torch.nn.BatchNorm1d/BatchNorm2d(C, eps=1e-5, momentum=0.1)`.
public final class BatchNormalization: Layer {
  /// γ, `[C]`, initially ones.
  public let weight: Parameter
  /// β, `[C]`, initially zeros.
  public let bias: Parameter
  /// Running mean, `[C]`, initially zeros (not trainable).
  public let runningMean: Parameter
  /// Running (unbiased) variance, `[C]`, initially ones (not trainable).
  public let runningVariance: Parameter
  /// Weight of the newest batch in the running statistics (PyTorch convention, 0.1).
  public let momentum: Float
  /// Added to the variance before the square root.
  public let epsilon: Float
  private var input = Tensor(zeros: [0])
  /// Per channel: the mean and 1/√(σ² + ε) used by the last forward.
  private var means: [Float] = []
  private var inverseDeviations: [Float] = []
  private var usedBatchStatistics = false

  /// Batch normalisation of `channels` channels.
  public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
    precondition(channels > 0, "BatchNormalization needs channels > 0, got \(channels)")
    precondition(momentum >= 0 && momentum <= 1, "momentum \(momentum) must lie in [0, 1]")
    precondition(epsilon > 0, "epsilon \(epsilon) must be positive")
    weight = Parameter(name: "weight", value: Tensor(zeros: [channels], value: 1))
    bias = Parameter(name: "bias", value: Tensor(zeros: [channels]))
    runningMean = Parameter(name: "running_mean", value: Tensor(zeros: [channels]), isTrainable: false)
    runningVariance = Parameter(name: "running_var", value: Tensor(zeros: [channels], value: 1), isTrainable: false)
    self.momentum = momentum
    self.epsilon = epsilon
  }

  public var parameters: [Parameter] { [weight, bias, runningMean, runningVariance] }

  /// - Complexity: O(elements): in training two reading passes for the statistics and one
  ///   writing pass; x̂ is not stored but recomputed in `backward`.
  public func forward(_ input: Tensor, training: Bool) -> Tensor {
    let channels = weight.value.count
    precondition(
      input.rank >= 2 && input.shape[1] == channels,
      "BatchNormalization expects [N, \(channels), …], got \(input.shape)")
    let n = input.shape[0]
    let size = input.shape.dropFirst(2).reduce(1, *)
    let m = n * size
    precondition(
      !training || m > 1, "BatchNormalization in training needs more than one value per channel, got \(input.shape)")
    self.input = input
    usedBatchStatistics = training
    means = [Float](repeating: 0, count: channels)
    inverseDeviations = [Float](repeating: 0, count: channels)
    var output = Tensor(unfilled: input.shape)
    input.scalars.withUnsafeBufferPointer { x in
      let x = x.baseAddress!
      for c in 0..<channels {
        if training {
          var sum: Double = 0
          for s in 0..<n { sum += Double(Kernels.sum(x + (s * channels + c) * size, size)) }
          let mean = Float(sum / Double(m))
          var squares: Double = 0
          for s in 0..<n {
            squares += Double(Kernels.squaredDeviations(x + (s * channels + c) * size, size, mean: mean))
          }
          means[c] = mean
          inverseDeviations[c] = 1 / (Float(squares / Double(m)) + epsilon).squareRoot()
          runningMean.value.scalars[c] = (1 - momentum) * runningMean.value.scalars[c] + momentum * mean
          runningVariance.value.scalars[c] =
            (1 - momentum) * runningVariance.value.scalars[c] + momentum * Float(squares / Double(m - 1))
        } else {
          means[c] = runningMean.value.scalars[c]
          inverseDeviations[c] = 1 / (runningVariance.value.scalars[c] + epsilon).squareRoot()
        }
      }
      output.scalars.withUnsafeMutableBufferPointer { y in
        for c in 0..<channels {
          // y = γ (x − μ) / σ + β = scale · x + shift
          let scale = weight.value.scalars[c] * inverseDeviations[c]
          let shift = bias.value.scalars[c] - means[c] * scale
          for s in 0..<n {
            let offset = (s * channels + c) * size
            let xs = x + offset, ys = y.baseAddress! + offset
            for i in 0..<size { ys[i] = xs[i] * scale + shift }
          }
        }
      }
    }
    return output
  }

  /// Training mode: `∂x = γ / (M σ) · (M ∂y − Σ∂y − x̂ Σ(∂y x̂))` with x̂ = (x − μ)/σ; inference mode:
  /// `∂x = γ ∂y / √(running_var + ε)`. Both accumulate `∂γ += Σ ∂y x̂`, `∂β += Σ ∂y`.
  public func backward(_ outputGradient: Tensor) -> Tensor {
    precondition(
      outputGradient.shape == input.shape, "BatchNormalization gradient \(outputGradient.shape) ≠ \(input.shape)")
    let channels = weight.value.count
    let n = input.shape[0]
    let size = input.shape.dropFirst(2).reduce(1, *)
    let m = Float(n * size)
    var inputGradient = Tensor(unfilled: input.shape)
    outputGradient.scalars.withUnsafeBufferPointer { dy in
      input.scalars.withUnsafeBufferPointer { x in
        inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
          let (dy, x, dx) = (dy.baseAddress!, x.baseAddress!, dx.baseAddress!)
          for c in 0..<channels {
            let mean = means[c], inverse = inverseDeviations[c]
            var sumDy: Double = 0, sumDyCentred: Double = 0
            for s in 0..<n {
              let offset = (s * channels + c) * size
              let (a, b) = Kernels.gradientMoments(dy + offset, x + offset, size, mean: mean)
              sumDy += Double(a)
              sumDyCentred += Double(b)
            }
            let sumDyXhat = Float(sumDyCentred) * inverse
            weight.gradient.scalars[c] += sumDyXhat
            bias.gradient.scalars[c] += Float(sumDy)
            let gamma = weight.value.scalars[c]
            // Training: ∂x = A·∂y + B·x + C; inference: ∂x = A'·∂y.
            let k = gamma * inverse / m
            let a = usedBatchStatistics ? k * m : gamma * inverse
            let b = usedBatchStatistics ? -k * sumDyXhat * inverse : 0
            let constant = usedBatchStatistics ? -k * Float(sumDy) + k * sumDyXhat * inverse * mean : 0
            for s in 0..<n {
              let offset = (s * channels + c) * size
              let dys = dy + offset, xs = x + offset, dxs = dx + offset
              for i in 0..<size { dxs[i] = a * dys[i] + (b * xs[i] + constant) }
            }
          }
        }
      }
    }
    return inputGradient
  }
}
