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
  private var normalized: [Float] = []
  private var inverseDeviation: [Float] = []
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

  /// - Complexity: O(elements), three passes in training.
  public func forward(_ input: Tensor, training: Bool) -> Tensor {
    let channels = weight.value.count
    precondition(
      input.rank >= 2 && input.shape[1] == channels,
      "BatchNormalization expects [N, \(channels), …], got \(input.shape)")
    let n = input.shape[0]
    let size = input.shape.dropFirst(2).reduce(1, *)
    let m = n * size
    precondition(!training || m > 1, "BatchNormalization in training needs more than one value per channel, got \(input.shape)")
    self.input = input
    usedBatchStatistics = training
    if normalized.count != input.count { normalized = [Float](repeating: 0, count: input.count) }
    if inverseDeviation.count != channels { inverseDeviation = [Float](repeating: 0, count: channels) }
    var output = Tensor(zeros: input.shape)
    let eps = epsilon, mom = momentum
    input.scalars.withUnsafeBufferPointer { x in
      output.scalars.withUnsafeMutableBufferPointer { y in
        normalized.withUnsafeMutableBufferPointer { xhat in
          for c in 0..<channels {
            let mean: Float, inverse: Float
            if training {
              var sum: Double = 0
              for s in 0..<n {
                let p = x.baseAddress! + (s * channels + c) * size
                var partial: Float = 0
                for i in 0..<size { partial += p[i] }
                sum += Double(partial)
              }
              let mu = Float(sum / Double(m))
              var squares: Double = 0
              for s in 0..<n {
                let p = x.baseAddress! + (s * channels + c) * size
                var partial: Float = 0
                for i in 0..<size {
                  let d = p[i] - mu
                  partial += d * d
                }
                squares += Double(partial)
              }
              let variance = Float(squares / Double(m))
              mean = mu
              inverse = 1 / (variance + eps).squareRoot()
              runningMean.value.scalars[c] = (1 - mom) * runningMean.value.scalars[c] + mom * mu
              runningVariance.value.scalars[c] =
                (1 - mom) * runningVariance.value.scalars[c] + mom * Float(squares / Double(m - 1))
            } else {
              mean = runningMean.value.scalars[c]
              inverse = 1 / (runningVariance.value.scalars[c] + eps).squareRoot()
            }
            inverseDeviation[c] = inverse
            let gamma = weight.value.scalars[c], beta = bias.value.scalars[c]
            for s in 0..<n {
              let offset = (s * channels + c) * size
              for i in 0..<size {
                let v = (x[offset + i] - mean) * inverse
                xhat[offset + i] = v
                y[offset + i] = gamma * v + beta
              }
            }
          }
        }
      }
    }
    return output
  }

  /// Training mode: `∂x = γ / (M √(σ²+ε)) · (M ∂y − Σ∂y − x̂ Σ(∂y x̂))`; inference mode:
  /// `∂x = γ ∂y / √(running_var + ε)`. Both accumulate `∂γ += Σ ∂y x̂`, `∂β += Σ ∂y`.
  public func backward(_ outputGradient: Tensor) -> Tensor {
    precondition(outputGradient.shape == input.shape, "BatchNormalization gradient \(outputGradient.shape) ≠ \(input.shape)")
    let channels = weight.value.count
    let n = input.shape[0]
    let size = input.shape.dropFirst(2).reduce(1, *)
    let m = Float(n * size)
    var inputGradient = Tensor(zeros: input.shape)
    outputGradient.scalars.withUnsafeBufferPointer { dy in
      normalized.withUnsafeBufferPointer { xhat in
        inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
          for c in 0..<channels {
            var sumDy: Float = 0, sumDyXhat: Float = 0
            for s in 0..<n {
              let offset = (s * channels + c) * size
              for i in 0..<size {
                sumDy += dy[offset + i]
                sumDyXhat += dy[offset + i] * xhat[offset + i]
              }
            }
            weight.gradient.scalars[c] += sumDyXhat
            bias.gradient.scalars[c] += sumDy
            let gamma = weight.value.scalars[c], inverse = inverseDeviation[c]
            if usedBatchStatistics {
              let k = gamma * inverse / m
              let meanDy = sumDy, meanDyXhat = sumDyXhat
              for s in 0..<n {
                let offset = (s * channels + c) * size
                for i in 0..<size {
                  dx[offset + i] = k * (m * dy[offset + i] - meanDy - xhat[offset + i] * meanDyXhat)
                }
              }
            } else {
              let k = gamma * inverse
              for s in 0..<n {
                let offset = (s * channels + c) * size
                for i in 0..<size { dx[offset + i] = k * dy[offset + i] }
              }
            }
          }
        }
      }
    }
    return inputGradient
  }
}
