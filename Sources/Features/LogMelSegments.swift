import DSP

/// A log-mel spectrogram input for 2-D CNNs: the signal is cut into fixed-length segments and each
/// segment becomes one `melCount × frameCount` image.
///
/// Per segment this is `librosa.power_to_db(librosa.feature.melspectrogram(y=segment, sr=sr,
/// n_fft=n_fft, hop_length=hop, n_mels=n_mels), ref=…, top_db=…)` with librosa 0.11's defaults
/// otherwise (periodic Hann, `center=True`, `pad_mode='constant'`, power 2, Slaney mel scale and
/// norm, amin 1e-10). With `center=True` a segment of `segmentLength` samples has
/// `1 + segmentLength / hopLength` frames (66 150 samples at hop 512: 130 frames).
///
/// Segments start every `segmentHop` samples; a partial segment at the end is dropped. A signal
/// shorter than one segment is zero-padded at the end to one segment (flagged by
/// ``LogMelSegmentBatch/isShorterThanSegment``).
///
/// Codable: a model bundle stores it in its manifest so prediction computes the same images.
public struct LogMelSegments: Codable, Sendable, Hashable {
  /// The 0 dB level of each segment's `power_to_db`.
  public enum Reference: String, Codable, Sendable, Hashable {
    /// `ref=np.max`: the segment's loudest mel bin is 0 dB (loudness-invariant images).
    case maximum
    /// `ref=1.0`: absolute levels.
    case unity
  }

  /// The analysis rate in Hz; audio at another rate is resampled first (librosa `sr`).
  public var sampleRate: Int
  /// `n_fft`.
  public var fftSize: Int
  /// `hop_length` between STFT frames.
  public var hopLength: Int
  /// `n_mels`.
  public var melCount: Int
  /// Samples per segment.
  public var segmentLength: Int
  /// Samples between segment starts.
  public var segmentHop: Int
  /// The dB reference.
  public var reference: Reference
  /// `top_db` (dynamic range kept below each segment's peak), or nil for none.
  public var topDB: Double?

  /// Creates a description; the defaults give 128 × 130 images of 3 s segments every 1.5 s at
  /// 22 050 Hz, `ref=np.max`, `top_db=80`.
  public init(
    sampleRate: Int = 22_050, fftSize: Int = 2_048, hopLength: Int = 512, melCount: Int = 128,
    segmentLength: Int = 66_150, segmentHop: Int = 33_075, reference: Reference = .maximum,
    topDB: Double? = 80
  ) {
    self.sampleRate = sampleRate
    self.fftSize = fftSize
    self.hopLength = hopLength
    self.melCount = melCount
    self.segmentLength = segmentLength
    self.segmentHop = segmentHop
    self.reference = reference
    self.topDB = topDB
  }

  /// STFT frames per segment: `1 + segmentLength / hopLength` (centred frames).
  public var frameCount: Int { 1 + segmentLength / max(hopLength, 1) }

  /// The per-segment shape `[1, melCount, frameCount]` (channel, mel band, frame).
  public var imageShape: [Int] { [1, melCount, frameCount] }

  /// Checks the values are usable (positive sizes, an even FFT size up to 2¹⁶, segments of at
  /// least one hop, images of at most 2²⁰ values).
  ///
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` naming the first bad value.
  public func validate() throws(FeatureError) {
    guard sampleRate > 0, sampleRate <= 768_000 else { throw .invalidSampleRate(sampleRate) }
    guard fftSize >= 2, fftSize <= 65_536, fftSize % 2 == 0 else {
      throw .invalidParameter(name: "fftSize", value: "\(fftSize)", valid: "even, in 2...65536")
    }
    guard hopLength >= 1 else { throw .invalidParameter(name: "hopLength", value: "\(hopLength)", valid: ">= 1") }
    guard melCount >= 1, melCount <= 512 else {
      throw .invalidParameter(name: "melCount", value: "\(melCount)", valid: "in 1...512")
    }
    guard segmentLength >= hopLength, segmentLength <= 10 * sampleRate * 60 else {
      throw .invalidParameter(
        name: "segmentLength", value: "\(segmentLength)", valid: "at least hopLength and at most 10 minutes")
    }
    guard segmentHop >= 1 else {
      throw .invalidParameter(name: "segmentHop", value: "\(segmentHop)", valid: ">= 1")
    }
    guard melCount * frameCount <= 1 << 20 else {
      throw .invalidParameter(
        name: "melCount × frameCount", value: "\(melCount * frameCount)", valid: "at most 2^20 values per image")
    }
    if let topDB, !(topDB >= 0) {
      throw .invalidParameter(name: "topDB", value: "\(topDB)", valid: ">= 0 or none")
    }
  }

  /// The same front end as a ``FeatureRecipe`` without columns (name `logmel<melCount>x<frames>`),
  /// for places that describe analysis by a recipe (rate, FFT, hop, segment length and hop).
  public var recipe: FeatureRecipe {
    FeatureRecipe(
      name: "logmel\(melCount)x\(frameCount)", sampleRate: sampleRate, fftSize: fftSize, hopLength: hopLength,
      window: .hann, center: true, padMode: .constant, columns: [],
      segmentation: Segmentation(length: max(segmentLength, 1), hop: max(segmentHop, 1), tail: .drop))
  }

  /// The number of segments of a signal of `signalLength` samples at ``sampleRate``:
  /// `1 + (n − segmentLength) / segmentHop` when it holds a whole segment, else 1 (padded).
  public func segmentCount(signalLength: Int) -> Int {
    signalLength < segmentLength ? 1 : 1 + (signalLength - segmentLength) / segmentHop
  }
}

/// Log-mel images of consecutive segments, produced by ``LogMelSegmentPlan/segments(of:sampleRate:)``.
public struct LogMelSegmentBatch: Sendable, Equatable {
  /// The number of segments.
  public var count: Int
  /// `count × melCount × frameCount` dB values: segment-major, then mel band, then frame
  /// (each segment is librosa's `(n_mels, t)` array in C order).
  public var values: [Float]
  /// Each segment's span in seconds of the input.
  public var spans: [Range<Double>]
  /// True when the input was shorter than one segment and was zero-padded.
  public var isShorterThanSegment: Bool
}

/// A reusable plan (STFT, mel filterbank) that turns audio into ``LogMelSegments`` images.
public struct LogMelSegmentPlan: Sendable {
  /// The description the plan computes.
  public let input: LogMelSegments
  private let stft: ShortTimeFourierTransform
  private let filterbank: MelFilterbank

  /// Builds the plan for `input`.
  ///
  /// - Throws: ``FeatureError`` when `input` is invalid (see ``LogMelSegments/validate()``).
  public init(_ input: LogMelSegments) throws(FeatureError) {
    try input.validate()
    self.input = input
    stft = try dsp { () throws(DSPError) in
      try ShortTimeFourierTransform(
        fftSize: input.fftSize, hopLength: input.hopLength, window: .hann, center: true, padMode: .constant)
    }
    filterbank = try dsp { () throws(DSPError) in
      try MelFilterbank(sampleRate: input.sampleRate, fftSize: input.fftSize, melCount: input.melCount)
    }
  }

  /// The log-mel images of `samples`' segments.
  ///
  /// - Parameters:
  ///   - samples: mono samples.
  ///   - sampleRate: their rate in Hz; other rates are resampled to the input's rate
  ///     (`librosa.resample`, close to its default `soxr_hq`).
  /// - Returns: the segments' images in time order.
  /// - Throws: ``FeatureError/emptySignal``, ``FeatureError/nonFiniteSample(index:)``,
  ///   ``FeatureError/invalidSampleRate(_:)``, or a wrapped DSP error.
  /// - Complexity: O(segments × frames × `fftSize` log `fftSize`).
  public func segments(of samples: [Float], sampleRate: Int) throws(FeatureError) -> LogMelSegmentBatch {
    guard sampleRate > 0, sampleRate <= 768_000 else { throw .invalidSampleRate(sampleRate) }
    guard !samples.isEmpty else { throw .emptySignal }
    do {
      try samples.withUnsafeBufferPointer { (p) throws(DSPError) in try DSPError.validate(p) }
    } catch .nonFiniteSample(let index) {
      throw .nonFiniteSample(index: index)
    } catch {
      throw .dsp(error)
    }
    var signal = samples
    if sampleRate != input.sampleRate {
      let resampler = try dsp { () throws(DSPError) in try Resampler(from: sampleRate, to: input.sampleRate) }
      signal = try dsp { () throws(DSPError) in try resampler.resample(samples) }
      guard !signal.isEmpty else { throw .emptySignal }
    }
    let short = signal.count < input.segmentLength
    if short { signal += [Float](repeating: 0, count: input.segmentLength - signal.count) }
    let count = input.segmentCount(signalLength: signal.count)
    let mels = input.melCount
    let frames = input.frameCount
    var values = [Float](repeating: 0, count: count * mels * frames)
    var spans: [Range<Double>] = []
    spans.reserveCapacity(count)
    let rate = Double(input.sampleRate)
    let originalSeconds = Double(samples.count) / Double(sampleRate)
    for segment in 0..<count {
      let start = segment * input.segmentHop
      let piece = Array(signal[start..<(start + input.segmentLength)])
      let power = try dsp { () throws(DSPError) in try stft.power(piece) }
      var mel = try dsp { () throws(DSPError) in try filterbank.apply(to: power) }.values
      try values.withUnsafeMutableBufferPointer { (target) throws(FeatureError) in
        try image(melPower: &mel, into: target.baseAddress! + segment * mels * frames)
      }
      let begin = Double(start) / rate
      spans.append(begin..<min(begin + Double(input.segmentLength) / rate, short ? originalSeconds : .infinity))
    }
    return LogMelSegmentBatch(count: count, values: values, spans: spans, isShorterThanSegment: short)
  }

  /// One segment's model image from its mel power: `power_to_db` over the whole segment with the
  /// input's reference and `top_db`, then laid out mel-major (`melCount × frameCount`, as the
  /// network reads it). Offline and streaming (`StreamingLogMel`) both end here, so their images
  /// are formed alike.
  ///
  /// - Parameters:
  ///   - melPower: ``LogMelSegments/frameCount`` frames of ``LogMelSegments/melCount`` bands,
  ///     frames-major; converted to dB in place.
  ///   - image: receives `melCount × frameCount` values.
  /// - Throws: a wrapped DSP error from the dB conversion.
  package func image(melPower: inout [Float], into image: UnsafeMutablePointer<Float>) throws(FeatureError) {
    let mels = input.melCount
    let frames = input.frameCount
    precondition(melPower.count == mels * frames, "\(melPower.count) mel values, expected \(mels) × \(frames)")
    let reference: DecibelReference = input.reference == .maximum ? .maximum : .value(1)
    let topDB = input.topDB
    try dsp { () throws(DSPError) in
      try melPower.withUnsafeMutableBufferPointer { (buffer) throws(DSPError) in
        try Decibels.powerToDecibels(buffer, reference: reference, topDB: topDB)
      }
    }
    melPower.withUnsafeBufferPointer { source in
      for t in 0..<frames {
        for m in 0..<mels { image[m * frames + t] = source[t * mels + m] }
      }
    }
  }
}
