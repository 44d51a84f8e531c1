/// What a ``StreamingClassifier`` emits at every hop: the newest window's prediction, the
/// smoothed running estimate, and a change point when the smoothed top genre changes.
public struct StreamingUpdate: Codable, Sendable, Equatable {
  /// 0 for the first update of the stream, then 1, 2, …
  public var index: Int
  /// The window's samples at the model's rate (``GenrePredictor`` recipe's `sampleRate`),
  /// counted from the start of the stream; `window.start`/`window.end` are the same span in
  /// seconds of the stream.
  public var sampleRange: Range<Int>
  /// The model's prediction for the window alone (probabilities in class order, top label).
  public var window: WindowPrediction
  /// True when the window is shorter than the model's window (the stream has not yet lasted one
  /// window, or it ended first): the statistics then differ from those the model was trained on,
  /// as for ``GenrePrediction/inputShorterThanWindow``.
  public var isPartial: Bool
  /// True for the window ``StreamingClassifier/finish()`` adds to cover the end of the stream.
  public var isFinal: Bool
  /// The running estimate: an exponential moving average of the windows' probabilities (class
  /// order; see ``StreamingConfiguration/smoothingSeconds``).
  public var smoothedProbabilities: [Float]
  /// The smoothed estimate's labels, most probable first.
  public var smoothedRanking: [RankedLabel]
  /// The genre the stream is currently in: the smoothed top label, changed only when another
  /// label leads it by ``StreamingConfiguration/changeMargin``.
  public var currentLabel: String
  /// Set when ``currentLabel`` changed at this update (and at the first update, from `nil`).
  public var change: GenreChange?

  /// An update (built by ``StreamingClassifier``).
  public init(
    index: Int, sampleRange: Range<Int>, window: WindowPrediction, isPartial: Bool, isFinal: Bool,
    smoothedProbabilities: [Float], smoothedRanking: [RankedLabel], currentLabel: String,
    change: GenreChange?
  ) {
    self.index = index
    self.sampleRange = sampleRange
    self.window = window
    self.isPartial = isPartial
    self.isFinal = isFinal
    self.smoothedProbabilities = smoothedProbabilities
    self.smoothedRanking = smoothedRanking
    self.currentLabel = currentLabel
    self.change = change
  }
}

/// A point where the stream's current genre changed.
public struct GenreChange: Codable, Sendable, Equatable {
  /// When the change was detected: the end of the window that caused it, in seconds of the stream.
  public var time: Double
  /// The previous genre, or `nil` at the stream's first update.
  public var from: String?
  /// The new genre.
  public var to: String

  /// A change point.
  public init(time: Double, from: String?, to: String) {
    self.time = time
    self.from = from
    self.to = to
  }
}

/// How a ``StreamingClassifier`` slides its window and smooths its answers.
public struct StreamingConfiguration: Codable, Sendable, Equatable {
  /// Seconds between updates (default 1). Rounded to a whole number of STFT hops of the model's
  /// recipe (512 samples at 22 050 Hz: 1 s becomes 43 × 512 = 22 016 samples ≈ 0.998 s), at
  /// least one, so consecutive windows share one STFT frame grid; see
  /// ``StreamingClassifier/hopLength``.
  public var hopSeconds: Double
  /// The time constant of the running estimate in seconds (default 10): each update moves the
  /// smoothed probabilities towards the window's by `1 − exp(−Δt / smoothingSeconds)`, `Δt` the
  /// time since the previous update. 0 disables smoothing.
  public var smoothingSeconds: Double
  /// How far (in probability) another label must lead the current genre in the smoothed
  /// estimate before the current genre changes (default 0.05): hysteresis against flicker
  /// between two close genres. 0 follows the smoothed top label exactly.
  public var changeMargin: Float
  /// Whether updates are emitted before the stream has lasted one model window (default true):
  /// the window then covers the whole stream so far and is flagged
  /// ``StreamingUpdate/isPartial``. When false the first update comes after one full window
  /// (a stream that ends sooner still gets one final partial update).
  public var emitsPartialWindows: Bool

  /// A configuration; see each property for its meaning and default.
  public init(
    hopSeconds: Double = 1, smoothingSeconds: Double = 10, changeMargin: Float = 0.05,
    emitsPartialWindows: Bool = true
  ) {
    self.hopSeconds = hopSeconds
    self.smoothingSeconds = smoothingSeconds
    self.changeMargin = changeMargin
    self.emitsPartialWindows = emitsPartialWindows
  }
}
