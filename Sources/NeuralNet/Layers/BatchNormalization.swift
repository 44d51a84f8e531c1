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
    runningVariance = Parameter(
      name: "running_var", value: Tensor(zeros: [channels], value: 1), isTrainable: false)
    self.momentum = momentum
    self.epsilon = epsilon
  }

  /// `weight`, `bias` (trainable), `running_mean`, `running_var` (buffers), PyTorch's order.
  public var parameters: [Parameter] { [weight, bias, runningMean, runningVariance] }

  /// - Complexity: O(elements): in training two reading passes for the statistics and one
  ///   writing pass; x̂ is not stored but recomputed in `backward`.
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    let channels = weight.value.count
    precondition(
      input.rank >= 2 && input.shape[1] == channels,
      "BatchNormalization expects [N, \(channels), …], got \(input.shape)")
    let n = input.shape[0]
    let size = input.shape.dropFirst(2).reduce(1, *)
    let m = n * size
    precondition(
      !training || m > 1,
      "BatchNormalization in training needs more than one value per channel, got \(input.shape)")
    self.input = input
    usedBatchStatistics = training
    var means = [Float](repeating: 0, count: channels)
    var inverses = [Float](repeating: 0, count: channels)
    var unbiased = [Float](repeating: 0, count: channels)
    let grain = max(1, elementGrain / max(m, 1))
    let eps = epsilon
    var output = Tensor(unfilled: input.shape)
    input.scalars.withUnsafeBufferPointer { x in
      let x = x.baseAddress!
      if training {
        means.withUnsafeMutableBufferPointer { meanOut in
          inverses.withUnsafeMutableBufferPointer { inverseOut in
            unbiased.withUnsafeMutableBufferPointer { unbiasedOut in
              parallelChunks(channels, grain: grain) { range in
                for c in range {
                  var sum: Double = 0
                  for s in 0..<n { sum += Double(Kernels.sum(x + (s * channels + c) * size, size)) }
                  let mean = Float(sum / Double(m))
                  var squares: Double = 0
                  for s in 0..<n {
                    squares += Double(
                      Kernels.squaredDeviations(x + (s * channels + c) * size, size, mean: mean))
                  }
                  meanOut[c] = mean
                  inverseOut[c] = 1 / (Float(squares / Double(m)) + eps).squareRoot()
                  unbiasedOut[c] = Float(squares / Double(m - 1))
                }
              }
            }
          }
        }
        for c in 0..<channels {
          runningMean.value.scalars[c] = (1 - momentum) * runningMean.value.scalars[c] + momentum * means[c]
          runningVariance.value.scalars[c] =
            (1 - momentum) * runningVariance.value.scalars[c] + momentum * unbiased[c]
        }
      } else {
        for c in 0..<channels {
          means[c] = runningMean.value.scalars[c]
          inverses[c] = 1 / (runningVariance.value.scalars[c] + eps).squareRoot()
        }
      }
      // y = γ (x − μ) / σ + β = scale · x + shift
      var scales = [Float](repeating: 0, count: channels)
      var shifts = [Float](repeating: 0, count: channels)
      for c in 0..<channels {
        scales[c] = weight.value.scalars[c] * inverses[c]
        shifts[c] = bias.value.scalars[c] - means[c] * scales[c]
      }
      output.scalars.withUnsafeMutableBufferPointer { y in
        let y = y.baseAddress!
        scales.withUnsafeBufferPointer { scales in
          shifts.withUnsafeBufferPointer { shifts in
            parallelChunks(channels, grain: grain) { range in
              for c in range {
                let scale = scales[c]
                let shift = shifts[c]
                for s in 0..<n {
                  let offset = (s * channels + c) * size
                  let xs = x + offset
                  let ys = y + offset
                  for i in 0..<size { ys[i] = xs[i] * scale + shift }
                }
              }
            }
          }
        }
      }
    }
    self.means = means
    inverseDeviations = inverses
    return output
  }

  /// Training mode: `∂x = γ / (M σ) · (M ∂y − Σ∂y − x̂ Σ(∂y x̂))` with x̂ = (x − μ)/σ; inference mode:
  /// `∂x = γ ∂y / √(running_var + ε)`. Both accumulate `∂γ += Σ ∂y x̂`, `∂β += Σ ∂y`.
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    precondition(
      outputGradient.shape == input.shape,
      "BatchNormalization gradient \(outputGradient.shape) ≠ \(input.shape)")
    let channels = weight.value.count
    let n = input.shape[0]
    let size = input.shape.dropFirst(2).reduce(1, *)
    let m = Float(n * size)
    // ∂x overwrites ∂y in place (per channel, after that channel's sums are taken).
    var inputGradient = outputGradient
    var sumsDy = [Float](repeating: 0, count: channels)
    var sumsDyXhat = [Float](repeating: 0, count: channels)
    let gammas = weight.value.scalars
    let batchStatistics = usedBatchStatistics
    input.scalars.withUnsafeBufferPointer { x in
      inputGradient.scalars.withUnsafeMutableBufferPointer { d in
        means.withUnsafeBufferPointer { means in
          inverseDeviations.withUnsafeBufferPointer { inverses in
            sumsDy.withUnsafeMutableBufferPointer { sumsDy in
              sumsDyXhat.withUnsafeMutableBufferPointer { sumsDyXhat in
                let (x, d) = (x.baseAddress!, d.baseAddress!)
                parallelChunks(channels, grain: max(1, elementGrain / max(n * size, 1))) { range in
                  for c in range {
                    let mean = means[c]
                    let inverse = inverses[c]
                    var sumDy: Double = 0
                    var sumDyCentred: Double = 0
                    for s in 0..<n {
                      let offset = (s * channels + c) * size
                      let (a, b) = Kernels.gradientMoments(d + offset, x + offset, size, mean: mean)
                      sumDy += Double(a)
                      sumDyCentred += Double(b)
                    }
                    let sumDyXhat = Float(sumDyCentred) * inverse
                    sumsDy[c] = Float(sumDy)
                    sumsDyXhat[c] = sumDyXhat
                    // Training: ∂x = A·∂y + B·x + C; inference: ∂x = A'·∂y.
                    let k = gammas[c] * inverse / m
                    let a = batchStatistics ? k * m : gammas[c] * inverse
                    let b = batchStatistics ? -k * sumDyXhat * inverse : 0
                    let constant = batchStatistics ? -k * Float(sumDy) + k * sumDyXhat * inverse * mean : 0
                    for s in 0..<n {
                      let offset = (s * channels + c) * size
                      let xs = x + offset
                      let ds = d + offset
                      for i in 0..<size { ds[i] = a * ds[i] + (b * xs[i] + constant) }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    for c in 0..<channels {
      weight.gradient.scalars[c] += sumsDyXhat[c]
      bias.gradient.scalars[c] += sumsDy[c]
    }
    return inputGradient
  }
}
