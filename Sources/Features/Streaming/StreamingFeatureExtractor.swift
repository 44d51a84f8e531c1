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
/// recipes) and that span at least 120 frames share the stream's STFT frame grid: their interior
/// frames come from per-frame caches filled once per stream frame, and only what the window's
/// edges touch, or what depends on window-wide values (the dB floor, the tuning), is
/// recomputed (see Docs/streaming.md for the list). Other windows, and recipes with features
/// the caches do not hold (spectral contrast, MFCC deltas, the onset envelope as a column) or a
/// front end other than a centred STFT with `n_fft = 4·hop`, are computed from their samples in
/// full.
///
/// Equivalence: `row(window: a ..< b)` equals `FeatureExtractor(recipe:).row(of: samples[a ..< b])`
/// up to float rounding (sums in a different order); on the `gtzan57` recipe the worst relative
/// column difference measured is 9.3e-8 (tests allow 1e-5).
///
/// Thread safety: a class with mutable caches, not `Sendable`; use one extractor per stream from
/// one thread or task at a time (GenreModel's `StreamingClassifier` keeps it behind a lock).
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
  /// Per-frame caches by absolute frame (grid-aligned windows).
  let frames: StreamFrameCache
  /// Memoised tempogram columns.
  let tempogram: TempogramMemo
  /// Whether grid-aligned windows can take the incremental path (centred analysis with
  /// `n_fft = 4·hop`, only the features the caches hold).
  let gridEligible: Bool
  let needsTempo: Bool
  let needsChroma: Bool
  let needsHPSS: Bool
  /// Chroma filterbanks by tuning (at most 100 tunings exist at resolution 0.01).
  var banks: [Double: ChromaFilterbank] = [:]
  /// Set if the caches could not follow the stream (then every window is computed in full).
  var cachesBroken = false
  /// Windows computed incrementally and in full so far (for tests and benchmarks).
  public private(set) var incrementalRowCount = 0
  /// Windows computed from their samples in full so far.
  public private(set) var fullRowCount = 0

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
    let kinds = Set(recipe.columns.map(\.feature))
    let supported = kinds.allSatisfy { kind in
      switch kind {
      case .chromaSTFT, .chroma, .rms, .spectralCentroid, .spectralBandwidth, .spectralRolloff,
        .spectralFlatness, .zeroCrossingRate, .harmonic, .percussive, .tempo, .mfcc:
        true
      case .spectralContrast, .onsetStrength, .mfccDelta: false
      }
    }
    // Windows of fewer than 120 frames (2.8 s at 22 050 Hz) are cheap to compute whole.
    gridEligible =
      supported && recipe.center && recipe.fftSize == 4 * recipe.hopLength
      && 1 + length / recipe.hopLength >= 120
    needsTempo = kinds.contains(.tempo)
    needsChroma = kinds.contains { if case .chroma = $0 { true } else { $0 == .chromaSTFT } }
    needsHPSS = kinds.contains(.harmonic) || kinds.contains(.percussive)
    let mfccCount = kinds.reduce(20) { if case .mfcc(let n) = $1 { max($0, n) } else { $0 } }
    let needsMel = needsTempo || kinds.contains { if case .mfcc = $0 { true } else { false } }
    frames = try StreamFrameCache(
      recipe: recipe, mfccCount: mfccCount, needs: FrameNeeds(
        hpss: needsHPSS, mel: needsMel, peaks: needsChroma, flatness: kinds.contains(.spectralFlatness)))
    tempogram = try TempogramMemo(sampleRate: recipe.sampleRate, hopLength: recipe.hopLength)
  }

  /// The chroma filterbank for `tuning`, built once per tuning.
  func chromaBank(_ tuning: Double) throws(FeatureError) -> ChromaFilterbank {
    if let bank = banks[tuning] { return bank }
    let recipe = self.recipe
    let bank = try dsp { () throws(DSPError) in
      try ChromaFilterbank(sampleRate: recipe.sampleRate, fftSize: recipe.fftSize, chromaCount: 12, tuning: tuning)
    }
    banks[tuning] = bank
    return bank
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
    var keepFrom = min(index, sampleCount)
    guard keepFrom > retainedStart else { return }
    if gridEligible, !cachesBroken {
      // Analyse the frames the samples allow, then keep what the next frame will read.
      do {
        try frames.advance(samples: samples, start: retainedStart)
      } catch {
        cachesBroken = true
      }
      keepFrom = min(keepFrom, max(0, frames.end * recipe.hopLength - recipe.fftSize / 2))
      frames.discard(beforeFrame: index / recipe.hopLength)
      tempogram.discard(before: index / recipe.hopLength)
    }
    let drop = keepFrom - retainedStart
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
    if !cachesBroken, isOnGrid(window) {
      incrementalRowCount += 1
      return try gridRow(window)
    }
    fullRowCount += 1
    let slice = Array(samples[(window.lowerBound - retainedStart)..<(window.upperBound - retainedStart)])
    return try extractor.row(of: slice)
  }
}
