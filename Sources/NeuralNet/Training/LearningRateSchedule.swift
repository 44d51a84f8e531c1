import Foundation

/// A learning rate as a function of the step (or epoch) number, starting at 0.
///
/// Codable so a training record can store it; JSON uses Swift's synthesised enum form, e.g.
/// `{"cosine": {"initial": 0.001, "steps": 1000, "minimum": 0}}`.
public enum LearningRateSchedule: Codable, Hashable, Sendable {
  /// Always `rate`.
  case constant(rate: Float)
  /// `initial · factor^⌊t / every⌋` (`torch.optim.lr_scheduler.StepLR`).
  case step(initial: Float, factor: Float, every: Int)
  /// `initial · factor^t` (`ExponentialLR`).
  case exponential(initial: Float, factor: Float)
  /// `minimum + (initial − minimum) · (1 + cos(π · min(t, steps) / steps)) / 2`
  /// (`CosineAnnealingLR` without restarts).
  case cosine(initial: Float, steps: Int, minimum: Float)
  /// Linear warm-up from `initial / warmupSteps` to `initial` over `warmupSteps`, then
  /// `then` shifted to start at step 0.
  indirect case warmup(steps: Int, then: LearningRateSchedule)

  /// The learning rate at step `t` (t ≥ 0).
  public func rate(at t: Int) -> Float {
    precondition(t >= 0, "step \(t) must be ≥ 0")
    switch self {
    case .constant(let rate):
      return rate
    case .step(let initial, let factor, let every):
      precondition(every > 0, "step schedule needs every > 0")
      return initial * Float(pow(Double(factor), Double(t / every)))
    case .exponential(let initial, let factor):
      return initial * Float(pow(Double(factor), Double(t)))
    case .cosine(let initial, let steps, let minimum):
      precondition(steps > 0, "cosine schedule needs steps > 0")
      let progress = Double(min(t, steps)) / Double(steps)
      return minimum + (initial - minimum) * Float((1 + cos(Double.pi * progress)) / 2)
    case .warmup(let steps, let then):
      if t < steps { return then.rate(at: 0) * Float(t + 1) / Float(steps) }
      return then.rate(at: t - steps)
    }
  }
}
