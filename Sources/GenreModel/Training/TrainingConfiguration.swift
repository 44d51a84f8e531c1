import NeuralNet

/// Everything that determines a training run; Codable so a bundle records it.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
  /// The optimiser family.
  public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    /// Adam (`torch.optim.Adam`), L2 weight decay added to the gradient.
    case adam
    /// AdamW (`torch.optim.AdamW`), decoupled weight decay.
    case adamW
    /// SGD with Nesterov momentum 0.9 (`torch.optim.SGD`).
    case sgd
  }

  /// The quantity early stopping and best-epoch selection watch on the validation set.
  public enum Monitor: String, Codable, Sendable {
    /// Lowest validation loss.
    case validationLoss
    /// Highest validation accuracy (ties: lower loss).
    case validationAccuracy
  }

  /// The network design.
  public var preset: ArchitecturePreset
  /// Maximum epochs (passes over the training rows).
  public var epochs: Int
  /// Rows per mini-batch (the last batch may be smaller).
  public var batchSize: Int
  /// The optimiser.
  public var optimizer: OptimizerKind
  /// The initial learning rate.
  public var learningRate: Float
  /// Weight decay λ (L2 for adam/sgd, decoupled for adamW).
  public var weightDecay: Float
  /// Cosine decay of the learning rate to 0 over `epochs` (per epoch) when true.
  public var cosineSchedule: Bool
  /// Seed of weight initialisation, dropout masks and shuffling.
  public var seed: UInt64
  /// Stop after this many epochs without improvement of `monitor` (nil: run all epochs).
  public var patience: Int?
  /// What early stopping and restore-best watch.
  public var monitor: Monitor
  /// Keep the weights of the best validation epoch instead of the last.
  public var restoreBest: Bool
  /// Weight classes by inverse training frequency (`n / (C · n_c)`, sklearn's "balanced").
  public var balancedClassWeights: Bool
  /// Label smoothing ε in [0, 1).
  public var labelSmoothing: Float
  /// Clip the global gradient norm to this value (nil: no clipping).
  public var maximumGradientNorm: Float?
  /// Standardise the variance columns (table names ending in `_var`) on a log scale
  /// (``StandardScaler/logColumns``); the scaler is still fit on training rows only.
  public var logVariances: Bool

  /// A configuration; defaults suit the 57-feature table models.
  public init(
    preset: ArchitecturePreset = .mlp, epochs: Int = 150, batchSize: Int = 32, optimizer: OptimizerKind = .adamW,
    learningRate: Float = 1e-3, weightDecay: Float = 1e-2, cosineSchedule: Bool = true, seed: UInt64 = 0,
    patience: Int? = nil, monitor: Monitor = .validationLoss, restoreBest: Bool = false,
    balancedClassWeights: Bool = false, labelSmoothing: Float = 0.1, maximumGradientNorm: Float? = nil,
    logVariances: Bool = false
  ) {
    self.logVariances = logVariances
    self.preset = preset
    self.epochs = epochs
    self.batchSize = batchSize
    self.optimizer = optimizer
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.cosineSchedule = cosineSchedule
    self.seed = seed
    self.patience = patience
    self.monitor = monitor
    self.restoreBest = restoreBest
    self.balancedClassWeights = balancedClassWeights
    self.labelSmoothing = labelSmoothing
    self.maximumGradientNorm = maximumGradientNorm
  }

  /// Checks every value's range.
  ///
  /// - Throws: `ModelError.invalidArgument` naming the first bad value.
  public func validate() throws(ModelError) {
    guard epochs > 0 else { throw .invalidArgument(name: "epochs", reason: "\(epochs) must be positive") }
    guard batchSize > 0 else { throw .invalidArgument(name: "batch size", reason: "\(batchSize) must be positive") }
    guard learningRate > 0, learningRate.isFinite else {
      throw .invalidArgument(name: "learning rate", reason: "\(learningRate) must be positive")
    }
    guard weightDecay >= 0, weightDecay.isFinite else {
      throw .invalidArgument(name: "weight decay", reason: "\(weightDecay) must be ≥ 0")
    }
    guard labelSmoothing >= 0, labelSmoothing < 1 else {
      throw .invalidArgument(name: "label smoothing", reason: "\(labelSmoothing) must lie in [0, 1)")
    }
    if let patience, patience <= 0 {
      throw .invalidArgument(name: "patience", reason: "\(patience) must be positive")
    }
    if let maximumGradientNorm, !(maximumGradientNorm > 0) {
      throw .invalidArgument(name: "maximum gradient norm", reason: "\(maximumGradientNorm) must be positive")
    }
  }

  /// The learning rate in epoch `epoch` (0-based).
  public func learningRate(epoch: Int) -> Float {
    cosineSchedule
      ? LearningRateSchedule.cosine(initial: learningRate, steps: epochs, minimum: 0).rate(at: epoch)
      : learningRate
  }

  func makeOptimizer() -> any Optimizer {
    switch optimizer {
    case .adam: Adam(learningRate: learningRate, weightDecay: weightDecay)
    case .adamW: Adam.adamW(learningRate: learningRate, weightDecay: weightDecay)
    case .sgd: SGD(learningRate: learningRate, momentum: 0.9, weightDecay: weightDecay, nesterov: true)
    }
  }
}

extension TrainingConfiguration {
  /// The indices of `columnNames` the scaler takes logarithms of: the variance columns when
  /// ``logVariances`` is on, none otherwise.
  public func logColumns(for columnNames: [String]) -> [Int] {
    logVariances ? columnNames.indices.filter { columnNames[$0].hasSuffix("_var") } : []
  }

  /// The train-only scaler of this configuration for `table`'s rows.
  ///
  /// - Throws: as ``StandardScaler/init(fitting:columns:logColumns:)``.
  func scaler(fitting table: FeatureTable) throws(ModelError) -> StandardScaler {
    try StandardScaler(
      fitting: table.values, columns: table.columnNames.count, logColumns: logColumns(for: table.columnNames))
  }
}

extension TrainingConfiguration {
  private enum CodingKeys: String, CodingKey {
    case preset, epochs, batchSize, optimizer, learningRate, weightDecay, cosineSchedule, seed, patience, monitor
    case restoreBest, balancedClassWeights, labelSmoothing, maximumGradientNorm, logVariances
  }

  /// Decodes a stored configuration; `logVariances` may be absent (bundles written before it
  /// existed), meaning off.
  ///
  /// - Throws: `DecodingError` for a missing or mistyped field.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      preset: try c.decode(ArchitecturePreset.self, forKey: .preset), epochs: try c.decode(Int.self, forKey: .epochs),
      batchSize: try c.decode(Int.self, forKey: .batchSize),
      optimizer: try c.decode(OptimizerKind.self, forKey: .optimizer),
      learningRate: try c.decode(Float.self, forKey: .learningRate),
      weightDecay: try c.decode(Float.self, forKey: .weightDecay),
      cosineSchedule: try c.decode(Bool.self, forKey: .cosineSchedule), seed: try c.decode(UInt64.self, forKey: .seed),
      patience: try c.decodeIfPresent(Int.self, forKey: .patience), monitor: try c.decode(Monitor.self, forKey: .monitor),
      restoreBest: try c.decode(Bool.self, forKey: .restoreBest),
      balancedClassWeights: try c.decode(Bool.self, forKey: .balancedClassWeights),
      labelSmoothing: try c.decode(Float.self, forKey: .labelSmoothing),
      maximumGradientNorm: try c.decodeIfPresent(Float.self, forKey: .maximumGradientNorm),
      logVariances: try c.decodeIfPresent(Bool.self, forKey: .logVariances) ?? false)
  }
}
