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
    case .value: feature.name
    }
  }
}

/// A quantity computed from audio, named as in the public GTZAN feature table.
public enum FeatureKind: Codable, Sendable, Hashable {
  /// `librosa.feature.chroma_stft` (12 bins, tuning estimated); statistics over all 12 × T values.
  case chromaSTFT
  /// `librosa.feature.rms` per frame.
  case rms
  /// `librosa.feature.spectral_centroid` per frame, in Hz.
  case spectralCentroid
  /// `librosa.feature.spectral_bandwidth` per frame (p = 2), in Hz.
  case spectralBandwidth
  /// `librosa.feature.spectral_rolloff` per frame (roll_percent 0.85), in Hz.
  case spectralRolloff
  /// `librosa.feature.zero_crossing_rate` per frame (frame 2048, hop 512, centred).
  case zeroCrossingRate
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

  /// The GTZAN table's name, e.g. `spectral_centroid`, `perceptr`, `mfcc7`.
  public var name: String {
    switch self {
    case .chromaSTFT: "chroma_stft"
    case .rms: "rms"
    case .spectralCentroid: "spectral_centroid"
    case .spectralBandwidth: "spectral_bandwidth"
    case .spectralRolloff: "rolloff"
    case .zeroCrossingRate: "zero_crossing_rate"
    case .harmonic: "harmony"
    case .percussive: "perceptr"
    case .tempo: "tempo"
    case .mfcc(let n): "mfcc\(n)"
    }
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
}

/// How a signal is cut into analysis windows, in samples at the recipe's rate.
public struct Segmentation: Codable, Sendable, Hashable {
  /// Samples per window.
  public var length: Int
  /// Samples between the starts of consecutive windows.
  public var hop: Int

  /// Creates a segmentation.
  ///
  /// - Precondition: `length > 0` and `hop > 0`.
  public init(length: Int, hop: Int) {
    precondition(length > 0 && hop > 0, "Segmentation needs positive length and hop, got \(length), \(hop)")
    self.length = length
    self.hop = hop
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
    segmentation: Segmentation(length: 66_149, hop: 66_150))
}
