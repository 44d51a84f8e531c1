import Foundation
import NeuralNet

/// The result of evaluating a model on labelled rows: window- and song-level metrics, plus the
/// model's learning curves; encodable as JSON and renderable as an HTML page (``HTMLReport``).
public struct EvaluationReport: Codable, Sendable {
  /// What was evaluated, e.g. `test_filtered.txt rows of features_30_sec.csv`.
  public var dataDescription: String
  /// The model's labels.
  public var labels: [String]
  /// Window (row) level metrics.
  public var windows: ClassificationMetrics
  /// Song-level metrics (mean window probabilities per track).
  public var songs: ClassificationMetrics
  /// The training record of the model, if it has one (learning curves).
  public var training: TrainingRecord?
  /// Cross-validation accuracies per fold, when the report describes a CV run.
  public var foldAccuracies: [Double]?

  /// A report from its parts.
  public init(
    dataDescription: String, labels: [String], windows: ClassificationMetrics, songs: ClassificationMetrics,
    training: TrainingRecord?, foldAccuracies: [Double]? = nil
  ) {
    self.dataDescription = dataDescription
    self.labels = labels
    self.windows = windows
    self.songs = songs
    self.training = training
    self.foldAccuracies = foldAccuracies
  }

  /// Pretty JSON with sorted keys.
  public func jsonData() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Every field is a plain number, string or array: encoding cannot fail.
    return (try? encoder.encode(self)) ?? Data()
  }
}

/// Evaluating networks and bundles on labelled data.
public enum Evaluation {
  /// Window- and song-level metrics of `network` on `samples`.
  public static func metrics(
    of networks: [Sequential], on samples: LabeledSamples, labels: [String]
  ) -> (windows: ClassificationMetrics, songs: ClassificationMetrics) {
    let probabilities = Inference.probabilities(networks, samples.inputs)
    let predicted = probabilities.map(SongAggregation.argmax)
    let windows = ClassificationMetrics(labels: labels, truth: samples.labels, predicted: predicted)
    let songs = SongAggregation.songs(probabilities: probabilities, tracks: samples.tracks, truth: samples.labels)
    let songMetrics = ClassificationMetrics(
      labels: labels, truth: songs.map(\.truth), predicted: songs.map(\.predicted))
    return (windows, songMetrics)
  }

  /// The headline numbers of ``metrics(of:on:labels:)``.
  public static func summary(of networks: [Sequential], on samples: LabeledSamples, labels: [String]) -> MetricsSummary {
    let (windows, songs) = metrics(of: networks, on: samples, labels: labels)
    return MetricsSummary(
      rows: samples.count, accuracy: windows.accuracy, songAccuracy: songs.accuracy, macroF1: windows.macroF1)
  }

  /// Evaluates `bundle` on the rows of `table` (optionally only `tracks`).
  ///
  /// - Throws: `ModelError.malformedTable` if the table's columns differ from the recipe's,
  ///   `.unknownLabel` for a label the model lacks, `.missingTrack`, or a bundle error.
  public static func evaluate(
    _ bundle: ModelBundle, on table: FeatureTable, tracks: [String]? = nil, dataDescription: String
  ) throws(ModelError) -> EvaluationReport {
    let manifest = bundle.manifest
    try table.validateColumns(manifest.recipe.columnNames)
    let rows = try tracks.map { (t) throws(ModelError) in try table.selecting(tracks: t) } ?? table
    let encoder = try LabelEncoder(labels: manifest.labels)
    let samples = try LabeledSamples(
      table: rows, encoder: encoder, scaler: manifest.scaler, inputShape: manifest.inputShape)
    let (windows, songs) = metrics(of: try bundle.makeNetworks(), on: samples, labels: manifest.labels)
    return EvaluationReport(
      dataDescription: dataDescription, labels: manifest.labels, windows: windows, songs: songs,
      training: manifest.training)
  }

  /// Track-grouped stratified k-fold cross-validation of a training configuration on `table`:
  /// each fold fits its own scaler on its training rows and trains for the configured epochs
  /// (no early stopping: no validation data is carved out of the folds); with `ensembleSize` > 1
  /// each fold averages that many members seeded `seed`, `seed + 1`, ….
  ///
  /// - Returns: a report whose metrics pool every fold's held-out predictions, with per-fold
  ///   window accuracies in `foldAccuracies`.
  /// - Throws: `ModelError` for bad folds, configurations or tables.
  public static func crossValidate(
    _ configuration: TrainingConfiguration, on table: FeatureTable, folds: Int, seed: UInt64 = 0, ensembleSize: Int = 1,
    dataDescription: String, progress: (_ fold: Int, EpochProgress) -> Void = { _, _ in }
  ) throws(ModelError) -> EvaluationReport {
    let encoder = try LabelEncoder(fitting: table.labels)
    let labels = try encoder.encode(table.labels)
    let tracks = table.trackNames
    let splitter = try GroupedStratifiedKFold(folds: folds, seed: seed)
    let testSets = try splitter.testIndices(labels: labels, tracks: tracks)
    let inputShape = configuration.preset.inputShape(featureCount: table.columnNames.count)
    var truth: [Int] = []
    var predicted: [Int] = []
    var allProbabilities: [[Float]] = []
    var allTracks: [String] = []
    var foldAccuracies: [Double] = []
    for (fold, test) in testSets.enumerated() {
      let held = Set(test)
      let trainRows = table.selecting(rows: (0..<table.rowCount).filter { !held.contains($0) })
      let testRows = table.selecting(rows: test)
      let scaler = try configuration.scaler(fitting: trainRows)
      let train = try LabeledSamples(table: trainRows, encoder: encoder, scaler: scaler, inputShape: inputShape)
      let heldOut = try LabeledSamples(table: testRows, encoder: encoder, scaler: scaler, inputShape: inputShape)
      var networks: [Sequential] = []
      for member in 0..<max(ensembleSize, 1) {
        var memberConfiguration = configuration
        memberConfiguration.seed = configuration.seed &+ UInt64(member)
        networks.append(
          try Trainer(configuration: memberConfiguration).train(
            train, classCount: encoder.count, progress: { progress(fold + 1, $0) }
          ).network)
      }
      let probabilities = Inference.probabilities(networks, heldOut.inputs)
      let guesses = probabilities.map(SongAggregation.argmax)
      foldAccuracies.append(
        Double(zip(guesses, heldOut.labels).filter { $0 == $1 }.count) / Double(max(heldOut.count, 1)))
      truth += heldOut.labels
      predicted += guesses
      allProbabilities += probabilities
      allTracks += heldOut.tracks
    }
    let songs = SongAggregation.songs(probabilities: allProbabilities, tracks: allTracks, truth: truth)
    return EvaluationReport(
      dataDescription: dataDescription, labels: encoder.labels,
      windows: ClassificationMetrics(labels: encoder.labels, truth: truth, predicted: predicted),
      songs: ClassificationMetrics(labels: encoder.labels, truth: songs.map(\.truth), predicted: songs.map(\.predicted)),
      training: nil, foldAccuracies: foldAccuracies)
  }
}
