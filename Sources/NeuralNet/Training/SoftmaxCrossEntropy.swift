import Foundation

/// Sparse categorical cross-entropy on logits, fused with a numerically stable log-softmax.
///
/// For sample i with logits z, `log pᵢc = zᵢc − max zᵢ − log Σⱼ exp(zᵢⱼ − max zᵢ)`. With label
/// smoothing ε over C classes and class weights w (all ones by default), the per-sample loss is
/// `ℓᵢ = −(1 − ε) · w_{yᵢ} · log pᵢ,yᵢ − (ε / C) · Σ_c w_c · log pᵢc`, and the batch loss is
/// `Σᵢ ℓᵢ / Σᵢ w_{yᵢ}` (which is the plain mean when w ≡ 1). This is exactly
/// `torch.nn.functional.cross_entropy(z, y, weight=w, label_smoothing=ε, reduction="mean")`.
/// The gradient is `∂L/∂zᵢc = (pᵢc · Σ_k aᵢk − aᵢc) / Σᵢ w_{yᵢ}` with
/// `aᵢc = (1 − ε) w_{yᵢ} [c = yᵢ] + (ε / C) w_c`.
public struct SoftmaxCrossEntropy: Sendable {
  /// ε in [0, 1): the share of target mass spread uniformly over all classes.
  public let labelSmoothing: Float
  /// Per-class weights (`nil` = all ones), e.g. inverse class frequencies.
  public let classWeights: [Float]?

  /// A loss with optional label smoothing and class weights.
  ///
  /// - Throws: `NeuralNetError.invalidArgument` for ε outside [0, 1) or negative/non-finite weights.
  public init(labelSmoothing: Float = 0, classWeights: [Float]? = nil) throws(NeuralNetError) {
    guard labelSmoothing >= 0 && labelSmoothing < 1 else {
      throw .invalidArgument(name: "label smoothing", reason: "\(labelSmoothing) must lie in [0, 1)")
    }
    if let classWeights, !classWeights.allSatisfy({ $0.isFinite && $0 >= 0 }) {
      throw .invalidArgument(name: "class weights", reason: "\(classWeights) must be finite and ≥ 0")
    }
    self.labelSmoothing = labelSmoothing
    self.classWeights = classWeights
  }

  /// The batch loss and ∂L/∂logits.
  ///
  /// - Parameters:
  ///   - logits: `[N, C]` unnormalised scores.
  ///   - labels: N class indices in `0..<C`.
  /// - Returns: the loss and a `[N, C]` gradient.
  /// - Throws: `NeuralNetError.invalidArgument` for a label out of range, a label count other than
  ///   N, a class-weight count other than C, or a batch whose target weights sum to zero.
  /// - Complexity: O(N · C).
  public func evaluate(logits: Tensor, labels: [Int]) throws(NeuralNetError) -> (
    loss: Float, gradient: Tensor
  ) {
    guard logits.rank == 2 else {
      throw .invalidArgument(name: "logits", reason: "shape \(logits.shape) must be [N, classes]")
    }
    let (n, classes) = (logits.shape[0], logits.shape[1])
    guard labels.count == n else {
      throw .invalidArgument(name: "labels", reason: "\(labels.count) labels for a batch of \(n)")
    }
    if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
      throw .invalidArgument(name: "labels", reason: "label \(bad) outside 0..<\(classes)")
    }
    let weights = classWeights ?? [Float](repeating: 1, count: classes)
    guard weights.count == classes else {
      throw .invalidArgument(name: "class weights", reason: "\(weights.count) weights for \(classes) classes")
    }
    let normaliser = labels.reduce(0.0) { $0 + Double(weights[$1]) }
    guard normaliser > 0 else {
      throw .invalidArgument(name: "class weights", reason: "the batch's target weights sum to zero")
    }
    let smoothing = Double(labelSmoothing)
    let weightSum = weights.reduce(0.0) { $0 + Double($1) }
    var total: Double = 0
    var gradient = Tensor(zeros: [n, classes])
    logits.scalars.withUnsafeBufferPointer { z in
      gradient.scalars.withUnsafeMutableBufferPointer { g in
        for i in 0..<n {
          let row = z.baseAddress! + i * classes
          var maximum = -Float.infinity
          for c in 0..<classes { maximum = max(maximum, row[c]) }
          var sum: Double = 0
          for c in 0..<classes { sum += exp(Double(row[c] - maximum)) }
          let logSum = log(sum)
          let target = labels[i]
          let targetWeight = Double(weights[target])
          // Σ_k a_ik = (1 − ε) w_y + ε/C Σ_c w_c
          let massTotal = (1 - smoothing) * targetWeight + smoothing / Double(classes) * weightSum
          for c in 0..<classes {
            let logP = Double(row[c] - maximum) - logSum
            var a = smoothing / Double(classes) * Double(weights[c])
            if c == target { a += (1 - smoothing) * targetWeight }
            total -= a * logP
            g[i * classes + c] = Float((exp(logP) * massTotal - a) / normaliser)
          }
        }
      }
    }
    return (Float(total / normaliser), gradient)
  }
}
