import NeuralNet

/// A closed-form linear baseline: one-vs-rest ridge regression onto ±1 targets, predicting the
/// class with the largest score (`sklearn.linear_model.RidgeClassifier` with an intercept).
///
/// With centred inputs X̃ and targets Ỹ (Y = +1 for the true class, −1 otherwise), the weights
/// solve `(X̃ᵀX̃ + αI) W = X̃ᵀỸ` (Cholesky, LAPACK `dposv`) and the intercept is `ȳ − x̄ᵀW`.
public struct RidgeClassifier: Sendable {
  /// `features × classes` weights, row-major.
  public let weights: [Double]
  /// One intercept per class.
  public let intercepts: [Double]
  /// Input columns.
  public let featureCount: Int
  /// Classes.
  public let classCount: Int

  /// Fits on `samples` (rank-2 inputs or any shape, flattened per sample).
  ///
  /// - Parameters:
  ///   - samples: the training inputs and their class indices.
  ///   - classCount: the number of classes (labels are `0..<classCount`).
  ///   - alpha: the ridge penalty α > 0.
  /// - Throws: `ModelError.invalidArgument` for α ≤ 0 or fewer than 2 classes; `.emptyDataset`.
  /// - Complexity: O(N · F² + F³).
  public init(fitting samples: LabeledSamples, classCount: Int, alpha: Double = 1) throws(ModelError) {
    guard alpha > 0 else { throw .invalidArgument(name: "alpha", reason: "\(alpha) must be positive") }
    guard classCount > 1 else { throw .invalidArgument(name: "classes", reason: "\(classCount); need at least 2") }
    let n = samples.count
    guard n > 0 else { throw .emptyDataset(reason: "no training rows") }
    let f = samples.inputs.count / n
    let x = samples.inputs.scalars
    var meanX = [Double](repeating: 0, count: f)
    for i in 0..<n { for j in 0..<f { meanX[j] += Double(x[i * f + j]) } }
    meanX = meanX.map { $0 / Double(n) }
    var meanY = [Double](repeating: 0, count: classCount)
    for label in samples.labels { for c in 0..<classCount { meanY[c] += c == label ? 1 : -1 } }
    meanY = meanY.map { $0 / Double(n) }
    var gram = [Double](repeating: 0, count: f * f)
    var rhs = [Double](repeating: 0, count: f * classCount)
    var row = [Double](repeating: 0, count: f)
    for i in 0..<n {
      for j in 0..<f { row[j] = Double(x[i * f + j]) - meanX[j] }
      for j in 0..<f {
        let rj = row[j]
        for k in j..<f { gram[j * f + k] += rj * row[k] }
        for c in 0..<classCount {
          rhs[j * classCount + c] += rj * ((c == samples.labels[i] ? 1 : -1) - meanY[c])
        }
      }
    }
    for j in 0..<f {
      gram[j * f + j] += alpha
      for k in 0..<j { gram[j * f + k] = gram[k * f + j] }
    }
    let w: [Double]
    do {
      w = try LinearSolve.solveSymmetricPositiveDefinite(gram, rhs, n: f, rightHandSides: classCount)
    } catch {
      throw .network(error)
    }
    weights = w
    intercepts = (0..<classCount).map { c in meanY[c] - (0..<f).reduce(0) { $0 + meanX[$1] * w[$1 * classCount + c] } }
    featureCount = f
    self.classCount = classCount
  }

  /// The predicted class of every sample of `inputs` (`[N] + shape` with F values per sample).
  ///
  /// - Precondition: F matches the fitted feature count.
  public func predict(_ inputs: Tensor) -> [Int] {
    let n = inputs.shape[0]
    precondition(n == 0 || inputs.count / n == featureCount, "inputs \(inputs.shape) vs \(featureCount) features")
    return (0..<n).map { i in
      var best = 0
      var bestScore = -Double.infinity
      for c in 0..<classCount {
        var score = intercepts[c]
        for j in 0..<featureCount { score += Double(inputs.scalars[i * featureCount + j]) * weights[j * classCount + c] }
        if score > bestScore { (best, bestScore) = (c, score) }
      }
      return best
    }
  }
}

extension RidgeClassifier {
  /// Window accuracy of the ridge baseline trained on the rows of `trainingTracks` and scored on
  /// the rows of `testTracks` (scaler fit on the training rows).
  ///
  /// - Throws: `ModelError` for missing tracks, empty splits or a failed solve.
  public static func accuracy(
    on table: FeatureTable, trainingTracks: [String], testTracks: [String], alpha: Double = 1
  ) throws(ModelError) -> Double {
    let encoder = try LabelEncoder(fitting: table.labels)
    let train = try table.selecting(tracks: trainingTracks)
    let test = try table.selecting(tracks: testTracks)
    return try accuracy(train: train, test: test, encoder: encoder, alpha: alpha)
  }

  /// Pooled window accuracy over track-grouped stratified folds (see ``GroupedStratifiedKFold``).
  public static func crossValidatedAccuracy(
    on table: FeatureTable, folds: Int, seed: UInt64 = 0, alpha: Double = 1
  ) throws(ModelError) -> Double {
    let encoder = try LabelEncoder(fitting: table.labels)
    let sets = try GroupedStratifiedKFold(folds: folds, seed: seed).testIndices(
      labels: try encoder.encode(table.labels), tracks: table.trackNames)
    var correct = 0.0
    for test in sets {
      let held = Set(test)
      let train = table.selecting(rows: (0..<table.rowCount).filter { !held.contains($0) })
      correct += try accuracy(train: train, test: table.selecting(rows: test), encoder: encoder, alpha: alpha)
        * Double(test.count)
    }
    return correct / Double(table.rowCount)
  }

  private static func accuracy(
    train: FeatureTable, test: FeatureTable, encoder: LabelEncoder, alpha: Double
  ) throws(ModelError) -> Double {
    let shape = [train.columnNames.count]
    let scaler = try StandardScaler(fitting: train.values, columns: train.columnNames.count)
    let fitRows = try LabeledSamples(table: train, encoder: encoder, scaler: scaler, inputShape: shape)
    let testRows = try LabeledSamples(table: test, encoder: encoder, scaler: scaler, inputShape: shape)
    let model = try RidgeClassifier(fitting: fitRows, classCount: encoder.count, alpha: alpha)
    let hits = zip(model.predict(testRows.inputs), testRows.labels).filter { $0 == $1 }.count
    return Double(hits) / Double(testRows.count)
  }
}
