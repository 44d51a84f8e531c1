import Features
import Foundation
import NeuralNet
import Synchronization

/// Classifies audio or feature rows with a model bundle; safe to share between threads
/// (`Sendable`): the feature plan is immutable and the networks sit behind a lock held only for
/// the forward pass, so many threads can extract features at once (see `GenrePredictor+Audio`).
///
/// Rows are raw feature values computed with the bundle's ``ModelManifest/recipe`` (one row per
/// window, `recipe.columns.count` values, the recipe's column order); the predictor scales them
/// with the bundle's train-only scaler and averages the members' softmax probabilities. The audio
/// path (`FeatureExtractor(recipe:)` → `summaries(of:sampleRate:)` → ``predict(rows:windowSeconds:hopSeconds:inputShorterThanWindow:)``)
/// only needs the extractor's rows × columns output.
public final class GenrePredictor: Sendable {
  /// The bundle's manifest (labels, recipe, scaler, architecture).
  public let manifest: ModelManifest
  private let networks: Mutex<[Sequential]>
  /// The feature plan for the bundle's recipe, built once (or why the recipe cannot be run on
  /// audio; row prediction still works then).
  let extraction: Result<FeatureExtractor, FeatureError>
  /// The log-mel plan of a spectrogram model (nil for a feature-column model).
  let logMelPlan: Result<LogMelSegmentPlan, FeatureError>?

  /// A predictor for `bundle`.
  ///
  /// - Throws: the bundle's validation errors.
  public init(bundle: ModelBundle) throws(ModelError) {
    manifest = bundle.manifest
    networks = Mutex(try bundle.makeNetworks())
    let recipe = bundle.manifest.recipe
    extraction = Result { () throws(FeatureError) in try FeatureExtractor(recipe: recipe) }
    logMelPlan = bundle.manifest.logMel.map { input in
      Result { () throws(FeatureError) in try LogMelSegmentPlan(input) }
    }
  }

  /// A predictor for the bundle in `directory`.
  public convenience init(contentsOf directory: URL) throws(ModelError) {
    try self.init(bundle: try ModelBundle(contentsOf: directory))
  }

  /// The labels in class-index order.
  public var labels: [String] { manifest.labels }

  /// Class probabilities for each row of `rows` (row-major, `recipe.columns.count` per row; for a
  /// log-mel model one row is one segment's image, `LogMelSegmentBatch/values` layout).
  ///
  /// - Returns: one probability vector per row, in class-index order.
  /// - Throws: `ModelError.invalidArgument` for a count that is not a multiple of the row
  ///   length, no rows, a non-finite value, or a network output that overflowed to NaN/infinity.
  /// - Complexity: one batched forward pass per 256 rows.
  public func probabilities(rows: [Float]) throws(ModelError) -> [[Float]] {
    let columns = manifest.inputShape.reduce(1, *)
    guard !rows.isEmpty, rows.count % columns == 0 else {
      throw .invalidArgument(name: "rows", reason: "\(rows.count) values are not rows of \(columns) values")
    }
    guard rows.allSatisfy(\.isFinite) else {
      throw .invalidArgument(name: "rows", reason: "a feature value is NaN or infinite")
    }
    let count = rows.count / columns
    let input = Tensor(shape: [count] + manifest.inputShape, scalars: manifest.scaler.transform(rows))
    let probabilities = networks.withLock { Inference.probabilities($0, input) }
    // Finite weights can still overflow (a degenerate bundle, or inputs far outside the training
    // range times huge weights); say so instead of handing back NaN probabilities.
    if let row = probabilities.firstIndex(where: { !$0.allSatisfy(\.isFinite) }) {
      throw .invalidArgument(
        name: "rows", reason: "the network's output overflowed for row \(row) (a NaN or infinite logit); "
          + "the input is far outside the model's range or the model's weights are unusable")
    }
    return probabilities
  }

  /// A song-level prediction from consecutive windows' feature rows.
  ///
  /// - Parameters:
  ///   - rows: row-major features, one row per window, in time order.
  ///   - windowSeconds: each window's length in seconds (default: the recipe's segment length).
  ///   - hopSeconds: seconds between window starts (default: the recipe's segment hop).
  ///   - inputShorterThanWindow: set when the audio was shorter than the window and summarised whole.
  /// - Throws: as ``probabilities(rows:)``.
  public func predict(
    rows: [Float], windowSeconds: Double? = nil, hopSeconds: Double? = nil, inputShorterThanWindow: Bool = false
  ) throws(ModelError) -> GenrePrediction {
    let recipe = manifest.recipe
    let window = windowSeconds ?? Double(recipe.segmentation.length) / Double(recipe.sampleRate)
    let hop = hopSeconds ?? Double(recipe.segmentation.hop) / Double(recipe.sampleRate)
    let timeline = try probabilities(rows: rows).enumerated().map { index, p in
      WindowPrediction(start: Double(index) * hop, end: Double(index) * hop + window, probabilities: p)
    }
    return GenrePrediction(labels: labels, timeline: timeline, inputShorterThanWindow: inputShorterThanWindow)
  }

  /// The model shipped with the package (10 GTZAN genres, recipe `gtzan57`; see Docs/evaluation.md).
  ///
  /// - Throws: `ModelError` if the packaged resource is missing or damaged.
  public static var `default`: GenrePredictor {
    get throws(ModelError) { try shippedPredictor.get() }
  }

  private static let shippedPredictor: Result<GenrePredictor, ModelError> = Result { () throws(ModelError) in
    try GenrePredictor(bundle: try ModelBundle.shipped())
  }
}

extension ModelBundle {
  /// The default model bundle shipped as a package resource.
  ///
  /// - Throws: `ModelError.fileError` if the resource is missing, or a bundle validation error.
  public static func shipped() throws(ModelError) -> ModelBundle {
    guard let url = Bundle.module.url(forResource: "DefaultModel", withExtension: nil) else {
      throw .fileError(path: "DefaultModel", reason: "the default model resource is missing from the package")
    }
    return try ModelBundle(contentsOf: url)
  }
}
