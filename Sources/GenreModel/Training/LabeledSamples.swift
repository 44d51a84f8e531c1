import NeuralNet

/// Scaled inputs with class labels and track names, ready for training or evaluation.
public struct LabeledSamples: Sendable {
  /// `[N] + inputShape` network inputs (already scaled).
  public var inputs: Tensor
  /// N class indices.
  public var labels: [Int]
  /// N track names (rows of one track share it), for song-level aggregation and grouping.
  public var tracks: [String]

  /// Samples from their parts.
  ///
  /// - Precondition: one label and one track per sample.
  public init(inputs: Tensor, labels: [Int], tracks: [String]) {
    precondition(
      inputs.rank >= 1 && inputs.shape[0] == labels.count && labels.count == tracks.count,
      "inputs \(inputs.shape), \(labels.count) labels, \(tracks.count) tracks")
    self.inputs = inputs
    self.labels = labels
    self.tracks = tracks
  }

  /// Samples from a feature table: scale, encode labels, shape each row as `inputShape`.
  ///
  /// - Throws: `ModelError.unknownLabel` for a label the encoder lacks; `.invalidArgument` when the
  ///   table's columns do not fill `inputShape` or do not match the scaler; `.emptyDataset`.
  public init(
    table: FeatureTable, encoder: LabelEncoder, scaler: StandardScaler, inputShape: [Int]
  ) throws(ModelError) {
    guard table.rowCount > 0 else { throw .emptyDataset(reason: "the table has no rows") }
    let columns = table.columnNames.count
    guard columns == scaler.columnCount, inputShape.reduce(1, *) == columns else {
      throw .invalidArgument(
        name: "table", reason: "\(columns) columns do not fit the scaler (\(scaler.columnCount)) "
          + "or input shape \(inputShape)")
    }
    let labels = try encoder.encode(table.labels)
    self.init(
      inputs: Tensor(shape: [table.rowCount] + inputShape, scalars: scaler.transform(table.values)),
      labels: labels, tracks: table.trackNames)
  }

  /// The number of samples.
  public var count: Int { labels.count }

  /// The samples at `indices`, in that order.
  public func selecting(_ indices: [Int]) -> LabeledSamples {
    LabeledSamples(
      inputs: inputs.gathering(indices), labels: indices.map { labels[$0] }, tracks: indices.map { tracks[$0] })
  }
}
