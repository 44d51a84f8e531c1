import DSP

/// What a recipe needs per frame beyond the STFT and the scalar features.
struct FrameNeeds {
  var hpss: Bool
  var mel: Bool
  var peaks: Bool
  var flatness: Bool
}

/// Per-frame quantities of a stream, by absolute STFT frame index (internal to
/// ``StreamingFeatureExtractor``).
///
/// Stream frame `f` is centred on stream sample `f·hop` and reads samples
/// `f·hop − n_fft/2 ..< f·hop + n_fft/2`, so it exists for `f ≥ n_fft/(2·hop)` once those samples
/// have arrived. A window starting at a multiple of the hop sees stream frame `m + t` as its frame
/// `t` wherever that frame does not reach past the window's edges (its "interior" frames); those
/// values are computed here once per stream and shared by every window that contains them.
///
/// Stored per frame: the complex STFT, power, magnitude, HPSS medians (frequency median `P` at
/// once; time median `H` once 15 later frames exist), RMS, ZCR, centroid, bandwidth, roll-off,
/// flatness, unclamped dB mel bands (with their minimum and maximum), tuning peaks. Stored lazily
/// with the window-global value they depend on: MFCC and onset flux (the dB floor `max − top_db`),
/// chroma (the tuning). Per 512-sample block of the stream: sums and sums of squares of the
/// stream-level harmonic and percussive signals (`istft` of the masked frames), once every frame
/// overlapping the block has its masks.
final class StreamFrameCache {
  // Geometry.
  let hop: Int
  let fftSize: Int
  let bins: Int
  let rate: Int
  let edgeFrames: Int  // n_fft / (2·hop): frames reaching before a window's start
  static let kernel = 31  // HPSS median length (FrameFeatures.harmonicPercussive's default)
  static let melCount = 128
  static let scalarCount = 6  // rms, zcr, centroid, bandwidth, rolloff, flatness
  let mfccCount: Int
  /// Which per-frame quantities the recipe needs (the others are left empty).
  let needs: FrameNeeds

  let stft: ShortTimeFourierTransform  // center: false, for stream frames
  let mel: MelFilterbank
  let dct: DiscreteCosineTransform

  /// Absolute index of the first stored frame, and how many are stored.
  var base: Int
  var count = 0
  var end: Int { base + count }

  var real: [Float] = []
  var imaginary: [Float] = []
  var power: [Float] = []
  var magnitude: [Float] = []
  var percussiveMedian: [Float] = []
  /// Time medians; valid for frames `< harmonicEnd` (and `≥ harmonicStart`).
  var harmonicMedian: [Float] = []
  var harmonicEnd: Int
  var harmonicStart: Int { edgeFrames + Self.kernel / 2 }
  var scalars: [Float] = []
  var melDB: [Float] = []
  var melMinimum: [Float] = []
  var melMaximum: [Float] = []
  var peaks: [[TuningPeak]] = []
  var mfcc: [Float] = []
  var mfccFloor: [Float] = []
  var flux: [Float] = []
  var fluxFloor: [Float] = []
  var chroma: [Float] = []
  var chromaTuning: [Double] = []

  /// Harmonic/percussive sums per 512-sample block `k` (samples `k·hop ..< (k+1)·hop`), for blocks
  /// `blockBase ..< blockBase + blockSums.count / 4`: Σh, Σh², Σp, Σp².
  var blockBase: Int
  var blockSums: [Double] = []
  var blockEnd: Int { blockBase + blockSums.count / 4 }

  init(recipe: FeatureRecipe, mfccCount: Int, needs: FrameNeeds) throws(FeatureError) {
    self.needs = needs
    hop = recipe.hopLength
    fftSize = recipe.fftSize
    bins = fftSize / 2 + 1
    rate = recipe.sampleRate
    edgeFrames = fftSize / (2 * hop)
    self.mfccCount = mfccCount
    stft = try dsp { () throws(DSPError) in
      try ShortTimeFourierTransform(
        fftSize: recipe.fftSize, hopLength: recipe.hopLength, window: recipe.window, center: false)
    }
    mel = try dsp { () throws(DSPError) in
      try MelFilterbank(sampleRate: recipe.sampleRate, fftSize: recipe.fftSize, melCount: Self.melCount)
    }
    dct = try dsp { () throws(DSPError) in
      try DiscreteCosineTransform(inputCount: Self.melCount, outputCount: max(20, mfccCount))
    }
    base = edgeFrames
    harmonicEnd = edgeFrames + Self.kernel / 2
    // Block k needs masks of frames k − 1 ... k + 2 (n_fft = 4·hop), all at or after harmonicStart.
    blockBase = edgeFrames + Self.kernel / 2 + 1
  }

  /// The stored row of `f` in a per-frame array of `width` values.
  @inline(__always) func row(_ f: Int, width: Int) -> Int { (f - base) * width }

  // MARK: Growing

  /// Computes every frame, median and block the samples so far allow.
  ///
  /// - Parameters:
  ///   - samples: the retained samples; `samples[0]` is stream sample `start`.
  ///   - start: stream index of `samples[0]`.
  func advance(samples: [Float], start: Int) throws(FeatureError) {
    let total = start + samples.count
    let half = fftSize / 2
    // Frames whose last sample has arrived.
    let newEnd = total >= half ? (total - half) / hop + 1 : 0
    if newEnd > end {
      let first = end
      let from = first * hop - half - start
      precondition(from >= 0, "samples for frame \(first) were discarded")
      let slice = Array(samples[from..<(from + (newEnd - 1 - first) * hop + fftSize)])
      try appendFrames(slice, count: newEnd - first)
    }
    let halfKernel = Self.kernel / 2
    guard needs.hpss else { return }
    if end - halfKernel > harmonicEnd {
      try appendHarmonicMedians(upTo: end - halfKernel)
    }
    // Blocks whose overlapping frames (k − 1 ... k + 2) have their masks.
    if harmonicEnd - 2 > blockEnd {
      try appendBlocks(upTo: harmonicEnd - 2, samples: samples, start: start)
    }
  }

  /// STFT and frame-local features of `frames` frames read from `slice` (not centred).
  private func appendFrames(_ slice: [Float], count frames: Int) throws(FeatureError) {
    // Power and magnitude in the STFT's own pass (the same formulas as from the complex values).
    let (complex, powerSpec, magSpec) = try dsp { () throws(DSPError) in try stft.complexWithPower(slice) }
    precondition(complex.frameCount == frames, "frame count \(complex.frameCount) vs \(frames)")
    let n = frames * bins
    let local = try FrameLocalFeatures(
      signal: slice, center: false, padMode: .reflect, power: powerSpec, magnitude: magSpec, cache: self,
      needs: needs)
    real += complex.real
    imaginary += complex.imaginary
    power += powerSpec.values
    magnitude += magSpec.values
    percussiveMedian += local.percussiveMedian
    harmonicMedian.append(contentsOf: repeatElement(0, count: n))
    scalars += local.scalars
    melDB += local.melDB
    melMinimum += local.melMinimum
    melMaximum += local.melMaximum
    peaks += local.peaks
    mfcc.append(contentsOf: repeatElement(0, count: frames * mfccCount))
    mfccFloor.append(contentsOf: repeatElement(.nan, count: frames))
    flux.append(contentsOf: repeatElement(0, count: frames))
    fluxFloor.append(contentsOf: repeatElement(.nan, count: frames))
    chroma.append(contentsOf: repeatElement(0, count: frames * 12))
    chromaTuning.append(contentsOf: repeatElement(.nan, count: frames))
    count += frames
  }

  /// Time medians for frames `harmonicEnd ..< newEnd` from the magnitudes 15 frames either side:
  /// the median filter (sorting networks, ``DSP/MedianFilter``) over those frames and their
  /// 15 neighbours each side, whose own edge rows (the only ones its padding reaches) are not
  /// kept.
  private func appendHarmonicMedians(upTo newEnd: Int) throws(FeatureError) {
    let half = Self.kernel / 2
    let first = max(harmonicEnd, base + half)
    guard first < newEnd else { return }
    let span = (first - half)..<(newEnd + half)
    let rows = Spectrogram(
      frameCount: span.count, binCount: bins,
      values: Array(magnitude[row(span.lowerBound, width: bins)..<row(span.upperBound, width: bins)]))
    let medians = try dsp { () throws(DSPError) in
      try MedianFilter.apply(rows, size: Self.kernel, along: .frames)
    }
    let from = half * bins
    let to = row(first, width: bins)
    harmonicMedian.replaceSubrange(
      to..<(to + (newEnd - first) * bins), with: medians.values[from..<(from + (newEnd - first) * bins)])
    harmonicEnd = newEnd
  }

  /// Harmonic/percussive block sums for blocks `blockEnd ..< newEnd`; `samples[0]` is stream
  /// sample `start` (the percussive signal is the frames' samples minus the harmonic one while
  /// those samples are held).
  private func appendBlocks(upTo newEnd: Int, samples: [Float], start: Int) throws(FeatureError) {
    let k0 = blockEnd
    let g0 = k0 - 1
    let g1 = newEnd + 2
    let first = g0 * hop - fftSize / 2 - start
    let natural = fftSize + hop * (g1 - g0 - 1)
    let bins = self.bins
    let (hy, py) = try Self.harmonicPercussive(
      transform: stft, frames: g1 - g0, bins: bins, real: real, imaginary: imaginary, harmonic: harmonicMedian,
      percussive: percussiveMedian, first: g0 - base,
      signal: first >= 0 && first + natural <= samples.count ? samples[first..<(first + natural)] : nil)
    for k in k0..<newEnd {
      // Output j of the uncentred batch is stream sample g0·hop − n_fft/2 + j.
      let offset = (k - g0) * hop + fftSize / 2
      var sums = (0.0, 0.0, 0.0, 0.0)
      for j in offset..<(offset + hop) {
        let a = Double(hy[j])
        let b = Double(py[j])
        sums.0 += a
        sums.1 += a * a
        sums.2 += b
        sums.3 += b * b
      }
      blockSums += [sums.0, sums.1, sums.2, sums.3]
    }
  }

  /// One frame's complex spectrum and HPSS medians, as pointers to `bins` values each.
  typealias MaskedRow = (
    real: UnsafePointer<Float>, imaginary: UnsafePointer<Float>, harmonic: UnsafePointer<Float>,
    percussive: UnsafePointer<Float>
  )

  /// The harmonic and percussive signals of `frames` consecutive frames given their HPSS medians,
  /// as ``FrameFeatures/harmonicPercussiveSignals(_:magnitude:transform:signal:kernelSize:power:)``
  /// forms them offline: the inverse STFT of the harmonic soft-masked spectrum (librosa's
  /// `softmask`, power 2) and, with `signal` (the samples the frames were analysed from, their
  /// natural inverse length), the percussive signal as that signal minus the harmonic one minus
  /// the bins both masks zero — one transform where two were; without `signal`, the percussive
  /// part is transformed too.
  ///
  /// - Parameters:
  ///   - transform: the STFT that analysed the frames (its inverse is applied).
  ///   - real, imaginary, harmonic, percussive: frames-major rows of `bins` values; the frames
  ///     taken start at row `first`.
  static func harmonicPercussive(
    transform: ShortTimeFourierTransform, frames: Int, bins: Int, real: [Float], imaginary: [Float],
    harmonic: [Float], percussive: [Float], first: Int, signal: ArraySlice<Float>?
  ) throws(FeatureError) -> (harmonic: [Float], percussive: [Float]) {
    precondition((first + frames) * bins <= real.count, "frames \(first)..<\(first + frames) outside the rows")
    return try real.withUnsafeBufferPointer { (re) throws(FeatureError) in
      try imaginary.withUnsafeBufferPointer { (im) throws(FeatureError) in
        try harmonic.withUnsafeBufferPointer { (hm) throws(FeatureError) in
          try percussive.withUnsafeBufferPointer { (pm) throws(FeatureError) in
            func row(_ t: Int) -> MaskedRow {
              let o = (first + t) * bins
              return (re.baseAddress! + o, im.baseAddress! + o, hm.baseAddress! + o, pm.baseAddress! + o)
            }
            guard let signal else {
              return try harmonicPercussive(transform: transform, frames: frames, bins: bins, row: row, signal: nil)
            }
            return try signal.withUnsafeBufferPointer { (x) throws(FeatureError) in
              try harmonicPercussive(transform: transform, frames: frames, bins: bins, row: row, signal: x)
            }
          }
        }
      }
    }
  }

  /// ``harmonicPercussive(transform:frames:bins:real:imaginary:harmonic:percussive:first:signal:)``
  /// on rows given as pointers.
  private static func harmonicPercussive(
    transform: ShortTimeFourierTransform, frames: Int, bins: Int, row: (Int) -> MaskedRow,
    signal: UnsafeBufferPointer<Float>?
  ) throws(FeatureError) -> (harmonic: [Float], percussive: [Float]) {
    try dsp { () throws(DSPError) in
      guard let signal else {
        let parts = try transform.inverse(frameCount: frames, partCount: 2, length: nil) { t, count, re, im in
          for j in 0..<count {
            let r = row(t + j)
            FrameFeatures.maskRow(
              real: r.real, imaginary: r.imaginary, harmonic: r.harmonic, percussive: r.percussive, count: bins,
              power: 2,
              into: (
                re.baseAddress! + j * bins, im.baseAddress! + j * bins, re.baseAddress! + (4 + j) * bins,
                im.baseAddress! + (4 + j) * bins
              ))
          }
          return 0b11
        }
        return (parts[0], parts[1])
      }
      // Part 0: the harmonic spectrum; part 1: the bins both masks zero (usually none); the
      // remainder is the percussive signal.
      let parts = try transform.inverse(frameCount: frames, partCount: 2, length: nil, remainderOf: signal) {
        t, count, re, im in
        var silent = false
        for j in 0..<count {
          let r = row(t + j)
          let quiet = FrameFeatures.harmonicRow(
            real: r.real, imaginary: r.imaginary, harmonic: r.harmonic, percussive: r.percussive, count: bins,
            power: 2, into: (re.baseAddress! + j * bins, im.baseAddress! + j * bins))
          silent = silent || quiet
        }
        guard silent else { return 0b01 }
        for j in 0..<count {
          let r = row(t + j)
          for k in 0..<bins {
            let quiet = !(max(r.harmonic[k], r.percussive[k]) >= Float.leastNormalMagnitude)
            re[(4 + j) * bins + k] = quiet ? r.real[k] : 0
            im[(4 + j) * bins + k] = quiet ? r.imaginary[k] : 0
          }
        }
        return 0b11
      }
      return (parts[0], parts[2])
    }
  }

  // MARK: Shrinking

  /// Drops frames and blocks before absolute frame `frame` (amortised).
  func discard(beforeFrame frame: Int) {
    let drop = min(frame, end) - base
    guard drop > 0, drop >= count / 4 else { return }
    func cut<T>(_ a: inout [T], _ width: Int) { a.removeFirst(drop * width) }
    cut(&real, bins)
    cut(&imaginary, bins)
    cut(&power, bins)
    cut(&magnitude, bins)
    cut(&percussiveMedian, bins)
    cut(&harmonicMedian, bins)
    cut(&scalars, Self.scalarCount)
    cut(&melDB, Self.melCount)
    cut(&melMinimum, 1)
    cut(&melMaximum, 1)
    cut(&peaks, 1)
    cut(&mfcc, mfccCount)
    cut(&mfccFloor, 1)
    cut(&flux, 1)
    cut(&fluxFloor, 1)
    cut(&chroma, 12)
    cut(&chromaTuning, 1)
    base += drop
    count -= drop
    let blocks = min(max(0, frame - blockBase), blockSums.count / 4)
    if blocks > 0 {
      blockSums.removeFirst(4 * blocks)
      blockBase += blocks
    }
    // After a gap (everything up to frames not yet analysed was discarded), medians and blocks
    // restart where their context is complete again.
    let half = Self.kernel / 2
    if harmonicEnd < base + half { harmonicEnd = base + half }
    if blockEnd < base + half + 1 {
      blockSums = []
      blockBase = base + half + 1
    }
  }
}
