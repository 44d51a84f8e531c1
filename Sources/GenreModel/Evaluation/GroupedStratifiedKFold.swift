import NeuralNet

/// Stratified k-fold splitting by track: every window of a track lands in the same fold, and each
/// class's tracks are spread evenly over the folds (shuffled with a seed, then dealt round-robin,
/// continuing the deal across classes so fold sizes differ by at most one track).
///
/// Like `sklearn.model_selection.StratifiedGroupKFold` for data where a track has one label.
public struct GroupedStratifiedKFold: Sendable {
  /// The number of folds (≥ 2).
  public let folds: Int
  /// The shuffling seed.
  public let seed: UInt64

  /// A splitter into `folds` folds.
  ///
  /// - Throws: `ModelError.invalidArgument` if `folds < 2`.
  public init(folds: Int, seed: UInt64 = 0) throws(ModelError) {
    guard folds >= 2 else { throw .invalidArgument(name: "folds", reason: "\(folds) must be at least 2") }
    self.folds = folds
    self.seed = seed
  }

  /// For each fold, the row indices held out as its test set (ascending).
  ///
  /// - Parameters:
  ///   - labels: class index per row.
  ///   - tracks: track name per row.
  /// - Throws: `ModelError.invalidArgument` when there are fewer tracks than folds, or a track's
  ///   rows carry different labels.
  public func testIndices(labels: [Int], tracks: [String]) throws(ModelError) -> [[Int]] {
    precondition(labels.count == tracks.count, "\(labels.count) labels vs \(tracks.count) tracks")
    var trackLabel: [String: Int] = [:]
    var trackRows: [String: [Int]] = [:]
    var trackOrder: [String] = []
    for (row, track) in tracks.enumerated() {
      if let label = trackLabel[track] {
        guard label == labels[row] else {
          throw .invalidArgument(name: "tracks", reason: "track '\(track)' has rows of two labels")
        }
      } else {
        trackLabel[track] = labels[row]
        trackOrder.append(track)
      }
      trackRows[track, default: []].append(row)
    }
    guard trackOrder.count >= folds else {
      throw .invalidArgument(name: "folds", reason: "\(folds) folds but only \(trackOrder.count) tracks")
    }
    var generator = SeededGenerator(seed: seed)
    var assignment: [[String]] = Array(repeating: [], count: folds)
    var next = 0
    for label in Set(trackLabel.values).sorted() {
      var members = trackOrder.filter { trackLabel[$0] == label }.sorted()
      generator.shuffle(&members)
      for track in members {
        assignment[next % folds].append(track)
        next += 1
      }
    }
    return assignment.map { $0.flatMap { trackRows[$0]! }.sorted() }
  }
}
