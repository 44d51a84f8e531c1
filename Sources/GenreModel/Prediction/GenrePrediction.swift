/// A label with its probability.
public struct RankedLabel: Codable, Sendable, Equatable {
  /// The genre label.
  public var label: String
  /// Its probability in [0, 1].
  public var probability: Float

  /// A ranked label.
  public init(label: String, probability: Float) {
    self.label = label
    self.probability = probability
  }
}

/// The model's answer for one window of audio.
public struct WindowPrediction: Codable, Sendable, Equatable {
  /// Start of the window in seconds from the beginning of the input.
  public var start: Double
  /// End of the window in seconds.
  public var end: Double
  /// Probabilities in the model's class-index order.
  public var probabilities: [Float]
  /// The window's most probable label (first in class order on ties); empty until the window
  /// is part of a ``GenrePrediction``, which names it from the model's labels.
  public var label: String

  /// A window's prediction; ``label`` is filled in by ``GenrePrediction/init(labels:timeline:inputShorterThanWindow:)``.
  public init(start: Double, end: Double, probabilities: [Float]) {
    self.start = start
    self.end = end
    self.probabilities = probabilities
    self.label = ""
  }

  /// The index of the largest probability (first on ties).
  var topIndex: Int {
    var best = 0
    for k in probabilities.indices where probabilities[k] > probabilities[best] { best = k }
    return best
  }
}

/// A song-level answer: the mean of the windows' probabilities, ranked, plus the timeline.
public struct GenrePrediction: Codable, Sendable, Equatable {
  /// The model's labels in class-index order (the order of every window's probabilities).
  public var labels: [String]
  /// Every label with its mean probability, most probable first (ties keep class order).
  public var ranked: [RankedLabel]
  /// The per-window predictions in time order (one entry for a single summary row), each with
  /// its top label.
  public var timeline: [WindowPrediction]
  /// True when the input was shorter than the model's window and was classified whole; the
  /// summary statistics then differ from those the model was trained on, so trust it less.
  public var inputShorterThanWindow: Bool

  /// The most probable label.
  public var label: String { ranked[0].label }

  /// Aggregates `timeline` (non-empty) over `labels` into a ranked answer.
  ///
  /// - Precondition: the timeline is non-empty and each window has one probability per label.
  public init(labels: [String], timeline: [WindowPrediction], inputShorterThanWindow: Bool = false) {
    precondition(!timeline.isEmpty, "a prediction needs at least one window")
    precondition(timeline.allSatisfy { $0.probabilities.count == labels.count }, "probabilities vs \(labels.count) labels")
    var mean = [Double](repeating: 0, count: labels.count)
    for window in timeline { for (k, p) in window.probabilities.enumerated() { mean[k] += Double(p) } }
    let n = Double(timeline.count)
    ranked = labels.indices
      .map { RankedLabel(label: labels[$0], probability: Float(mean[$0] / n)) }
      .enumerated().sorted { $0.element.probability > $1.element.probability || ($0.element.probability == $1.element.probability && $0.offset < $1.offset) }
      .map(\.element)
    self.labels = labels
    self.timeline = timeline.map { window in
      var named = window
      named.label = labels[window.topIndex]
      return named
    }
    self.inputShorterThanWindow = inputShorterThanWindow
  }
}
