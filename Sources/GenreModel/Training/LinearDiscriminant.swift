import Foundation
import NeuralNet

/// Linear discriminant analysis with Ledoit–Wolf shrinkage, fitted in closed form:
/// `sklearn.discriminant_analysis.LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto")`.
///
/// Each class's covariance is estimated on its own standardised rows with the Ledoit–Wolf
/// shrinkage towards a scaled identity (the intensity chosen by the Ledoit–Wolf lemma, no tuning
/// parameter), rescaled to the class's standard deviations, and the class covariances are pooled
/// with the class priors (training frequencies). With pooled covariance Σ, class means μₖ and
/// priors πₖ, the discriminant of class k is `xᵀwₖ + bₖ` with `Σ wₖ = μₖ` (least squares, LAPACK
/// `dgelsd`) and `bₖ = −½ μₖᵀwₖ + ln πₖ`; the class probabilities are their softmax. So the fitted
/// model is one dense layer, and a bundle stores it as the ``ArchitecturePreset/lda`` network.
///
/// Everything is computed in `Double`; only the final weights are rounded to `Float`.
public struct LinearDiscriminant: Sendable {
  /// `classes × features` discriminant weights, row-major (`wₖ` in row k).
  public let weights: [Double]
  /// One intercept `bₖ` per class.
  public let intercepts: [Double]
  /// The Ledoit–Wolf shrinkage intensity chosen for each class, in [0, 1].
  public let shrinkages: [Double]
  /// Input columns.
  public let featureCount: Int
  /// Classes.
  public let classCount: Int

  /// Fits on `samples` (rank-2 inputs, or any shape flattened per sample).
  ///
  /// - Parameters:
  ///   - samples: the training inputs (usually standardised) and their class indices.
  ///   - classCount: the number of classes (labels are `0..<classCount`).
  ///   - uniformPriors: use priors `1 / classCount` instead of the training frequencies (sklearn's
  ///     `priors=` argument), for the pooled covariance and the intercepts.
  /// - Throws: `ModelError.invalidArgument` for fewer than 2 classes, a label out of range, a
  ///   class without training rows or a non-finite input; `.emptyDataset`; `.network` when the
  ///   least-squares solve fails.
  /// - Complexity: O(N · F² + F³ + F² · K).
  public init(fitting samples: LabeledSamples, classCount: Int, uniformPriors: Bool = false) throws(ModelError) {
    guard classCount > 1 else { throw .invalidArgument(name: "classes", reason: "\(classCount); need at least 2") }
    let n = samples.count
    guard n > 0 else { throw .emptyDataset(reason: "no training rows") }
    let f = samples.inputs.count / n
    let x = samples.inputs.scalars
    guard x.allSatisfy(\.isFinite) else {
      throw .invalidArgument(name: "training inputs", reason: "a value is NaN or infinite")
    }
    var members = [[Int]](repeating: [], count: classCount)
    for (row, label) in samples.labels.enumerated() {
      guard (0..<classCount).contains(label) else {
        throw .invalidArgument(name: "labels", reason: "label \(label) of row \(row) is outside 0..<\(classCount)")
      }
      members[label].append(row)
    }
    if let empty = members.firstIndex(where: \.isEmpty) {
      throw .invalidArgument(name: "training rows", reason: "class \(empty) has no training rows")
    }
    var pooled = [Double](repeating: 0, count: f * f)
    var means = [Double](repeating: 0, count: classCount * f)
    var shrinkages: [Double] = []
    let priors = members.map { uniformPriors ? 1 / Double(classCount) : Double($0.count) / Double(n) }
    for (k, rows) in members.enumerated() {
      let estimate = Self.shrunkCovariance(of: rows.map { r in x[(r * f)..<(r * f + f)].map(Double.init) }, features: f)
      for i in 0..<(f * f) { pooled[i] += priors[k] * estimate.covariance[i] }
      means.replaceSubrange((k * f)..<(k * f + f), with: estimate.mean)
      shrinkages.append(estimate.shrinkage)
    }
    // Σ W = Mᵀ: the right-hand sides are the class means as columns (F × K).
    var rhs = [Double](repeating: 0, count: f * classCount)
    for k in 0..<classCount { for j in 0..<f { rhs[j * classCount + k] = means[k * f + j] } }
    let solution: [Double]
    do {
      solution = try LinearSolve.leastSquares(pooled, rhs, rows: f, columns: f, rightHandSides: classCount)
    } catch {
      throw .network(error)
    }
    var weights = [Double](repeating: 0, count: classCount * f)
    for k in 0..<classCount { for j in 0..<f { weights[k * f + j] = solution[j * classCount + k] } }
    intercepts = (0..<classCount).map { k in
      let projection = (0..<f).reduce(0.0) { $0 + means[k * f + $1] * weights[k * f + $1] }
      return -0.5 * projection + Foundation.log(priors[k])
    }
    self.weights = weights
    self.shrinkages = shrinkages
    featureCount = f
    self.classCount = classCount
  }

  /// The class's mean, its Ledoit–Wolf covariance (`F × F`, row-major) and the shrinkage used.
  ///
  /// As sklearn's `_cov(X, "auto")`: standardise the rows (population std, 1 where it is 0), shrink
  /// the empirical covariance `S` of the standardised rows towards `μ I` (μ = tr S / F) with the
  /// Ledoit–Wolf intensity, then scale back by the standard deviations.
  static func shrunkCovariance(of rows: [[Double]], features f: Int) -> (mean: [Double], covariance: [Double], shrinkage: Double) {
    let n = Double(rows.count)
    var mean = [Double](repeating: 0, count: f)
    for row in rows { for j in 0..<f { mean[j] += row[j] } }
    mean = mean.map { $0 / n }
    var deviation = [Double](repeating: 0, count: f)
    for row in rows { for j in 0..<f { deviation[j] += (row[j] - mean[j]) * (row[j] - mean[j]) } }
    let scale = deviation.map { (($0 / n).squareRoot()).nonZeroOrOne }
    let z = rows.map { row in (0..<f).map { (row[$0] - mean[$0]) / scale[$0] } }
    var empirical = [Double](repeating: 0, count: f * f)
    var fourthMoments = 0.0  // Σ_r (‖z_r‖²)² = Σ_ij Σ_r z_ri² z_rj²
    for row in z {
      var norm = 0.0
      for i in 0..<f {
        norm += row[i] * row[i]
        for j in i..<f { empirical[i * f + j] += row[i] * row[j] }
      }
      fourthMoments += norm * norm
    }
    for i in 0..<f {
      for j in i..<f {
        empirical[i * f + j] /= n
        empirical[j * f + i] = empirical[i * f + j]
      }
    }
    let trace = (0..<f).reduce(0.0) { $0 + empirical[$1 * f + $1] }
    let mu = trace / Double(f)
    let squaredNorm = empirical.reduce(0.0) { $0 + $1 * $1 }  // Σ_ij S_ij²
    var beta = (fourthMoments / n - squaredNorm) / (Double(f) * n)
    let delta = (squaredNorm - 2 * mu * trace + Double(f) * mu * mu) / Double(f)
    beta = min(beta, delta)
    let shrinkage = beta == 0 ? 0 : beta / delta
    var covariance = [Double](repeating: 0, count: f * f)
    for i in 0..<f {
      for j in 0..<f {
        let shrunk = (1 - shrinkage) * empirical[i * f + j] + (i == j ? shrinkage * mu : 0)
        covariance[i * f + j] = scale[i] * shrunk * scale[j]
      }
    }
    return (mean, covariance, shrinkage)
  }

  /// The discriminant scores (logits) of every sample of `inputs` (`[N] + shape`, F values each),
  /// row-major `N × classes`; their softmax is sklearn's `predict_proba`.
  ///
  /// - Precondition: F matches the fitted feature count.
  public func scores(_ inputs: Tensor) -> [Double] {
    let n = inputs.shape[0]
    precondition(n == 0 || inputs.count / n == featureCount, "inputs \(inputs.shape) vs \(featureCount) features")
    var result = [Double](repeating: 0, count: n * classCount)
    for i in 0..<n {
      for k in 0..<classCount {
        var score = intercepts[k]
        for j in 0..<featureCount { score += Double(inputs.scalars[i * featureCount + j]) * weights[k * featureCount + j] }
        result[i * classCount + k] = score
      }
    }
    return result
  }

  /// The fitted model as the one-dense-layer network of ``ArchitecturePreset/lda`` (weights
  /// rounded to `Float`), whose softmax output is the class probabilities.
  public func network() throws(ModelError) -> Sequential {
    do {
      let network = try Sequential(
        inputShape: ArchitecturePreset.lda.inputShape(featureCount: featureCount),
        specs: ArchitecturePreset.lda.layers(classCount: classCount))
      try network.load([
        "0.weight": Tensor(shape: [classCount, featureCount], scalars: weights.map { Float($0) }),
        "0.bias": Tensor(shape: [classCount], scalars: intercepts.map { Float($0) }),
      ])
      return network
    } catch {
      throw .network(error)
    }
  }
}

extension Double {
  /// The value, or 1 where it is 0 (a constant column's scale, as sklearn's `StandardScaler`).
  fileprivate var nonZeroOrOne: Double { self == 0 ? 1 : self }
}
