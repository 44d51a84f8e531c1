import DSP

/// A reusable plan that computes a ``FeatureRecipe``'s columns from audio.
///
/// All features of one window share one STFT: the complex spectrum (only when HPSS is needed),
/// its power and magnitude, one mel spectrogram (MFCC, deltas and the onset envelope for tempo)
/// and one chroma projection. Filterbanks and FFT plans are built once, in ``init(recipe:)``;
/// the value is immutable and `Sendable`, so one extractor serves many threads (each call
/// allocates its own scratch).
///
/// Two shapes of output:
/// - summary recipes (statistics ``SummaryStatistic/mean``, ``SummaryStatistic/variance``,
///   ``SummaryStatistic/value``): ``summaries(of:sampleRate:)`` gives one row per window of
///   ``FeatureRecipe/segmentation`` and ``row(of:)`` one window's row;
/// - per-frame recipes (every column ``SummaryStatistic/frame``, e.g. ``FeatureRecipe/seed``):
///   ``frames(of:sampleRate:)`` gives one row per STFT frame.
public struct FeatureExtractor: Sendable {
  /// The recipe this plan computes.
  public let recipe: FeatureRecipe
  let stft: ShortTimeFourierTransform
  let mel: MelFilterbank?
  let dct: DiscreteCosineTransform?
  let needs: Needs
  let isFramewise: Bool

  /// What a recipe needs computed.
  struct Needs: OptionSet, Sendable {
    let rawValue: Int
    static let complex = Needs(rawValue: 1)
    static let logMel = Needs(rawValue: 4)
    static let mfcc = Needs(rawValue: 8)
    static let chroma = Needs(rawValue: 16)
    static let contrast = Needs(rawValue: 32)
  }

  /// Builds the plan, validating every recipe parameter.
  ///
  /// - Parameter recipe: the analysis front end, columns and segmentation.
  /// - Throws: ``FeatureError/invalidSampleRate(_:)``, ``FeatureError/invalidParameter(name:value:valid:)``
  ///   (n_fft odd or < 2, hop < 1, a window longer than 2²⁸ samples, …),
  ///   ``FeatureError/invalidRecipe(_:)`` (no columns, per-frame mixed with summary columns, a
  ///   statistic that does not fit its feature, an index out of range, contrast bands above
  ///   Nyquist).
  public init(recipe: FeatureRecipe) throws(FeatureError) {
    guard recipe.sampleRate > 0, recipe.sampleRate <= 768_000 else {
      throw .invalidSampleRate(recipe.sampleRate)
    }
    guard recipe.fftSize >= 2, recipe.fftSize % 2 == 0, recipe.fftSize <= 1 << 16 else {
      throw .invalidParameter(name: "n_fft", value: "\(recipe.fftSize)", valid: "even, in 2...65536")
    }
    guard recipe.hopLength >= 1, recipe.hopLength <= recipe.fftSize * 64 else {
      throw .invalidParameter(name: "hop_length", value: "\(recipe.hopLength)", valid: ">= 1")
    }
    guard recipe.segmentation.length >= 1, recipe.segmentation.length <= 1 << 28,
      recipe.segmentation.hop >= 1
    else {
      throw .invalidParameter(
        name: "segmentation", value: "\(recipe.segmentation.length)/\(recipe.segmentation.hop)",
        valid: "length in 1...2^28 and hop >= 1")
    }
    guard !recipe.columns.isEmpty else { throw .invalidRecipe("it has no columns") }
    let framewise = recipe.columns.filter { $0.statistic == .frame }.count
    guard framewise == 0 || framewise == recipe.columns.count else {
      throw .invalidRecipe("per-frame columns cannot be mixed with summary columns")
    }
    var needs: Needs = []
    var mfccCount = 0
    for column in recipe.columns {
      let kind = column.feature
      switch (kind, column.statistic) {
      case (.tempo, .value): break
      case (.tempo, _), (_, .value):
        throw .invalidRecipe("\(column.name): only tempo has a single value per window, and it has no other")
      case (_, .frame) where !kind.isFramewise:
        throw .invalidRecipe("\(kind.name) has no per-frame values")
      default: break
      }
      switch kind {
      case .chroma(let n) where !(1...12).contains(n),
        .spectralContrast(let n) where !(1...7).contains(n),
        .mfcc(let n) where !(1...128).contains(n),
        .mfccDelta(let n) where !(1...128).contains(n):
        throw .invalidRecipe("\(kind.name): index out of range")
      default: break
      }
      switch kind {
      case .harmonic, .percussive: needs.insert(.complex)
      case .spectralCentroid, .spectralBandwidth, .spectralRolloff: break
      case .spectralContrast: needs.insert(.contrast)
      case .chromaSTFT, .chroma: needs.insert(.chroma)
      case .onsetStrength, .tempo: needs.insert(.logMel)
      case .mfcc(let n), .mfccDelta(let n):
        needs.formUnion([.logMel, .mfcc])
        mfccCount = max(mfccCount, n)
      case .rms, .zeroCrossingRate, .spectralFlatness: break
      }
    }
    if needs.contains(.contrast), Double(recipe.sampleRate) / 2 <= 200 * 32 {
      throw .invalidRecipe("spectral contrast's top band edge (6400 Hz) needs a rate above 12 800 Hz")
    }
    self.recipe = recipe
    self.needs = needs
    self.isFramewise = framewise > 0
    stft = try dsp { () throws(DSPError) in
      try ShortTimeFourierTransform(
        fftSize: recipe.fftSize, hopLength: recipe.hopLength, window: recipe.window,
        center: recipe.center, padMode: recipe.padMode)
    }
    if needs.contains(.logMel) {
      mel = try dsp { () throws(DSPError) in
        try MelFilterbank(sampleRate: recipe.sampleRate, fftSize: recipe.fftSize, melCount: 128)
      }
    } else {
      mel = nil
    }
    if needs.contains(.mfcc) {
      dct = try dsp { () throws(DSPError) in
        try DiscreteCosineTransform(inputCount: 128, outputCount: max(20, mfccCount))
      }
    } else {
      dct = nil
    }
  }

  // MARK: Summaries

  /// One summary row per window of the recipe's segmentation.
  ///
  /// Samples at another rate are first resampled to the recipe's rate (`DSP.Resampler`, as
  /// `librosa.resample`'s default `soxr_hq`). Windows follow ``Segmentation/windows(signalLength:)``:
  /// full windows every `hop`; with ``Segmentation/TailRule/absorb`` the last one runs to the end
  /// of the signal; a signal shorter than one window is one window
  /// (``FeatureMatrix/isShorterThanWindow``).
  ///
  /// - Parameters:
  ///   - samples: mono samples in [−1, 1].
  ///   - sampleRate: their rate in Hz.
  /// - Returns: `windows × columns` values with the windows' spans in seconds.
  /// - Throws: ``FeatureError/emptySignal``, ``FeatureError/nonFiniteSample(index:)``,
  ///   ``FeatureError/invalidSampleRate(_:)``, ``FeatureError/invalidRecipe(_:)`` for a per-frame
  ///   recipe, ``FeatureError/signalTooShort(length:required:feature:)`` (deltas need 9 frames).
  /// - Complexity: O(samples × (log n_fft + HPSS kernel)) per window.
  public func summaries(of samples: [Float], sampleRate: Int) throws(FeatureError) -> FeatureMatrix {
    guard !isFramewise else {
      throw .invalidRecipe("\(recipe.name) is a per-frame recipe: use frames(of:sampleRate:)")
    }
    let signal = try prepare(samples, sampleRate: sampleRate)
    let windows = recipe.segmentation.windows(signalLength: signal.count)
    var values: [Float] = []
    values.reserveCapacity(windows.count * recipe.columns.count)
    let rate = Double(recipe.sampleRate)
    for window in windows {
      values += try summaryRow(Array(signal[window]))
    }
    return FeatureMatrix(
      rowCount: windows.count, columnNames: recipe.columnNames, values: values,
      spans: windows.map { Double($0.lowerBound) / rate ..< Double($0.upperBound) / rate },
      isShorterThanWindow: signal.count < recipe.segmentation.length)
  }

  /// One window's summary row: the recipe's columns, in order, over the whole of `window`.
  ///
  /// This is the table recipe applied to one slice: `gtzan57` on a whole GTZAN file gives the
  /// public table's row; on `y[i·66150 ..< i·66150 + 66149]` the 3 s table's row `i`.
  ///
  /// - Parameter window: mono samples at the recipe's rate.
  /// - Returns: ``FeatureRecipe/columns``.count values.
  /// - Throws: as ``summaries(of:sampleRate:)``.
  public func row(of window: [Float]) throws(FeatureError) -> [Float] {
    guard !isFramewise else {
      throw .invalidRecipe("\(recipe.name) is a per-frame recipe: use frames(of:sampleRate:)")
    }
    try validate(window)
    return try summaryRow(window)
  }

  // MARK: Frames

  /// One row per STFT frame of the whole signal, for a per-frame recipe such as
  /// ``FeatureRecipe/seed`` (no segmentation: cut the rows as needed, frame `t` is centred on
  /// sample `t·hop`).
  ///
  /// - Parameters:
  ///   - samples: mono samples in [−1, 1].
  ///   - sampleRate: their rate in Hz (resampled to the recipe's rate first).
  /// - Returns: `frames × columns` values; spans are each frame's centre ± half a hop.
  /// - Throws: as ``summaries(of:sampleRate:)``; ``FeatureError/invalidRecipe(_:)`` for a
  ///   summary recipe.
  public func frames(of samples: [Float], sampleRate: Int) throws(FeatureError) -> FeatureMatrix {
    guard isFramewise else {
      throw .invalidRecipe("\(recipe.name) is a summary recipe: use summaries(of:sampleRate:)")
    }
    // A centred STFT scans the samples for non-finite values before anything else and throws
    // the same errors in the same order, so without resampling the scan is left to it.
    let signal =
      sampleRate == recipe.sampleRate && recipe.center ? samples : try prepare(samples, sampleRate: sampleRate)
    let computed = try analyse(signal)
    let frames = computed.frameCount
    let columns = recipe.columns.count
    let values = [Float](unsafeUninitializedCapacity: frames * columns) { out, initialized in
      for (c, column) in recipe.columns.enumerated() {
        computed.copySeries(column.feature, into: out.baseAddress! + c, stride: columns, count: frames)
      }
      initialized = frames * columns
    }
    let rate = Double(recipe.sampleRate)
    let hop = Double(recipe.hopLength)
    let offset = recipe.center ? 0 : Double(recipe.fftSize) / 2
    let spans = (0..<frames).map { t in
      (Double(t) * hop + offset - hop / 2) / rate ..< (Double(t) * hop + offset + hop / 2) / rate
    }
    return FeatureMatrix(
      rowCount: frames, columnNames: recipe.columnNames, values: values, spans: spans,
      isShorterThanWindow: false)
  }

  // MARK: Internals

  /// Validates and resamples to the recipe's rate.
  func prepare(_ samples: [Float], sampleRate: Int) throws(FeatureError) -> [Float] {
    guard sampleRate > 0, sampleRate <= 768_000 else { throw .invalidSampleRate(sampleRate) }
    try validate(samples)
    if sampleRate == recipe.sampleRate { return samples }
    let resampler = try dsp { () throws(DSPError) in try Resampler(from: sampleRate, to: recipe.sampleRate) }
    let out = try dsp { () throws(DSPError) in try resampler.resample(samples) }
    guard !out.isEmpty else { throw .emptySignal }
    return out
  }

  func validate(_ samples: [Float]) throws(FeatureError) {
    // DSP's vector scan (a scalar isFinite loop took 0.35 ms per 30 s clip), same errors.
    do {
      try samples.withUnsafeBufferPointer { (p) throws(DSPError) in try DSPError.validate(p) }
    } catch .nonFiniteSample(let index) {
      throw .nonFiniteSample(index: index)
    } catch .emptySignal {
      throw .emptySignal
    } catch {
      throw .dsp(error)
    }
  }

  func summaryRow(_ window: [Float]) throws(FeatureError) -> [Float] {
    let computed = try analyse(window)
    return recipe.columns.map { column in
      switch column.statistic {
      case .value: Float(computed.tempo ?? .nan)
      case .mean: Float(Self.mean(computed.series(column.feature)))
      case .variance: Float(Self.variance(computed.series(column.feature)))
      case .frame: .nan  // unreachable: rejected in init
      }
    }
  }

  /// The mean in `Double`, summed in four interleaved partial sums (a single running sum is
  /// bound by the add latency on the 661 500-sample HPSS signals).
  static func mean(_ x: [Float]) -> Double {
    guard !x.isEmpty else { return .nan }
    return x.withUnsafeBufferPointer { p in
      var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
      var i = 0
      while i + 4 <= p.count {
        s0 += Double(p[i])
        s1 += Double(p[i + 1])
        s2 += Double(p[i + 2])
        s3 += Double(p[i + 3])
        i += 4
      }
      while i < p.count {
        s0 += Double(p[i])
        i += 1
      }
      return ((s0 + s1) + (s2 + s3)) / Double(p.count)
    }
  }

  /// Population variance (ddof 0), two-pass in `Double`, as `np.var` (four partial sums).
  static func variance(_ x: [Float]) -> Double {
    guard !x.isEmpty else { return .nan }
    let m = mean(x)
    return x.withUnsafeBufferPointer { p in
      var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
      var i = 0
      while i + 4 <= p.count {
        let d0 = Double(p[i]) - m
        let d1 = Double(p[i + 1]) - m
        let d2 = Double(p[i + 2]) - m
        let d3 = Double(p[i + 3]) - m
        s0 += d0 * d0
        s1 += d1 * d1
        s2 += d2 * d2
        s3 += d3 * d3
        i += 4
      }
      while i < p.count {
        let d = Double(p[i]) - m
        s0 += d * d
        i += 1
      }
      return ((s0 + s1) + (s2 + s3)) / Double(p.count)
    }
  }

  /// The magnitude spectrogram from a power one (`√` of every value), written into a fresh
  /// array (not a copy of `power` then overwritten).
  static func squareRoots(_ power: Spectrogram) -> Spectrogram {
    let values = power.values.withUnsafeBufferPointer { p in
      [Float](unsafeUninitializedCapacity: p.count) { v, initialized in
        for i in 0..<p.count { v[i] = p[i].squareRoot() }
        initialized = p.count
      }
    }
    return Spectrogram(frameCount: power.frameCount, binCount: power.binCount, values: values)
  }

  /// Everything the recipe needs from one window.
  func analyse(_ x: [Float]) throws(FeatureError) -> Analysis {
    let kinds = Set(recipe.columns.map(\.feature))
    var result = Analysis()
    var power: Spectrogram
    var magnitude: Spectrogram?
    if needs.contains(.complex) {
      // One pass: the spectrum, |D|² and |D| of each row while it is in cache (HPSS's median
      // filters and the magnitude features share |D|).
      let (complex, spectrumPower, m) = try dsp { () throws(DSPError) in try stft.complexWithPower(x) }
      power = spectrumPower
      magnitude = m
      // librosa.istft without a target length, then fix_length to len(y): the table's recipe.
      let (h, p) = try FrameFeatures.harmonicPercussiveSignals(complex, magnitude: m, transform: stft, signal: x)
      if kinds.contains(.harmonic) { result.perSample[.harmonic] = h.fixedLength(x.count) }
      if kinds.contains(.percussive) { result.perSample[.percussive] = p.fixedLength(x.count) }
    } else {
      power = try dsp { () throws(DSPError) in try stft.power(x) }
    }
    result.frameCount = power.frameCount
    // A magnitude spectrogram is stored only for centroid and bandwidth (and HPSS, above);
    // roll-off and contrast take square roots of the power per group of frames.
    if magnitude == nil, kinds.contains(.spectralCentroid) || kinds.contains(.spectralBandwidth) {
      magnitude = Self.squareRoots(power)
    }
    let rate = recipe.sampleRate
    let hop = recipe.hopLength
    let n = recipe.fftSize
    for kind in kinds {
      switch kind {
      case .rms:
        result.perFrame[kind] = try FrameFeatures.rms(
          x, frameLength: n, hopLength: hop, center: recipe.center, padMode: recipe.padMode)
      case .zeroCrossingRate:
        result.perFrame[kind] = try FrameFeatures.zeroCrossingRate(
          x, frameLength: n, hopLength: hop, center: recipe.center)
      case .spectralCentroid where result.perFrame[kind] == nil, .spectralBandwidth:
        let centroid = result.perFrame[.spectralCentroid]
          ?? FrameFeatures.spectralCentroid(magnitude: magnitude!, sampleRate: rate)
        result.perFrame[.spectralCentroid] = centroid
        if kind == .spectralBandwidth {
          result.perFrame[kind] = try FrameFeatures.spectralBandwidth(
            magnitude: magnitude!, sampleRate: rate, centroid: centroid)
        }
      case .spectralRolloff where !(magnitude == nil && needs.contains(.contrast)):
        result.perFrame[kind] = try FrameFeatures.spectralRolloff(
          magnitude ?? power, isPower: magnitude == nil, sampleRate: rate)
      case .spectralFlatness:
        result.perFrame[kind] = try FrameFeatures.spectralFlatness(power: power)
      default: break
      }
    }
    if needs.contains(.chroma) {
      result.chroma = try FrameFeatures.chroma(power: power, sampleRate: rate)
    }
    if needs.contains(.contrast) {
      if magnitude == nil, kinds.contains(.spectralRolloff) {
        // One pass of square roots over the power for both.
        let (rolloff, contrast) = try FrameFeatures.spectralRolloffAndContrast(power: power, sampleRate: rate)
        result.perFrame[.spectralRolloff] = rolloff
        result.contrast = contrast
      } else {
        result.contrast = try FrameFeatures.spectralContrast(
          magnitude ?? power, isPower: magnitude == nil, sampleRate: rate)
      }
    }
    if needs.contains(.logMel), let mel {
      let logMel = try FrameFeatures.logMelSpectrogram(power: power, filterbank: mel)
      if needs.contains(.mfcc), let dct {
        let mfcc = try FrameFeatures.mfcc(logMel: logMel, transform: dct)
        result.mfcc = mfcc
        if kinds.contains(where: { if case .mfccDelta = $0 { true } else { false } }) {
          result.delta = try FrameFeatures.delta(mfcc)
        }
      }
      if kinds.contains(.onsetStrength) || kinds.contains(.tempo) {
        let onset = FrameFeatures.onsetStrength(
          logMel: logMel, fftSize: n, hopLength: hop, aggregate: .median)
        result.perFrame[.onsetStrength] = onset
        if kinds.contains(.tempo) {
          result.tempo = try FrameFeatures.tempo(onsetEnvelope: onset, sampleRate: rate, hopLength: hop)
        }
      }
    }
    return result
  }
}

/// The computed features of one window (internal).
struct Analysis {
  var frameCount = 0
  var perFrame: [FeatureKind: [Float]] = [:]
  var perSample: [FeatureKind: [Float]] = [:]
  var chroma: Spectrogram?
  var contrast: Spectrogram?
  var mfcc: Spectrogram?
  var delta: Spectrogram?
  var tempo: Double?

  /// The values a column's statistic runs over.
  func series(_ kind: FeatureKind) -> [Float] {
    switch kind {
    case .chromaSTFT: chroma?.values ?? []
    case .chroma(let n): chroma.map { Self.column($0, n - 1) } ?? []
    case .spectralContrast(let n): contrast.map { Self.column($0, n - 1) } ?? []
    case .mfcc(let n): mfcc.map { Self.column($0, n - 1) } ?? []
    case .mfccDelta(let n): delta.map { Self.column($0, n - 1) } ?? []
    case .harmonic, .percussive: perSample[kind] ?? []
    case .tempo: tempo.map { [Float($0)] } ?? []
    default: perFrame[kind] ?? []
    }
  }

  /// Writes the first `count` values of ``series(_:)`` to `out[0]`, `out[stride]`, …, reading
  /// matrix columns in place (no array per column).
  func copySeries(_ kind: FeatureKind, into out: UnsafeMutablePointer<Float>, stride: Int, count: Int) {
    let matrix: Spectrogram?
    let c: Int
    switch kind {
    case .chroma(let n): (matrix, c) = (chroma, n - 1)
    case .spectralContrast(let n): (matrix, c) = (contrast, n - 1)
    case .mfcc(let n): (matrix, c) = (mfcc, n - 1)
    case .mfccDelta(let n): (matrix, c) = (delta, n - 1)
    default:
      let values = series(kind)
      precondition(values.count >= count, "\(kind.name) has \(values.count) values, \(count) needed")
      for t in 0..<count { out[t * stride] = values[t] }
      return
    }
    guard let matrix else { preconditionFailure("\(kind.name) was not computed") }
    precondition(matrix.frameCount >= count && c < matrix.binCount, "\(kind.name) does not cover \(count) frames")
    matrix.values.withUnsafeBufferPointer { v in
      for t in 0..<count { out[t * stride] = v[t * matrix.binCount + c] }
    }
  }

  static func column(_ s: Spectrogram, _ c: Int) -> [Float] {
    (0..<s.frameCount).map { s.values[$0 * s.binCount + c] }
  }
}

extension Array where Element == Float {
  /// `librosa.util.fix_length(self, size=n)`: cut or zero-extend to `n` values.
  func fixedLength(_ n: Int) -> [Float] {
    if count == n { return self }
    if count >= n { return Array(self[0..<n]) }
    return self + [Float](repeating: 0, count: n - count)
  }
}
