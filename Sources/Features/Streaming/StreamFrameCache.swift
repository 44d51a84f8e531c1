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
  /// The running time-median state of the stream, at output frame `harmonicEnd − 1` once set.
  let streamMedians: BinMedians
  /// Scratch state for the medians at a window's edges.
  let edgeMedians: BinMedians
  /// Copies of ``streamMedians`` taken as it passed the frames where later windows' left-edge
  /// medians start (see ``expectWindows(every:phase:)``), by absolute frame.
  var leftEdgeStates: [Int: BinMedians] = [:]
  /// How many windows started from a kept state (for tests).
  private(set) var leftEdgeStatesUsed = 0
  /// Window starts expected every `leftEdgeStride` frames; 0 when unknown.
  private(set) var leftEdgeStride = 0
  /// The absolute frame of one expected left-edge state (`window start + edgeFrames + 15`).
  private(set) var leftEdgePhase = 0
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
    streamMedians = BinMedians(bins: fftSize / 2 + 1, size: Self.kernel)
    edgeMedians = BinMedians(bins: fftSize / 2 + 1, size: Self.kernel)
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
      try appendBlocks(upTo: harmonicEnd - 2)
    }
  }

  /// STFT and frame-local features of `frames` frames read from `slice` (not centred).
  private func appendFrames(_ slice: [Float], count frames: Int) throws(FeatureError) {
    let complex = try dsp { () throws(DSPError) in try stft.complex(slice) }
    precondition(complex.frameCount == frames, "frame count \(complex.frameCount) vs \(frames)")
    let n = frames * bins
    var p = [Float](repeating: 0, count: n)
    var m = [Float](repeating: 0, count: n)
    for i in 0..<n {
      p[i] = complex.real[i] * complex.real[i] + complex.imaginary[i] * complex.imaginary[i]
      m[i] = p[i].squareRoot()
    }
    let powerSpec = Spectrogram(frameCount: frames, binCount: bins, values: p)
    let magSpec = Spectrogram(frameCount: frames, binCount: bins, values: m)
    let local = try FrameLocalFeatures(
      signal: slice, center: false, padMode: .reflect, power: powerSpec, magnitude: magSpec, cache: self,
      needs: needs)
    real += complex.real
    imaginary += complex.imaginary
    power += p
    magnitude += m
    percussiveMedian += local.percussiveMedian
    harmonicMedian += [Float](repeating: 0, count: n)
    scalars += local.scalars
    melDB += local.melDB
    melMinimum += local.melMinimum
    melMaximum += local.melMaximum
    peaks += local.peaks
    mfcc += [Float](repeating: 0, count: frames * mfccCount)
    mfccFloor += [Float](repeating: .nan, count: frames)
    flux += [Float](repeating: 0, count: frames)
    fluxFloor += [Float](repeating: .nan, count: frames)
    chroma += [Float](repeating: 0, count: frames * 12)
    chromaTuning += [Double](repeating: .nan, count: frames)
    count += frames
  }

  /// Time medians for frames `harmonicEnd ..< newEnd` from the magnitudes 15 frames either side,
  /// sliding the kept state (``streamMedians``) one frame at a time.
  private func appendHarmonicMedians(upTo newEnd: Int) throws(FeatureError) {
    let half = Self.kernel / 2
    let first = max(harmonicEnd, base + half)
    guard first < newEnd else { return }
    let bins = self.bins
    let base = self.base
    let state = streamMedians
    magnitude.withUnsafeBufferPointer { mag in
      harmonicMedian.withUnsafeMutableBufferPointer { dst in
        func frame(_ f: Int) -> UnsafePointer<Float> { mag.baseAddress! + (f - base) * bins }
        for i in first..<newEnd {
          if state.position == i - 1, i - 1 - half >= base {
            state.slide(removing: frame(i - 1 - half), inserting: frame(i + half))
            state.position = i
          } else {
            state.reset(rows: ((i - half)...(i + half)).map(frame), position: i)
          }
          state.median(into: dst.baseAddress! + (i - base) * bins)
          if leftEdgeStride > 0, (i - leftEdgePhase) % leftEdgeStride == 0 {
            let copy = BinMedians(bins: bins, size: Self.kernel)
            copy.copy(from: state)
            leftEdgeStates[i] = copy
          }
        }
      }
    }
    harmonicEnd = newEnd
  }

  /// Declares that windows will start every `stride` frames, one of them at absolute frame
  /// `start`: from now on the stream's time-median state is kept at each such window's first
  /// frame whose 31-frame median reads no edge frame, where that window's left-edge medians
  /// start sliding (the state there is the same multiset, so the same sorted values).
  ///
  /// Strides below 16 frames keep no states: a window's span would hold more than ~80 of them
  /// (128 KB each), and with hops that short the window-wide work dominates anyway.
  func expectWindows(every stride: Int, phase start: Int) {
    guard stride >= 16 else {
      leftEdgeStride = 0
      leftEdgeStates = [:]
      return
    }
    let phase = start + edgeFrames + Self.kernel / 2
    if stride != leftEdgeStride || (phase - leftEdgePhase) % stride != 0 {
      leftEdgeStride = stride
      leftEdgePhase = phase
      leftEdgeStates = [:]
    }
  }

  /// The kept stream median state at absolute frame `frame`, if one was taken; states before it
  /// are dropped (windows only move forwards; the same start may be asked again).
  func leftEdgeState(at frame: Int) -> BinMedians? {
    leftEdgeStates = leftEdgeStates.filter { $0.key >= frame }
    guard let state = leftEdgeStates[frame] else { return nil }
    leftEdgeStatesUsed += 1
    return state
  }

  /// Harmonic/percussive block sums for blocks `blockEnd ..< newEnd`.
  private func appendBlocks(upTo newEnd: Int) throws(FeatureError) {
    let k0 = blockEnd
    let g0 = k0 - 1
    let g1 = newEnd + 2
    let lo = row(g0, width: bins)
    let hi = row(g1, width: bins)
    let (h, p) = Self.masked(
      real: real[lo..<hi], imaginary: imaginary[lo..<hi], harmonicMedian: harmonicMedian[lo..<hi],
      percussiveMedian: percussiveMedian[lo..<hi], frames: g1 - g0, bins: bins)
    let hy = try dsp { () throws(DSPError) in try stft.inverse(h, length: nil) }
    let py = try dsp { () throws(DSPError) in try stft.inverse(p, length: nil) }
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

  /// The harmonic and percussive parts of complex frames given their HPSS medians: librosa's
  /// `softmask` with power 2, exactly as ``FrameFeatures/harmonicPercussive(_:magnitude:kernelSize:power:)``.
  static func masked(
    real: ArraySlice<Float>, imaginary: ArraySlice<Float>, harmonicMedian: ArraySlice<Float>,
    percussiveMedian: ArraySlice<Float>, frames: Int, bins: Int
  ) -> (harmonic: ComplexSpectrogram, percussive: ComplexSpectrogram) {
    let n = frames * bins
    var hr = [Float](repeating: 0, count: n)
    var hi = [Float](repeating: 0, count: n)
    var pr = [Float](repeating: 0, count: n)
    var pi = [Float](repeating: 0, count: n)
    real.withUnsafeBufferPointer { re in
      imaginary.withUnsafeBufferPointer { im in
        harmonicMedian.withUnsafeBufferPointer { hv in
          percussiveMedian.withUnsafeBufferPointer { pv in
            for i in 0..<n {
              let z = max(hv[i], pv[i])
              var maskH: Float = 0
              var maskP: Float = 0
              if z >= Float.leastNormalMagnitude {
                let x = hv[i] / z
                let y = pv[i] / z
                let a = x * x
                let b = y * y
                maskH = a / (a + b)
                maskP = b / (a + b)
              }
              hr[i] = re[i] * maskH
              hi[i] = im[i] * maskH
              pr[i] = re[i] * maskP
              pi[i] = im[i] * maskP
            }
          }
        }
      }
    }
    return (
      ComplexSpectrogram(frameCount: frames, binCount: bins, realParts: hr, imaginaryParts: hi),
      ComplexSpectrogram(frameCount: frames, binCount: bins, realParts: pr, imaginaryParts: pi)
    )
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
    leftEdgeStates = leftEdgeStates.filter { $0.key >= base }
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
