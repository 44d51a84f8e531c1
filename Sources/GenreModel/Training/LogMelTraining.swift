import Features
import NeuralNet

/// Trains a spectrogram bundle (``ArchitecturePreset/melCNN``) on ``LogMelDataset`` images: fit a
/// one-column scaler on the training images only, train with early stopping on the validation
/// images, and record the log-mel input in the manifest so prediction computes the same images.
public struct LogMelTraining: Sendable {
  /// The images' description (must match the datasets').
  public var input: LogMelSegments
  /// The training configuration (its preset must accept `LogMelSegments/imageShape`).
  public var configuration: TrainingConfiguration
  /// Describes the data in the manifest, e.g. `GTZAN audio (classical, jazz, rock)`.
  public var dataDescription: String
  /// Describes the split in the manifest.
  public var splitDescription: String

  /// A training job; see the properties.
  public init(
    input: LogMelSegments, configuration: TrainingConfiguration, dataDescription: String, splitDescription: String
  ) {
    self.input = input
    self.configuration = configuration
    self.dataDescription = dataDescription
    self.splitDescription = splitDescription
  }

  /// Network inputs from `dataset`: scaled, shaped `[N, 1, melCount, frameCount]`, labels encoded.
  ///
  /// - Throws: `ModelError.unknownLabel` for a genre the encoder lacks; `.invalidArgument` when the
  ///   values are not whole images of `input` or the scaler has more than one column.
  public static func samples(
    _ dataset: LogMelDataset, input: LogMelSegments, encoder: LabelEncoder, scaler: StandardScaler
  ) throws(ModelError) -> LabeledSamples {
    guard scaler.columnCount == 1, dataset.values.count == dataset.count * input.melCount * input.frameCount else {
      throw .invalidArgument(
        name: "dataset", reason: "\(dataset.values.count) values are not \(dataset.count) images of "
          + "\(input.imageShape) with a 1-column scaler (\(scaler.columnCount) columns)")
    }
    return LabeledSamples(
      inputs: Tensor(shape: [dataset.count] + input.imageShape, scalars: scaler.transform(dataset.values)),
      labels: try encoder.encode(dataset.labels), tracks: dataset.tracks)
  }

  /// Runs the job.
  ///
  /// - Parameters:
  ///   - training: the training images.
  ///   - validation: images for early stopping and the choice of epoch (never test tracks).
  ///   - progress: called after each epoch.
  /// - Returns: a validated bundle with ``ModelManifest/logMel`` set and validation metrics.
  /// - Throws: `ModelError` for overlapping splits, bad configurations or divergence.
  public func run(
    training: LogMelDataset, validation: LogMelDataset?, progress: (EpochProgress) -> Void = { _ in }
  ) throws(ModelError) -> ModelBundle {
    if let validation, let shared = Set(validation.tracks).intersection(training.tracks).sorted().first {
      throw .invalidArgument(
        name: "split", reason: "track '\(shared)' is in both the training and validation split")
    }
    let encoder = try LabelEncoder(fitting: training.labels)
    let scaler = try StandardScaler(fitting: training.values, columns: 1)
    let train = try Self.samples(training, input: input, encoder: encoder, scaler: scaler)
    let held = try validation.map { (set) throws(ModelError) in
      try Self.samples(set, input: input, encoder: encoder, scaler: scaler)
    }
    let result = try Trainer(configuration: configuration).train(
      train, validation: held, classCount: encoder.count, progress: progress)
    var metrics: [String: MetricsSummary] = [:]
    if let held {
      metrics["validation"] = Evaluation.summary(of: [result.network], on: held, labels: encoder.labels)
    }
    let record = TrainingRecord(
      data: dataDescription, split: splitDescription, configuration: configuration,
      epochsRun: result.history.count, bestEpoch: result.bestEpoch, trainingRows: train.count,
      history: result.history)
    let manifest = ModelManifest(
      labels: encoder.labels, recipe: input.recipe, scaler: scaler, inputShape: input.imageShape,
      architecture: configuration.preset.layers(classCount: encoder.count), training: record, metrics: metrics,
      logMel: input)
    return try ModelBundle(manifest: manifest, network: result.network)
  }
}
