import Features
import NeuralNet

/// The contents of a bundle's `model.json`: everything except the weights.
public struct ModelManifest: Codable, Sendable, Equatable {
  /// The format version this library writes.
  ///
  /// Version 2 added the scaler's optional `logColumns`; version 1 bundles (none) still load.
  public static let currentFormatVersion = 2
  /// The format versions this library reads.
  public static let supportedFormatVersions = 1...currentFormatVersion

  /// The bundle format version (``currentFormatVersion`` when written by this library).
  public var formatVersion: Int
  /// The class labels in output-index order.
  public var labels: [String]
  /// The feature recipe that computes the model's input columns from audio.
  public var recipe: FeatureRecipe
  /// The log-mel segment input of a spectrogram model (nil for models on ``recipe``'s feature
  /// columns). When present the network's input is `LogMelSegments/imageShape`, ``recipe`` is
  /// its column-less front end (`LogMelSegments/recipe`) and ``scaler`` has one column, applied
  /// to every dB value.
  public var logMel: LogMelSegments?
  /// The train-only scaler applied to every input row before the network.
  public var scaler: StandardScaler
  /// The per-sample input shape of the network, e.g. `[57]` or `[1, 57]`.
  public var inputShape: [Int]
  /// The network as layer specifications; its output is logits (softmax is applied on prediction).
  public var architecture: [LayerSpec]
  /// Members of the ensemble: independently trained networks of the same architecture whose
  /// probabilities are averaged (1 for a single network).
  public var ensembleSize: Int
  /// How the model was trained (absent for hand-made bundles).
  public var training: TrainingRecord?
  /// Metrics the model reached, keyed by set name (`validation`, `test`, …).
  public var metrics: [String: MetricsSummary]

  /// A manifest from its parts, at the current format version (`logMel` for a spectrogram model).
  public init(
    labels: [String], recipe: FeatureRecipe, scaler: StandardScaler, inputShape: [Int],
    architecture: [LayerSpec], ensembleSize: Int = 1, training: TrainingRecord? = nil,
    metrics: [String: MetricsSummary] = [:], logMel: LogMelSegments? = nil
  ) {
    self.logMel = logMel
    self.ensembleSize = ensembleSize
    formatVersion = Self.currentFormatVersion
    self.labels = labels
    self.recipe = recipe
    self.scaler = scaler
    self.inputShape = inputShape
    self.architecture = architecture
    self.training = training
    self.metrics = metrics
  }

  /// Checks that the parts fit together: known version, distinct labels, one scaler column per
  /// recipe column (log columns only from version 2, never for a log-mel model), an input shape
  /// holding exactly those columns, and an architecture that accepts the input and ends in one
  /// output per label.
  ///
  /// - Throws: `ModelError.unsupportedVersion` or `ModelError.inconsistentBundle` naming the problem.
  public func validate() throws(ModelError) {
    guard Self.supportedFormatVersions.contains(formatVersion) else {
      throw .unsupportedVersion(found: formatVersion, supported: Self.supportedFormatVersions)
    }
    guard StandardScaler.isValid(logColumns: scaler.logColumns, columnCount: scaler.mean.count) else {
      throw .inconsistentBundle(
        reason: "scaler log columns \(scaler.logColumns) must be ascending, distinct indices below \(scaler.mean.count)")
    }
    guard scaler.logColumns.isEmpty || formatVersion >= 2 else {
      throw .inconsistentBundle(reason: "scaler log columns need format version 2, the bundle says \(formatVersion)")
    }
    guard ensembleSize >= 1 else {
      throw .inconsistentBundle(reason: "ensemble size \(ensembleSize) must be at least 1")
    }
    guard !labels.isEmpty, Set(labels).count == labels.count else {
      throw .inconsistentBundle(reason: "labels \(labels) must be non-empty and distinct")
    }
    guard scaler.mean.count == scaler.scale.count else {
      throw .inconsistentBundle(
        reason: "scaler has \(scaler.mean.count) means but \(scaler.scale.count) scales")
    }
    guard scaler.scale.allSatisfy({ $0.isFinite && $0 > 0 }), scaler.mean.allSatisfy(\.isFinite) else {
      throw .inconsistentBundle(reason: "scaler scales must be finite and positive, means finite")
    }
    if let logMel {
      do {
        try logMel.validate()
      } catch {
        throw .inconsistentBundle(reason: "log-mel input: \(error.description)")
      }
      guard scaler.columnCount == 1, scaler.logColumns.isEmpty else {
        throw .inconsistentBundle(
          reason: "a log-mel model needs a 1-column linear scaler, got \(scaler.columnCount) columns, "
            + "log columns \(scaler.logColumns)")
      }
      guard recipe == logMel.recipe else {
        throw .inconsistentBundle(reason: "the recipe '\(recipe.name)' is not the log-mel input's front end")
      }
      guard inputShape == logMel.imageShape else {
        throw .inconsistentBundle(
          reason: "input shape \(inputShape) is not the log-mel image shape \(logMel.imageShape)")
      }
    } else {
      try validateColumns()
    }
    var shape = inputShape
    for (index, spec) in architecture.enumerated() {
      do {
        shape = try spec.outputShape(for: shape, layerIndex: index)
      } catch {
        throw .inconsistentBundle(reason: error.description)
      }
    }
    guard shape == [labels.count] else {
      throw .inconsistentBundle(
        reason: "the architecture outputs \(shape) but there are \(labels.count) labels")
    }
  }

  /// A feature-column model's checks: one scaler column per recipe column, filling the input shape.
  private func validateColumns() throws(ModelError) {
    guard scaler.columnCount == recipe.columns.count else {
      throw .inconsistentBundle(
        reason: "scaler has \(scaler.columnCount) columns but the recipe computes \(recipe.columns.count)")
    }
    // Multiply with overflow checks: a hostile model.json may claim extents near Int.max.
    let inputCount = inputShape.reduce(Optional(1)) { product, extent in
      product.flatMap { (p: Int) -> Int? in
        let (next, overflow) = p.multipliedReportingOverflow(by: extent)
        return overflow ? nil : next
      }
    }
    guard inputShape.allSatisfy({ $0 > 0 }), inputCount == recipe.columns.count else {
      throw .inconsistentBundle(
        reason: "input shape \(inputShape) does not hold the recipe's \(recipe.columns.count) columns")
    }
  }
}

/// Facts about how a bundle's model was trained.
public struct TrainingRecord: Codable, Sendable, Equatable {
  /// The training data, e.g. `features_30_sec.csv`.
  public var data: String
  /// The split used, e.g. `train_filtered+valid_filtered (validation: valid_filtered)`.
  public var split: String
  /// The configuration (preset, seed, epochs, batch, optimiser, learning rate, …).
  public var configuration: TrainingConfiguration
  /// Epochs actually run (less than configured when early stopping ended training).
  public var epochsRun: Int
  /// The epoch (1-based) whose weights were kept.
  public var bestEpoch: Int
  /// Training rows.
  public var trainingRows: Int
  /// Per-epoch history (learning curves).
  public var history: [EpochProgress]

  /// A record from its parts.
  public init(
    data: String, split: String, configuration: TrainingConfiguration, epochsRun: Int, bestEpoch: Int,
    trainingRows: Int, history: [EpochProgress]
  ) {
    self.data = data
    self.split = split
    self.configuration = configuration
    self.epochsRun = epochsRun
    self.bestEpoch = bestEpoch
    self.trainingRows = trainingRows
    self.history = history
  }
}

/// Headline metrics for one evaluation set, stored in a bundle.
public struct MetricsSummary: Codable, Sendable, Equatable {
  /// Rows (windows) evaluated.
  public var rows: Int
  /// Window-level accuracy in [0, 1].
  public var accuracy: Double
  /// Song-level accuracy (mean probabilities over a track's windows) in [0, 1].
  public var songAccuracy: Double
  /// Macro-averaged F1 in [0, 1].
  public var macroF1: Double

  /// A summary from its parts.
  public init(rows: Int, accuracy: Double, songAccuracy: Double, macroF1: Double) {
    self.rows = rows
    self.accuracy = accuracy
    self.songAccuracy = songAccuracy
    self.macroF1 = macroF1
  }
}
