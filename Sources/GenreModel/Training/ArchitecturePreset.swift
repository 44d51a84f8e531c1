import NeuralNet

/// Named network designs. Every preset ends in a dense layer of logits (no softmax: the loss is
/// fused softmax cross-entropy, and prediction applies softmax).
public enum ArchitecturePreset: String, Codable, Sendable, CaseIterable {
  /// The seed system's 1-D CNN over the scaled feature vector as a 1 × F sequence (Keras-like):
  /// conv1D 32 (k 3, same) → BN → ReLU → max-pool 2 → conv1D 64 (k 3, same) → BN → ReLU →
  /// max-pool 2 → flatten → dense 128 → ReLU → dropout 0.4 → dense C.
  case seedCNN
  /// A multilayer perceptron on the scaled feature vector: dense 256 → BN → ReLU → dropout 0.4 →
  /// dense 128 → BN → ReLU → dropout 0.4 → dense C.
  case mlp
  /// A 2-D CNN on log-mel segments (1 × 128 mel bands × 130 frames ≈ 3 s): four blocks of
  /// conv2D 3 × 3 (same; 32, 64, 128, 128 filters) → BN → ReLU → max-pool 2 × 2, then global
  /// average pooling → dropout 0.3 → dense C.
  case melCNN
  /// Linear discriminant analysis with Ledoit–Wolf shrinkage (``LinearDiscriminant``), fitted in
  /// closed form: one dense layer `F → C` whose softmax is the class posterior. Epochs, batch
  /// size, optimiser, learning rate, weight decay, label smoothing and seed do not apply; the fit
  /// is reported as one epoch, and `balancedClassWeights` makes the class priors uniform.
  case lda

  /// The per-sample input shape for `featureCount` input columns (`melCNN` ignores it).
  public func inputShape(featureCount: Int) -> [Int] {
    switch self {
    case .seedCNN: [1, featureCount]
    case .mlp, .lda: [featureCount]
    case .melCNN: [1, 128, 130]
    }
  }

  /// The layer specifications for `classCount` classes.
  public func layers(classCount: Int) -> [LayerSpec] {
    switch self {
    case .seedCNN:
      return [
        .conv1D(filters: 32, kernel: 3, padding: .same, initializer: .heNormal), .batchNorm(), .relu,
        .maxPool1D(size: 2),
        .conv1D(filters: 64, kernel: 3, padding: .same, initializer: .heNormal), .batchNorm(), .relu,
        .maxPool1D(size: 2),
        .flatten, .dense(units: 128, initializer: .heNormal), .relu, .dropout(rate: 0.4),
        .dense(units: classCount),
      ]
    case .mlp:
      return [
        .dense(units: 256, initializer: .heNormal), .batchNorm(), .relu, .dropout(rate: 0.4),
        .dense(units: 128, initializer: .heNormal), .batchNorm(), .relu, .dropout(rate: 0.4),
        .dense(units: classCount),
      ]
    case .melCNN:
      var specs: [LayerSpec] = []
      for filters in [32, 64, 128, 128] {
        specs += [
          .conv2D(filters: filters, kernel: 3, padding: .same, initializer: .heNormal), .batchNorm(), .relu,
          .maxPool2D(size: 2),
        ]
      }
      return specs + [.globalAveragePooling, .dropout(rate: 0.3), .dense(units: classCount)]
    case .lda:
      return [.dense(units: classCount)]
    }
  }
}
