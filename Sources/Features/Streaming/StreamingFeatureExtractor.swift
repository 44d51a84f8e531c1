import DSP

/// Computes a summary recipe's row for windows that slide over a stream, exactly as
/// ``FeatureExtractor/row(of:)`` computes it for the same samples, without recomputing the whole
/// window at every step.
///
/// Feed samples at the recipe's rate with ``append(_:)`` (any chunk size), then ask for the row
/// of any window that ends at or before ``sampleCount`` and starts at or after
/// ``retainedStart`` with ``row(window:)``. Call ``discard(before:)`` once no later window will
/// start before a sample index, so memory stays bounded however long the stream is (about
/// `maximumWindowLength` samples plus the per-frame caches of the same span).
///
/// Windows whose start is a multiple of the recipe's hop length (`hop_length`, 512 for the GTZAN
/// recipes) share the stream's STFT frame grid: their interior frames come from per-frame caches
/// filled once per stream frame, and only what the window's edges touch is recomputed (see
/// Docs/streaming.md for the list). Other windows are computed from their samples in full.
///
/// Equivalence: `row(window: a ..< b)` equals `FeatureExtractor(recipe:).row(of: samples[a ..< b])`
/// up to float rounding (sums in a different order); tested to 1e-5 relative on the `gtzan57`
/// recipe.
///
/// Thread safety: a class with mutable caches, not `Sendable`; use one extractor per stream from
/// one thread or task at a time (``GenreModel``'s `StreamingClassifier` keeps it behind a lock).
public final class StreamingFeatureExtractor {
  /// The summary recipe whose columns ``row(window:)`` computes.
  public let recipe: FeatureRecipe
  /// The longest window ``row(window:)`` accepts, in samples at the recipe's rate.
  public let maximumWindowLength: Int
  let extractor: FeatureExtractor
  /// Retained samples: `samples[0]` is stream sample ``retainedStart``.
  var samples: [Float] = []
  /// The stream index of `samples[0]`.
  public private(set) var retainedStart = 0

  /// A streaming extractor for a summary recipe.
  ///
  /// - Parameters:
  ///   - recipe: a summary recipe (statistics mean, variance, value), e.g. ``FeatureRecipe/gtzan57``.
  ///   - maximumWindowLength: the longest window that will be asked for (default: the recipe's
  ///     segment length), in samples.
  /// - Throws: the recipe errors of ``FeatureExtractor/init(recipe:)``;
  ///   ``FeatureError/invalidRecipe(_:)`` for a per-frame recipe;
  ///   ``FeatureError/invalidParameter(name:value:valid:)`` for a window length outside
  ///   `1...2²⁸`.
  public init(recipe: FeatureRecipe, maximumWindowLength: Int? = nil) throws(FeatureError) {
    let extractor = try FeatureExtractor(recipe: recipe)
    guard !extractor.isFramewise else {
      throw .invalidRecipe("\(recipe.name) is a per-frame recipe: streaming computes summary rows")
    }
    let length = maximumWindowLength ?? recipe.segmentation.length
    guard length >= 1, length <= 1 << 28 else {
      throw .invalidParameter(name: "maximumWindowLength", value: "\(length)", valid: "in 1...2^28")
    }
    self.recipe = recipe
    self.maximumWindowLength = length
    self.extractor = extractor
  }

  /// Samples appended so far (the stream index one past the newest sample).
  public var sampleCount: Int { retainedStart + samples.count }

  /// Samples currently retained (``sampleCount`` − ``retainedStart``).
  public var retainedSampleCount: Int { samples.count }

  /// Appends the next samples of the stream.
  ///
  /// - Parameter chunk: mono samples at the recipe's rate, in [−1, 1].
  /// - Throws: ``FeatureError/nonFiniteSample(index:)`` (index from the stream's start); nothing
  ///   is appended then.
  /// - Complexity: O(chunk) plus the per-frame analysis of the frames the chunk completes.
  public func append(_ chunk: [Float]) throws(FeatureError) {
    if let bad = chunk.firstIndex(where: { !$0.isFinite }) {
      throw .nonFiniteSample(index: sampleCount + bad)
    }
    samples.append(contentsOf: chunk)
  }

  /// Declares that no later window starts before stream sample `index`, freeing what only such
  /// windows would need.
  ///
  /// - Parameter index: a stream sample index (values below ``retainedStart`` do nothing).
  public func discard(before index: Int) {
    let drop = min(index, sampleCount) - retainedStart
    guard drop > 0 else { return }
    samples.removeFirst(drop)
    retainedStart += drop
  }

  /// The recipe's summary row of the stream samples in `window`.
  ///
  /// - Parameter window: stream sample indices, non-empty, inside
  ///   `retainedStart ..< sampleCount`, at most ``maximumWindowLength`` long.
  /// - Returns: ``FeatureRecipe/columns``.count values, as ``FeatureExtractor/row(of:)`` of
  ///   those samples.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for a window outside the
  ///   retained samples or longer than the maximum; the errors of ``FeatureExtractor/row(of:)``.
  public func row(window: Range<Int>) throws(FeatureError) -> [Float] {
    guard !window.isEmpty, window.lowerBound >= retainedStart, window.upperBound <= sampleCount,
      window.count <= maximumWindowLength
    else {
      throw .invalidParameter(
        name: "window", value: "\(window)",
        valid: "a non-empty range inside \(retainedStart)..<\(sampleCount), at most \(maximumWindowLength) samples")
    }
    let slice = Array(samples[(window.lowerBound - retainedStart)..<(window.upperBound - retainedStart)])
    return try extractor.row(of: slice)
  }
}
