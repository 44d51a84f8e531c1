import Foundation

/// Rectified linear unit, `y = max(x, 0)`, element-wise on any shape. Matches `torch.nn.ReLU`.
public final class ReLU: Layer {
  private var output = Tensor(zeros: [0])

  /// A ReLU layer.
  public init() {}

  /// - Complexity: O(elements), one branch-free pass.
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    // In place: no copy when the caller handed over the last reference to `input`.
    var output = input
    output.scalars.withUnsafeMutableBufferPointer { y in
      parallelChunks(y.count, grain: elementGrain) { range in
        for i in range {
          let v = y[i]
          y[i] = v > 0 ? v : 0
        }
      }
    }
    self.output = output
    return output
  }

  /// ∂L/∂x = ∂L/∂y where y > 0, else 0.
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    precondition(
      outputGradient.shape == output.shape, "ReLU gradient \(outputGradient.shape) ≠ \(output.shape)")
    var gradient = outputGradient  // in place when uniquely referenced
    gradient.scalars.withUnsafeMutableBufferPointer { dx in
      output.scalars.withUnsafeBufferPointer { y in
        parallelChunks(dx.count, grain: elementGrain) { range in
          for i in range {
            let g = dx[i]  // loaded unconditionally so the select vectorises
            dx[i] = y[i] > 0 ? g : 0
          }
        }
      }
    }
    return gradient
  }
}

/// Leaky ReLU, `y = x` for x > 0 and `y = slope · x` otherwise. Matches `torch.nn.LeakyReLU`
/// (default slope 0.01).
public final class LeakyReLU: Layer {
  /// The slope for negative inputs.
  public let slope: Float
  private var input = Tensor(zeros: [0])

  /// A leaky ReLU with `slope` for negative inputs.
  public init(slope: Float = 0.01) {
    self.slope = slope
  }

  /// The layer applied to a batch; see the type's description for shapes and formula.
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    self.input = input
    var output = Tensor(unfilled: input.shape)
    let slope = self.slope
    input.scalars.withUnsafeBufferPointer { x in
      output.scalars.withUnsafeMutableBufferPointer { y in
        parallelChunks(x.count, grain: elementGrain) { range in
          for i in range {
            let v = x[i]
            y[i] = v > 0 ? v : slope * v
          }
        }
      }
    }
    return output
  }

  /// ∂L/∂x = ∂L/∂y for x > 0, `slope · ∂L/∂y` otherwise.
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    precondition(
      outputGradient.shape == input.shape, "LeakyReLU gradient \(outputGradient.shape) ≠ \(input.shape)")
    var gradient = Tensor(unfilled: input.shape)
    let slope = self.slope
    gradient.scalars.withUnsafeMutableBufferPointer { dx in
      outputGradient.scalars.withUnsafeBufferPointer { dy in
        input.scalars.withUnsafeBufferPointer { x in
          parallelChunks(dx.count, grain: elementGrain) { range in
            for i in range {
              let g = dy[i]
              dx[i] = x[i] > 0 ? g : slope * g
            }
          }
        }
      }
    }
    return gradient
  }
}

/// Softmax over the last axis, `yᵢ = exp(xᵢ − max x) / Σⱼ exp(xⱼ − max x)`.
/// Matches `torch.softmax(x, dim=-1)`.
///
/// For training a classifier prefer logits with `SoftmaxCrossEntropy`, which fuses log-softmax
/// with the loss and is numerically stable; this layer is for models that must output probabilities.
public final class Softmax: Layer {
  private var output = Tensor(zeros: [0])

  /// A softmax layer over the last axis.
  public init() {}

  /// The layer applied to a batch; see the type's description for shapes and formula.
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    precondition(input.rank >= 1, "Softmax needs rank ≥ 1")
    var output = input
    let width = output.shape.last!
    if width > 0 {
      output.scalars.withUnsafeMutableBufferPointer { y in
        for row in 0..<(y.count / width) { softmaxInPlace(y.baseAddress! + row * width, count: width) }
      }
    }
    self.output = output
    return output
  }

  /// ∂L/∂xᵢ = yᵢ (∂L/∂yᵢ − Σⱼ yⱼ ∂L/∂yⱼ), row by row.
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    precondition(
      outputGradient.shape == output.shape, "Softmax gradient \(outputGradient.shape) ≠ \(output.shape)")
    var gradient = outputGradient
    let width = output.shape.last!
    guard width > 0 else { return gradient }
    gradient.scalars.withUnsafeMutableBufferPointer { g in
      output.scalars.withUnsafeBufferPointer { y in
        for row in 0..<(g.count / width) {
          let base = row * width
          var dot: Float = 0
          for j in 0..<width { dot += y[base + j] * g[base + j] }
          for j in 0..<width { g[base + j] = y[base + j] * (g[base + j] - dot) }
        }
      }
    }
    return gradient
  }
}

/// Elements per chunk below which element-wise loops stay on one thread.
let elementGrain = 1 << 16

/// Replaces `count` values at `row` by their softmax (max-subtracted for stability).
@inline(__always)
func softmaxInPlace(_ row: UnsafeMutablePointer<Float>, count: Int) {
  var maximum = -Float.infinity
  for j in 0..<count { maximum = max(maximum, row[j]) }
  var sum: Float = 0
  for j in 0..<count {
    let e = expf(row[j] - maximum)
    row[j] = e
    sum += e
  }
  let scale = 1 / sum
  for j in 0..<count { row[j] *= scale }
}

extension Tensor {
  /// Softmax over the last axis (e.g. class probabilities from `[N, classes]` logits), computed
  /// stably as `exp(x − max x) / Σ exp(x − max x)` per row. Matches `torch.softmax(x, dim=-1)`.
  ///
  /// - Complexity: O(elements).
  public func softmax() -> Tensor {
    precondition(rank >= 1, "softmax needs rank ≥ 1")
    var result = self
    let width = shape.last!
    guard width > 0 else { return result }
    result.scalars.withUnsafeMutableBufferPointer { y in
      for row in 0..<(y.count / width) { softmaxInPlace(y.baseAddress! + row * width, count: width) }
    }
    return result
  }
}
