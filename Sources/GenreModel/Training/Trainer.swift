import Foundation
import NeuralNet

/// One epoch's numbers, reported to the progress callback and kept as the learning curve.
public struct EpochProgress: Codable, Sendable, Equatable {
  /// 1-based epoch number.
  public var epoch: Int
  /// Total epochs configured.
  public var epochs: Int
  /// Mean training loss over the epoch's mini-batches (training mode: dropout on, smoothing on).
  public var loss: Double
  /// Training accuracy of the epoch's mini-batch predictions (training mode).
  public var accuracy: Double
  /// Validation loss (inference mode, no smoothing), when a validation set was given.
  public var validationLoss: Double?
  /// Validation accuracy, when a validation set was given.
  public var validationAccuracy: Double?
  /// The learning rate used in this epoch.
  public var learningRate: Double
  /// Seconds since training started.
  public var elapsed: Double
  /// Estimated seconds until the configured epochs are done.
  public var estimatedRemaining: Double
}

/// The outcome of ``Trainer/train(_:validation:classCount:progress:)``.
public struct TrainingResult {
  /// The trained network (best epoch's weights when `restoreBest`).
  public var network: Sequential
  /// Per-epoch numbers.
  public var history: [EpochProgress]
  /// The 1-based epoch whose weights `network` holds.
  public var bestEpoch: Int
}

/// Mini-batch training of a ``TrainingConfiguration``'s network on ``LabeledSamples``.
///
/// Deterministic for a given seed on one compute thread (`ComputeThreads.set(1)`): weights,
/// dropout masks and the shuffling order all derive from `configuration.seed`.
public struct Trainer: Sendable {
  /// The run's configuration.
  public var configuration: TrainingConfiguration

  /// A trainer for `configuration`.
  public init(configuration: TrainingConfiguration) {
    self.configuration = configuration
  }

  /// Trains a fresh network of the preset on `training`, watching `validation` if given.
  ///
  /// - Parameters:
  ///   - training: scaled inputs shaped as the preset's input.
  ///   - validation: optional held-out samples for early stopping, best-epoch choice and curves.
  ///   - classCount: the number of classes (output units).
  ///   - progress: called after every epoch.
  /// - Throws: `ModelError.invalidArgument` for a bad configuration, `.emptyDataset`, `.network`
  ///   for an architecture that does not fit the inputs, `.diverged` when the loss becomes non-finite.
  public func train(
    _ training: LabeledSamples, validation: LabeledSamples? = nil, classCount: Int,
    progress: (EpochProgress) -> Void = { _ in }
  ) throws(ModelError) -> TrainingResult {
    let config = configuration
    try config.validate()
    guard training.count > 0 else { throw .emptyDataset(reason: "no training rows") }
    guard classCount > 1 else { throw .invalidArgument(name: "classes", reason: "\(classCount); need at least 2") }
    if config.preset == .lda {
      return try fitInClosedForm(training, validation: validation, classCount: classCount, progress: progress)
    }
    let inputShape = Array(training.inputs.shape.dropFirst())
    let network: Sequential
    let loss: SoftmaxCrossEntropy
    do {
      network = try Sequential(
        inputShape: inputShape, specs: config.preset.layers(classCount: classCount), seed: config.seed)
      loss = try SoftmaxCrossEntropy(
        labelSmoothing: config.labelSmoothing,
        classWeights: config.balancedClassWeights ? Self.balancedWeights(training.labels, classCount) : nil)
    } catch {
      throw .network(error)
    }
    let optimizer = config.makeOptimizer()
    var generator = SeededGenerator(seed: config.seed ^ 0x5EED_5A3F_1E00_0001)
    var order = Array(0..<training.count)
    var history: [EpochProgress] = []
    var best: (epoch: Int, loss: Double, accuracy: Double, weights: [String: Tensor])?
    let start = Date()
    for epoch in 0..<config.epochs {
      let rate = config.learningRate(epoch: epoch)
      switch optimizer {
      case let adam as Adam: adam.learningRate = rate
      case let sgd as SGD: sgd.learningRate = rate
      default: break
      }
      generator.shuffle(&order)
      var lossSum = 0.0
      var correct = 0
      for batchStart in stride(from: 0, to: order.count, by: config.batchSize) {
        let indices = Array(order[batchStart..<min(batchStart + config.batchSize, order.count)])
        let input = training.inputs.gathering(indices)
        let labels = indices.map { training.labels[$0] }
        network.zeroGradients()
        let logits = network.forward(input, training: true)
        let value: Float
        let gradient: Tensor
        do {
          (value, gradient) = try loss.evaluate(logits: logits, labels: labels)
        } catch {
          throw .network(error)
        }
        guard value.isFinite else { throw .diverged(epoch: epoch + 1) }
        network.backward(gradient)
        let parameters = network.trainableParameters
        if let maximum = config.maximumGradientNorm { clipGradientNorm(parameters, maximumNorm: maximum) }
        optimizer.step(parameters)
        lossSum += Double(value) * Double(indices.count)
        for (row, label) in labels.enumerated() where Inference.argmax(logits, row: row) == label { correct += 1 }
      }
      var record = EpochProgress(
        epoch: epoch + 1, epochs: config.epochs, loss: lossSum / Double(training.count),
        accuracy: Double(correct) / Double(training.count), validationLoss: nil, validationAccuracy: nil,
        learningRate: Double(rate), elapsed: 0, estimatedRemaining: 0)
      if let validation {
        (record.validationLoss, record.validationAccuracy) = Inference.lossAndAccuracy(network, on: validation)
      }
      let elapsed = Date().timeIntervalSince(start)
      record.elapsed = elapsed
      record.estimatedRemaining = elapsed / Double(epoch + 1) * Double(config.epochs - epoch - 1)
      history.append(record)
      progress(record)
      if let vLoss = record.validationLoss, let vAccuracy = record.validationAccuracy {
        let improved: Bool
        if let best {
          switch config.monitor {
          case .validationLoss: improved = vLoss < best.loss
          case .validationAccuracy:
            improved = vAccuracy > best.accuracy || (vAccuracy == best.accuracy && vLoss < best.loss)
          }
        } else {
          improved = true
        }
        if improved {
          best = (epoch + 1, vLoss, vAccuracy, config.restoreBest ? network.stateDictionary() : [:])
        } else if let patience = config.patience, let best, epoch + 1 - best.epoch >= patience {
          break
        }
      }
    }
    if config.restoreBest, let best {
      do { try network.load(best.weights) } catch { throw .network(error) }
      return TrainingResult(network: network, history: history, bestEpoch: best.epoch)
    }
    return TrainingResult(network: network, history: history, bestEpoch: history.count)
  }

  /// sklearn's "balanced" weights `n / (C · n_c)` (0 for an absent class).
  static func balancedWeights(_ labels: [Int], _ classCount: Int) -> [Float] {
    var counts = [Int](repeating: 0, count: classCount)
    for label in labels { counts[label] += 1 }
    return counts.map { $0 == 0 ? 0 : Float(labels.count) / Float(classCount * $0) }
  }
}

extension Trainer {
  /// The ``ArchitecturePreset/lda`` preset: a ``LinearDiscriminant`` fitted in one pass, reported
  /// as epoch 1 of 1 (training and validation loss without label smoothing). Class priors are the
  /// training frequencies, or uniform with `balancedClassWeights`; the optimiser settings do not apply.
  private func fitInClosedForm(
    _ training: LabeledSamples, validation: LabeledSamples?, classCount: Int, progress: (EpochProgress) -> Void
  ) throws(ModelError) -> TrainingResult {
    let start = Date()
    let model = try LinearDiscriminant(
      fitting: training, classCount: classCount, uniformPriors: configuration.balancedClassWeights)
    let network = try model.network()
    let fit = Inference.lossAndAccuracy(network, on: training)
    var record = EpochProgress(
      epoch: 1, epochs: 1, loss: fit.loss, accuracy: fit.accuracy, validationLoss: nil, validationAccuracy: nil,
      learningRate: 0, elapsed: 0, estimatedRemaining: 0)
    if let validation {
      (record.validationLoss, record.validationAccuracy) = Inference.lossAndAccuracy(network, on: validation)
    }
    record.elapsed = Date().timeIntervalSince(start)
    progress(record)
    return TrainingResult(network: network, history: [record], bestEpoch: 1)
  }
}
