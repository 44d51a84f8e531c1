/// Accuracy, per-class precision/recall/F1 and the confusion matrix of a set of predictions.
///
/// Definitions as `sklearn.metrics.classification_report`: precision = TP / (TP + FP), recall =
/// TP / (TP + FN), F1 their harmonic mean, each 0 when its denominator is 0; macro F1 is the
/// unweighted mean over the classes that occur among the true or predicted labels (sklearn's
/// default `labels`), so scoring a subset of genres does not average in classes never seen.
public struct ClassificationMetrics: Codable, Sendable, Equatable {
  /// One class's scores.
  public struct ClassScores: Codable, Sendable, Equatable {
    /// The class label.
    public var label: String
    /// TP / (TP + FP).
    public var precision: Double
    /// TP / (TP + FN).
    public var recall: Double
    /// 2PR / (P + R).
    public var f1: Double
    /// Samples whose true class is this one.
    public var support: Int
  }

  /// Labels in class-index order.
  public var labels: [String]
  /// `confusion[truth][predicted]` counts.
  public var confusion: [[Int]]
  /// Correct / total, in [0, 1].
  public var accuracy: Double
  /// Per-class scores, in class-index order.
  public var perClass: [ClassScores]
  /// Mean of per-class F1 over the classes that occur in the truth or the predictions.
  public var macroF1: Double
  /// Samples scored.
  public var count: Int

  /// Metrics of `predicted` against `truth` (class indices into `labels`).
  ///
  /// - Precondition: equal counts; every index in `0..<labels.count`.
  public init(labels: [String], truth: [Int], predicted: [Int]) {
    precondition(truth.count == predicted.count, "\(truth.count) truths vs \(predicted.count) predictions")
    let c = labels.count
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: c), count: c)
    for (t, p) in zip(truth, predicted) {
      precondition(t >= 0 && t < c && p >= 0 && p < c, "class index \(t) or \(p) outside 0..<\(c)")
      confusion[t][p] += 1
    }
    let correct = (0..<c).reduce(0) { $0 + confusion[$1][$1] }
    let supports = confusion.map { $0.reduce(0, +) }
    let predictions = (0..<c).map { k in (0..<c).reduce(0) { $0 + confusion[$1][k] } }
    perClass = (0..<c).map { k in
      let tp = Double(confusion[k][k])
      let predictedK = Double(predictions[k])
      let support = supports[k]
      let precision = predictedK > 0 ? tp / predictedK : 0
      let recall = support > 0 ? tp / Double(support) : 0
      let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
      return ClassScores(label: labels[k], precision: precision, recall: recall, f1: f1, support: support)
    }
    self.labels = labels
    self.confusion = confusion
    count = truth.count
    accuracy = truth.isEmpty ? 0 : Double(correct) / Double(truth.count)
    let occurring = (0..<c).filter { supports[$0] > 0 || predictions[$0] > 0 }
    let scores = perClass
    macroF1 = occurring.isEmpty ? 0 : occurring.reduce(0) { $0 + scores[$1].f1 } / Double(occurring.count)
  }
}

/// Song-level aggregation: a track's answer is the arg-max of the mean of its windows'
/// probabilities.
public enum SongAggregation {
  /// One track's aggregated result.
  public struct Song: Sendable, Equatable {
    /// The track name.
    public var track: String
    /// The true class (of its first window).
    public var truth: Int
    /// Mean probabilities over its windows.
    public var probabilities: [Float]
    /// The arg-max of `probabilities`.
    public var predicted: Int
    /// Windows averaged.
    public var windows: Int
  }

  /// Tracks in first-appearance order with mean probabilities.
  ///
  /// - Precondition: equal counts of probabilities, tracks and truths.
  public static func songs(probabilities: [[Float]], tracks: [String], truth: [Int]) -> [Song] {
    precondition(probabilities.count == tracks.count && tracks.count == truth.count, "mismatched counts")
    var order: [String] = []
    var sums: [String: (sum: [Double], count: Int, truth: Int)] = [:]
    for (i, track) in tracks.enumerated() {
      if var entry = sums[track] {
        for (k, p) in probabilities[i].enumerated() { entry.sum[k] += Double(p) }
        entry.count += 1
        sums[track] = entry
      } else {
        order.append(track)
        sums[track] = (probabilities[i].map(Double.init), 1, truth[i])
      }
    }
    return order.map { track in
      let entry = sums[track]!
      let mean = entry.sum.map { Float($0 / Double(entry.count)) }
      return Song(
        track: track, truth: entry.truth, probabilities: mean, predicted: argmax(mean), windows: entry.count)
    }
  }

  /// The index of the largest value (first on ties).
  public static func argmax(_ values: [Float]) -> Int {
    var best = 0
    for j in values.indices where values[j] > values[best] { best = j }
    return best
  }
}
