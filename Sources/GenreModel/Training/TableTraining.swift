import Features
import NeuralNet

/// Trains a bundle from a feature table: select the split's tracks, fit the scaler on the
/// training rows only, train, optionally refit on training + validation rows for the best epoch
/// count, and record everything in the manifest.
public struct TableTraining: Sendable {
  /// The full feature table.
  public var table: FeatureTable
  /// The recipe whose columns the table holds.
  public var recipe: FeatureRecipe
  /// Tracks to train on (e.g. `train_filtered`).
  public var trainingTracks: [String]
  /// Tracks for early stopping and model selection (e.g. `valid_filtered`); never test tracks.
  public var validationTracks: [String]?
  /// The training configuration.
  public var configuration: TrainingConfiguration
  /// Networks trained with seeds `seed`, `seed + 1`, … whose probabilities are averaged.
  public var ensembleSize: Int
  /// After selection on validation, retrain on training + validation tracks for the best epoch count.
  public var refitOnValidation: Bool
  /// Describes the data in the manifest, e.g. `features_30_sec.csv`.
  public var dataDescription: String
  /// Describes the split in the manifest, e.g. `train_filtered.txt / valid_filtered.txt`.
  public var splitDescription: String

  /// A training job; see the properties.
  public init(
    table: FeatureTable, recipe: FeatureRecipe, trainingTracks: [String], validationTracks: [String]? = nil,
    configuration: TrainingConfiguration, ensembleSize: Int = 1, refitOnValidation: Bool = false,
    dataDescription: String, splitDescription: String
  ) {
    self.ensembleSize = ensembleSize
    self.table = table
    self.recipe = recipe
    self.trainingTracks = trainingTracks
    self.validationTracks = validationTracks
    self.configuration = configuration
    self.refitOnValidation = refitOnValidation
    self.dataDescription = dataDescription
    self.splitDescription = splitDescription
  }

  /// Runs the job.
  ///
  /// - Parameter progress: called after each epoch; `phase` is `"select"` or `"refit"`.
  /// - Returns: a validated bundle whose manifest records the configuration, history and
  ///   validation metrics (of the selection run).
  /// - Throws: `ModelError` for table/recipe mismatches, split tracks missing from the table,
  ///   overlapping splits, bad configurations or divergence.
  public func run(progress: (_ phase: String, EpochProgress) -> Void = { _, _ in }) throws(ModelError) -> ModelBundle {
    try table.validateColumns(recipe.columnNames)
    if let validationTracks, let shared = Set(validationTracks).intersection(trainingTracks).sorted().first {
      throw .invalidArgument(name: "split", reason: "track '\(shared)' is in both the training and validation split")
    }
    let encoder = try LabelEncoder(fitting: table.labels)
    let trainTable = try table.selecting(tracks: trainingTracks)
    let validationTable = try validationTracks.map { (tracks) throws(ModelError) in try table.selecting(tracks: tracks) }
    let inputShape = configuration.preset.inputShape(featureCount: recipe.columns.count)
    let scaler = try configuration.scaler(fitting: trainTable)
    let train = try LabeledSamples(table: trainTable, encoder: encoder, scaler: scaler, inputShape: inputShape)
    let validation = try validationTable.map { (t) throws(ModelError) in
      try LabeledSamples(table: t, encoder: encoder, scaler: scaler, inputShape: inputShape)
    }
    guard ensembleSize >= 1 else { throw .invalidArgument(name: "ensemble size", reason: "\(ensembleSize) must be ≥ 1") }
    guard ensembleSize == 1 || configuration.preset != .lda else {
      throw .invalidArgument(
        name: "ensemble size", reason: "\(ensembleSize) copies of a closed-form lda fit would be identical; use 1")
    }
    if configuration.preset == .lda, let absent = encoder.labels.first(where: { !trainTable.labels.contains($0) }) {
      throw .invalidArgument(
        name: "training split",
        reason: "genre '\(absent)' has no training rows; lda estimates every genre's mean and covariance")
    }
    var selections: [TrainingResult] = []
    for member in 0..<ensembleSize {
      var memberConfiguration = configuration
      memberConfiguration.seed = configuration.seed &+ UInt64(member)
      selections.append(
        try Trainer(configuration: memberConfiguration).train(
          train, validation: validation, classCount: encoder.count, progress: { progress("select", $0) }))
    }
    let selection = selections[0]
    var metrics: [String: MetricsSummary] = [:]
    if let validation {
      metrics["validation"] = Evaluation.summary(of: selections.map(\.network), on: validation, labels: encoder.labels)
    }
    var networks = selections.map(\.network)
    var finalScaler = scaler
    var rows = train.count
    var split = splitDescription
    if refitOnValidation, let validationTracks, validation != nil {
      let all = try table.selecting(tracks: trainingTracks + validationTracks)
      finalScaler = try configuration.scaler(fitting: all)
      let samples = try LabeledSamples(table: all, encoder: encoder, scaler: finalScaler, inputShape: inputShape)
      networks = []
      for (member, chosen) in selections.enumerated() {
        var memberConfiguration = configuration
        memberConfiguration.seed = configuration.seed &+ UInt64(member)
        memberConfiguration.epochs = chosen.bestEpoch
        memberConfiguration.patience = nil
        memberConfiguration.restoreBest = false
        networks.append(
          try Trainer(configuration: memberConfiguration).train(
            samples, classCount: encoder.count, progress: { progress("refit", $0) }
          ).network)
      }
      rows = samples.count
      split +=
        configuration.preset == .lda
        ? " (refit in closed form on training + validation)"
        : " (refit on training + validation for each member's best validation epoch: "
          + selections.map { String($0.bestEpoch) }.joined(separator: ", ") + ")"
    }
    let record = TrainingRecord(
      data: dataDescription, split: split, configuration: configuration, epochsRun: selection.history.count,
      bestEpoch: selection.bestEpoch, trainingRows: rows, history: selection.history)
    let manifest = ModelManifest(
      labels: encoder.labels, recipe: recipe, scaler: finalScaler, inputShape: inputShape,
      architecture: configuration.preset.layers(classCount: encoder.count), ensembleSize: ensembleSize,
      training: record, metrics: metrics)
    return try ModelBundle(manifest: manifest, networks: networks)
  }
}
