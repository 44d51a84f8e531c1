import DSP

/// Everything needed to recompute a model's inputs from audio: the analysis front end, the
/// features and statistics in column order, and how a signal is cut into windows.
///
/// A recipe travels inside every model bundle (`model.json`), so prediction computes exactly the
/// inputs the model was trained on. Presets: ``gtzan57`` (the public GTZAN table's 57 columns,
/// over 30 s windows) and ``gtzan57ThreeSecond`` (the same columns over 3 s segments).
public struct FeatureRecipe: Codable, Sendable, Hashable {
  /// A short name for reports, e.g. `gtzan57`.
  public var name: String
  /// The rate audio is resampled to before analysis, in Hz (librosa's `sr`, default 22 050).
  public var sampleRate: Int
  /// FFT length in samples (librosa's `n_fft`).
  public var fftSize: Int
  /// Samples between successive STFT frames (librosa's `hop_length`).
  public var hopLength: Int
  /// The analysis window (librosa's `window`), periodic.
  public var window: Window
  /// Whether frames are centred by padding `fftSize / 2` samples at both ends (librosa `center`).
  public var center: Bool
  /// How the signal is extended for centring (librosa `pad_mode`; the GTZAN table used
  /// `reflect`, librosa ≥ 0.10 defaults to `constant`).
  public var padMode: PadMode
  /// The output columns, in order; their names form the CSV header and the model's input order.
  public var columns: [FeatureColumn]
  /// How a signal is cut into windows, each summarised into one row of ``columns``.
  public var segmentation: Segmentation

  /// Creates a recipe; see the presets for typical values.
  public init(
    name: String, sampleRate: Int = 22_050, fftSize: Int = 2_048, hopLength: Int = 512,
    window: Window = .hann, center: Bool = true, padMode: PadMode = .reflect,
    columns: [FeatureColumn], segmentation: Segmentation
  ) {
    self.name = name
    self.sampleRate = sampleRate
    self.fftSize = fftSize
    self.hopLength = hopLength
    self.window = window
    self.center = center
    self.padMode = padMode
    self.columns = columns
    self.segmentation = segmentation
  }

  /// The column names, e.g. `chroma_stft_mean`, in output order.
  public var columnNames: [String] { columns.map(\.name) }
}

/// One output column: a statistic of one feature over a window.
public struct FeatureColumn: Codable, Sendable, Hashable {
  /// The per-frame (or per-sample) quantity.
  public var feature: FeatureKind
  /// How its values over a window are reduced to one number.
  public var statistic: SummaryStatistic

  /// Creates a column.
  public init(_ feature: FeatureKind, _ statistic: SummaryStatistic) {
    self.feature = feature
    self.statistic = statistic
  }

  /// The GTZAN table's name for this column: `<feature>_<mean|var>`, or the bare feature name
  /// for a whole-window value such as `tempo`.
  public var name: String {
    switch statistic {
    case .mean: "\(feature.name)_mean"
    case .variance: "\(feature.name)_var"
    case .value, .frame: feature.name
    }
  }
}

/// A quantity computed from audio, named as in the public GTZAN feature table.
///
/// Encoded in JSON as its ``name`` (e.g. `"rms"`, `"mfcc7"`, `"chroma3"`), so a recipe in a
/// model bundle reads like the table's header.
public enum FeatureKind: Sendable, Hashable {
  /// `librosa.feature.chroma_stft` (12 bins, tuning estimated); statistics over all 12 × T values.
  case chromaSTFT
  /// Pitch class `n` (1-based, C = 1) of `librosa.feature.chroma_stft`, per frame.
  case chroma(Int)
  /// `librosa.feature.rms` per frame.
  case rms
  /// `librosa.feature.spectral_centroid` per frame, in Hz.
  case spectralCentroid
  /// `librosa.feature.spectral_bandwidth` per frame (p = 2), in Hz.
  case spectralBandwidth
  /// `librosa.feature.spectral_rolloff` per frame (roll_percent 0.85), in Hz.
  case spectralRolloff
  /// `librosa.feature.spectral_flatness` per frame (power spectrum, amin 1e-10).
  case spectralFlatness
  /// Band `n` (1-based, 1…7) of `librosa.feature.spectral_contrast` (fmin 200, 6 bands), in dB.
  case spectralContrast(Int)
  /// `librosa.feature.zero_crossing_rate` per frame (frame 2048, hop 512, centred).
  case zeroCrossingRate
  /// `librosa.onset.onset_strength` per frame (median over mel bands, as the tempo path uses).
  case onsetStrength
  /// The harmonic part of HPSS as a time signal (the table's `harmony`).
  case harmonic
  /// The percussive part of HPSS as a time signal (the table's `perceptr`).
  case percussive
  /// The global tempo estimate in BPM (`librosa.feature.tempo` on a median-aggregated onset
  /// envelope); a single value per window.
  case tempo
  /// MFCC coefficient `n` (1-based, as the table's `mfcc1` … `mfcc20`): 20 coefficients of the
  /// dB-scaled 128-band Slaney mel spectrogram, DCT-II ortho.
  case mfcc(Int)
  /// `librosa.feature.delta` (width 9, order 1) of MFCC coefficient `n` (1-based, up to 20).
  case mfccDelta(Int)

  /// The GTZAN table's name, e.g. `spectral_centroid`, `perceptr`, `mfcc7`; for the features the
  /// table lacks: `chroma3`, `spectral_flatness`, `contrast2`, `onset_strength`, `delta_mfcc7`.
  public var name: String {
    switch self {
    case .chromaSTFT: "chroma_stft"
    case .chroma(let n): "chroma\(n)"
    case .rms: "rms"
    case .spectralCentroid: "spectral_centroid"
    case .spectralBandwidth: "spectral_bandwidth"
    case .spectralRolloff: "rolloff"
    case .spectralFlatness: "spectral_flatness"
    case .spectralContrast(let n): "contrast\(n)"
    case .zeroCrossingRate: "zero_crossing_rate"
    case .onsetStrength: "onset_strength"
    case .harmonic: "harmony"
    case .percussive: "perceptr"
    case .tempo: "tempo"
    case .mfcc(let n): "mfcc\(n)"
    case .mfccDelta(let n): "delta_mfcc\(n)"
    }
  }

  /// The kind with this ``name``, or `nil` for an unknown name or an index out of range
  /// (chroma 1…12, contrast 1…7, MFCC 1…20).
  public init?(name: String) {
    let fixed: [String: FeatureKind] = [
      "chroma_stft": .chromaSTFT, "rms": .rms, "spectral_centroid": .spectralCentroid,
      "spectral_bandwidth": .spectralBandwidth, "rolloff": .spectralRolloff,
      "spectral_flatness": .spectralFlatness, "zero_crossing_rate": .zeroCrossingRate,
      "onset_strength": .onsetStrength, "harmony": .harmonic, "perceptr": .percussive, "tempo": .tempo,
    ]
    if let kind = fixed[name] {
      self = kind
      return
    }
    let indexed: [(prefix: String, range: ClosedRange<Int>, make: (Int) -> FeatureKind)] = [
      ("delta_mfcc", 1...20, FeatureKind.mfccDelta), ("mfcc", 1...20, FeatureKind.mfcc),
      ("chroma", 1...12, FeatureKind.chroma), ("contrast", 1...7, FeatureKind.spectralContrast),
    ]
    for entry in indexed where name.hasPrefix(entry.prefix) {
      let digits = name.dropFirst(entry.prefix.count)
      guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
        let n = Int(digits), entry.range.contains(n), String(n) == digits
      else { return nil }
      self = entry.make(n)
      return
    }
    return nil
  }

  /// Whether the feature has one value per STFT frame (so it can appear in a per-frame recipe).
  public var isFramewise: Bool {
    switch self {
    case .chromaSTFT, .harmonic, .percussive, .tempo: false
    default: true
    }
  }
}

extension FeatureKind: Codable {
  /// Decodes a kind from its ``name``.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let name = try container.decode(String.self)
    guard let kind = FeatureKind(name: name) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "unknown feature \"\(name)\" (e.g. rms, mfcc7, chroma3)")
    }
    self = kind
  }

  /// Encodes the kind as its ``name``.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(name)
  }
}

/// A reduction of a feature's values over one window.
public enum SummaryStatistic: String, Codable, Sendable, Hashable {
  /// Arithmetic mean.
  case mean
  /// Population variance (ddof 0), as numpy's `np.var`.
  case variance
  /// The feature's single value for the window (e.g. tempo).
  case value
  /// No reduction: one value per STFT frame (a per-frame recipe such as ``FeatureRecipe/seed``).
  case frame
}

/// How a signal is cut into analysis windows, in samples at the recipe's rate.
///
/// Windows start at `0, hop, 2·hop, …` and have `length` samples; every window lies inside the
/// signal. What happens to the samples after the last full window is the ``tail`` rule. A signal
/// shorter than `length` is summarised whole, as one window (and ``FeatureMatrix`` flags it).
public struct Segmentation: Codable, Sendable, Hashable {
  /// What happens to samples after the last full window.
  public enum TailRule: String, Codable, Sendable, Hashable {
    /// The last window is extended to the end of the signal when fewer than `hop` samples would
    /// be left out (so a 30.6 s GTZAN file is one 30.6 s window, as the public table was made);
    /// a longer remainder starts no window of its own either way, since `hop` slides onward.
    case absorb
    /// Samples after the last full window are ignored (the public 3 s table's rule).
    case drop
  }

  /// Samples per window.
  public var length: Int
  /// Samples between the starts of consecutive windows.
  public var hop: Int
  /// The rule for the samples after the last full window (default ``TailRule/absorb``).
  public var tail: TailRule

  /// Creates a segmentation.
  ///
  /// - Precondition: `length > 0` and `hop > 0`.
  public init(length: Int, hop: Int, tail: TailRule = .absorb) {
    precondition(length > 0 && hop > 0, "Segmentation needs positive length and hop, got \(length), \(hop)")
    self.length = length
    self.hop = hop
    self.tail = tail
  }

  private enum CodingKeys: String, CodingKey { case length, hop, tail }

  /// Decodes a segmentation; a missing `tail` means ``TailRule/absorb``.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    length = try c.decode(Int.self, forKey: .length)
    hop = try c.decode(Int.self, forKey: .hop)
    tail = try c.decodeIfPresent(TailRule.self, forKey: .tail) ?? .absorb
    guard length > 0, hop > 0 else {
      throw DecodingError.dataCorruptedError(
        forKey: .length, in: c, debugDescription: "segment length and hop must be positive")
    }
  }

  /// The `[start, end)` sample ranges of the windows of a signal of `count` samples (see the
  /// type's rules); one window `0 ..< count` when the signal is shorter than ``length``.
  public func windows(signalLength count: Int) -> [Range<Int>] {
    guard count > length else { return [0..<count] }
    let n = 1 + (count - length) / hop
    var ranges = (0..<n).map { $0 * hop ..< $0 * hop + length }
    if tail == .absorb, let last = ranges.last, count - last.upperBound < hop {
      ranges[n - 1] = last.lowerBound ..< count
    }
    return ranges
  }
}

extension FeatureRecipe {
  /// The 57 columns of the public GTZAN table, in its order: chroma, rms, centroid, bandwidth,
  /// rolloff, zero-crossing rate, harmony, perceptr (mean and variance each), tempo, then
  /// MFCC 1–20 (mean and variance each).
  public static let gtzan57Columns: [FeatureColumn] = {
    let framewise: [FeatureKind] = [
      .chromaSTFT, .rms, .spectralCentroid, .spectralBandwidth, .spectralRolloff,
      .zeroCrossingRate, .harmonic, .percussive,
    ]
    var columns = framewise.flatMap { [FeatureColumn($0, .mean), FeatureColumn($0, .variance)] }
    columns.append(FeatureColumn(.tempo, .value))
    for n in 1...20 {
      columns += [FeatureColumn(.mfcc(n), .mean), FeatureColumn(.mfcc(n), .variance)]
    }
    return columns
  }()

  /// The public GTZAN table's recipe over 30 s windows (661 794 samples at 22 050 Hz, the
  /// table's `length`), sliding by 5 s over longer signals.
  public static let gtzan57 = FeatureRecipe(
    name: "gtzan57", columns: gtzan57Columns,
    segmentation: Segmentation(length: 661_794, hop: 110_250))

  /// The public 3 s table's recipe: 66 149-sample segments starting every 66 150 samples
  /// (segment `i` is `y[i·66150 ..< i·66150 + 66149]`, as the table was made).
  public static let gtzan57ThreeSecond = FeatureRecipe(
    name: "gtzan57-3s", columns: gtzan57Columns,
    segmentation: Segmentation(length: 66_149, hop: 66_150, tail: .drop))

  /// The per-frame `seed` columns: MFCC 1–20, chroma 1–12, spectral contrast 1–7, roll-off and
  /// zero-crossing rate (41 values per STFT frame).
  public static let seedColumns: [FeatureColumn] =
    (1...20).map { FeatureColumn(.mfcc($0), .frame) }
    + (1...12).map { FeatureColumn(.chroma($0), .frame) }
    + (1...7).map { FeatureColumn(.spectralContrast($0), .frame) }
    + [FeatureColumn(.spectralRolloff, .frame), FeatureColumn(.zeroCrossingRate, .frame)]

  /// A per-frame recipe (41 columns per STFT frame, see ``seedColumns``) with the GTZAN front end
  /// (22 050 Hz, n_fft 2048, hop 512, reflect padding); windows of 3 s every 1.5 s for models
  /// that read frame sequences.
  public static let seed = FeatureRecipe(
    name: "seed", columns: seedColumns, segmentation: Segmentation(length: 66_150, hop: 33_075))

  /// The presets by name: `gtzan57`, `gtzan57-3s`, `seed`.
  public static let presets: [String: FeatureRecipe] = [
    gtzan57.name: gtzan57, gtzan57ThreeSecond.name: gtzan57ThreeSecond, seed.name: seed,
  ]
}
