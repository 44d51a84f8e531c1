import Foundation
import NeuralNet

/// Batched inference helpers shared by training, evaluation and prediction.
package enum Inference {
  /// Rows per forward pass in inference.
  package static let batchSize = 256

  /// The network's logits for every sample of `inputs` (`[N, C]`), computed in batches.
  package static func scores(_ network: Sequential, _ inputs: Tensor) -> Tensor {
    let n = inputs.shape[0]
    let classes = network.outputShape.reduce(1, *)
    var result: [Float] = []
    result.reserveCapacity(n * classes)
    for start in stride(from: 0, to: n, by: batchSize) {
      result += network.forward(inputs.batch(start..<min(start + batchSize, n)), training: false).scalars
    }
    return Tensor(shape: [n, classes], scalars: result)
  }

  /// The mean of the members' softmax probabilities for every sample of `inputs`.
  package static func probabilities(_ networks: [Sequential], _ inputs: Tensor) -> [[Float]] {
    var total: [[Float]]? = nil
    for network in networks {
      let p = probabilities(scores(network, inputs))
      if let sum = total {
        total = zip(sum, p).map { zip($0, $1).map { $0 + $1 } }
      } else {
        total = p
      }
    }
    let n = Float(networks.count)
    return (total ?? []).map { $0.map { $0 / n } }
  }

  /// Row-wise softmax of `[N, C]` logits, as `[N][C]` probabilities (computed in Double).
  package static func probabilities(_ logits: Tensor) -> [[Float]] {
    let (n, c) = (logits.shape[0], logits.shape[1])
    return (0..<n).map { row in
      let z = logits.scalars[(row * c)..<((row + 1) * c)]
      let top = z.max() ?? 0
      let e = z.map { exp(Double($0 - top)) }
      let sum = e.reduce(0, +)
      return e.map { Float($0 / sum) }
    }
  }

  /// The index of the largest logit of row `row` (first on ties).
  package static func argmax(_ logits: Tensor, row: Int) -> Int {
    let c = logits.shape[1]
    var best = 0
    for j in 1..<c where logits.scalars[row * c + j] > logits.scalars[row * c + best] { best = j }
    return best
  }

  /// Mean cross-entropy of `[N, C]` logits against `labels` (no smoothing, unweighted).
  package static func crossEntropy(_ logits: Tensor, labels: [Int]) -> Double {
    let c = logits.shape[1]
    var total = 0.0
    for (row, label) in labels.enumerated() {
      let z = logits.scalars[(row * c)..<((row + 1) * c)].map(Double.init)
      let top = z.max() ?? 0
      total += top + log(z.reduce(0) { $0 + exp($1 - top) }) - z[label]
    }
    return labels.isEmpty ? 0 : total / Double(labels.count)
  }

  /// Accuracy of the argmax of `[N, C]` logits.
  package static func accuracy(_ logits: Tensor, labels: [Int]) -> Double {
    guard !labels.isEmpty else { return 0 }
    var correct = 0
    for (row, label) in labels.enumerated() where argmax(logits, row: row) == label { correct += 1 }
    return Double(correct) / Double(labels.count)
  }

  /// `network`'s mean cross-entropy (no smoothing) and accuracy on `samples`, in inference mode.
  package static func lossAndAccuracy(_ network: Sequential, on samples: LabeledSamples) -> (loss: Double, accuracy: Double) {
    let logits = scores(network, samples.inputs)
    return (crossEntropy(logits, labels: samples.labels), accuracy(logits, labels: samples.labels))
  }
}
