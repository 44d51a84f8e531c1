import Foundation

/// Updates trainable parameters from their accumulated gradients.
///
/// Optimisers keep per-parameter state (moments, velocities) keyed by the parameter's identity,
/// so always pass the same `Parameter` objects (e.g. `Sequential.trainableParameters`).
public protocol Optimizer: AnyObject {
  /// The step size used by the next `step`; schedules set it before each step.
  var learningRate: Float { get set }
  /// Applies one update to every trainable parameter in `parameters` from its `gradient`.
  func step(_ parameters: [Parameter])
}

/// Adam (Kingma & Ba 2015) with PyTorch's update rule and Keras' default hyper-parameters.
///
/// With gradient g (plus `weightDecay · θ` when L2 decay is set, as in `torch.optim.Adam`):
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `θ ← θ − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)`.
/// Matches `torch.optim.Adam(lr, betas, eps, weight_decay)`; defaults are Keras' (lr 1e-3,
/// β 0.9/0.999, ε 1e-7). Keras applies ε to the un-corrected √v, which differs slightly early on.
public final class Adam: Optimizer {
  /// The step size lr (default 1e-3).
  public var learningRate: Float
  /// β₁, the decay of the first moment.
  public let beta1: Float
  /// β₂, the decay of the second moment.
  public let beta2: Float
  /// ε, added to the denominator.
  public let epsilon: Float
  /// The weight-decay coefficient λ.
  public let weightDecay: Float
  /// Whether λ decays weights directly (`θ ← θ(1 − lr·λ)`, AdamW) instead of adding `λθ` to g.
  public let decoupledWeightDecay: Bool
  /// Steps taken so far (t in the bias corrections).
  public private(set) var stepCount = 0
  private var moments: [ObjectIdentifier: (m: [Float], v: [Float])] = [:]

  /// Adam; `decoupledWeightDecay: true` makes it AdamW (see `Adam.adamW`).
  public init(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7,
    weightDecay: Float = 0, decoupledWeightDecay: Bool = false
  ) {
    precondition(learningRate >= 0 && epsilon >= 0 && weightDecay >= 0, "Adam needs lr, ε and λ ≥ 0")
    precondition(
      (0..<1).contains(beta1) && (0..<1).contains(beta2), "β₁ \(beta1) and β₂ \(beta2) must lie in [0, 1)")
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decoupledWeightDecay = decoupledWeightDecay
  }

  /// - Complexity: O(parameters).
  public func step(_ parameters: [Parameter]) {
    stepCount += 1
    let t = Double(stepCount)
    let correction1 = Float(1 - pow(Double(beta1), t))
    let correction2Root = Float((1 - pow(Double(beta2), t)).squareRoot())
    let (b1, b2, eps, lr, decay) = (beta1, beta2, epsilon, learningRate, weightDecay)
    let stepSize = lr / correction1
    for parameter in parameters where parameter.isTrainable {
      let key = ObjectIdentifier(parameter)
      var state =
        moments[key] ?? (
          [Float](repeating: 0, count: parameter.value.count),
          [Float](repeating: 0, count: parameter.value.count)
        )
      moments[key] = nil
      precondition(
        state.m.count == parameter.value.count, "parameter \(parameter.name) changed size between steps")
      parameter.value.scalars.withUnsafeMutableBufferPointer { theta in
        parameter.gradient.scalars.withUnsafeBufferPointer { g in
          state.m.withUnsafeMutableBufferPointer { m in
            state.v.withUnsafeMutableBufferPointer { v in
              for i in theta.indices {
                var gradient = g[i]
                if decay > 0 {
                  if decoupledWeightDecay { theta[i] *= 1 - lr * decay } else { gradient += decay * theta[i] }
                }
                m[i] = b1 * m[i] + (1 - b1) * gradient
                v[i] = b2 * v[i] + (1 - b2) * gradient * gradient
                theta[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2Root + eps)
              }
            }
          }
        }
      }
      moments[key] = state
    }
  }
}

extension Adam {
  /// AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay, `θ ← θ(1 − lr·λ)`
  /// before the Adam update. Matches `torch.optim.AdamW` (default λ 0.01); other defaults as `Adam`.
  public static func adamW(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7,
    weightDecay: Float = 0.01
  ) -> Adam {
    Adam(
      learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
      decoupledWeightDecay: true)
  }
}

/// Stochastic gradient descent with momentum, PyTorch's formulation.
///
/// `g ← g + λθ`; `b ← μb + g` (b = g on the first step); `θ ← θ − lr · b`, or with Nesterov
/// `θ ← θ − lr · (g + μb)`. Matches `torch.optim.SGD(lr, momentum, weight_decay, nesterov)`
/// with dampening 0.
public final class SGD: Optimizer {
  /// The step size lr.
  public var learningRate: Float
  /// μ, the momentum coefficient (0 = plain SGD).
  public let momentum: Float
  /// λ, L2 weight decay added to the gradient.
  public let weightDecay: Float
  /// Whether to use Nesterov momentum.
  public let nesterov: Bool
  private var velocities: [ObjectIdentifier: [Float]] = [:]

  /// SGD with optional momentum, Nesterov and L2 weight decay.
  public init(
    learningRate: Float = 0.01, momentum: Float = 0.9, weightDecay: Float = 0, nesterov: Bool = false
  ) {
    precondition(learningRate >= 0 && momentum >= 0 && weightDecay >= 0, "SGD needs lr, μ and λ ≥ 0")
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.nesterov = nesterov
  }

  /// Applies one momentum step to every trainable parameter.
  public func step(_ parameters: [Parameter]) {
    let (lr, mu, decay) = (learningRate, momentum, weightDecay)
    for parameter in parameters where parameter.isTrainable {
      let key = ObjectIdentifier(parameter)
      let isFirst = velocities[key] == nil
      var velocity = velocities[key] ?? [Float](repeating: 0, count: parameter.value.count)
      velocities[key] = nil
      parameter.value.scalars.withUnsafeMutableBufferPointer { theta in
        parameter.gradient.scalars.withUnsafeBufferPointer { g in
          velocity.withUnsafeMutableBufferPointer { b in
            for i in theta.indices {
              let gradient = g[i] + decay * theta[i]
              if mu == 0 {
                theta[i] -= lr * gradient
                continue
              }
              b[i] = isFirst ? gradient : mu * b[i] + gradient
              theta[i] -= lr * (nesterov ? gradient + mu * b[i] : b[i])
            }
          }
        }
      }
      velocities[key] = velocity
    }
  }
}

/// Scales all gradients by one factor so that their global L2 norm is at most `maximumNorm`.
///
/// `total = √(Σ g²)` over every trainable parameter; if `total > maximumNorm`, each gradient is
/// multiplied by `maximumNorm / (total + 1e-6)`. Matches `torch.nn.utils.clip_grad_norm_`.
/// - Returns: the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maximumNorm: Float) -> Float {
  precondition(maximumNorm > 0, "maximumNorm \(maximumNorm) must be positive")
  var squares: Double = 0
  for parameter in parameters where parameter.isTrainable {
    parameter.gradient.scalars.withUnsafeBufferPointer { g in
      var partial: Float = 0
      for value in g { partial += value * value }
      squares += Double(partial)
    }
  }
  let total = Float(squares.squareRoot())
  let coefficient = maximumNorm / (total + 1e-6)
  if coefficient < 1 {
    for parameter in parameters where parameter.isTrainable {
      parameter.gradient.scalars.withUnsafeMutableBufferPointer { g in
        for i in g.indices { g[i] *= coefficient }
      }
    }
  }
  return total
}
