import DSP

/// The summary row of one window that starts on the stream's frame grid, assembled from the
/// per-frame caches plus what the window's edges change (internal to
/// ``StreamingFeatureExtractor``; see Docs/streaming.md).
///
/// With `T` window frames and `E` the last frame that does not reach past the window's end:
/// - frames `0 ..< 2` and `E + 1 ..< T` read reflect-padded samples: their STFT and frame-local
///   features are computed from short slices at the window's edges, centred as offline;
/// - the HPSS time median of frames `< 17` and `> E − 15` sees the window's edges (scipy's
///   `reflect` at the first and last frame): recomputed from the window's magnitudes there, as
///   are the masks and the inverse STFT of the first 21 and last `T − E + 19` frames; samples
///   between come from the stream's harmonic/percussive block sums;
/// - the dB floor `max − 80` is the window's: MFCC and onset flux of frames with a band below it
///   are recomputed when the floor moves;
/// - the tuning is the window's (median magnitude over its peaks): chroma is recomputed when it
///   changes;
/// - tempogram columns are reused only where they read the same envelope values.
extension StreamingFeatureExtractor {
  /// Frames at each edge whose STFT reads padding (`n_fft / (2·hop)`).
  var edgeCount: Int { frames.edgeFrames }

  /// Whether `window` can take the incremental path.
  func isOnGrid(_ window: Range<Int>) -> Bool {
    guard gridEligible, window.lowerBound % recipe.hopLength == 0 else { return false }
    let frameCount = 1 + window.count / recipe.hopLength
    return frameCount >= 120
  }

  /// The row of a grid-aligned window (``isOnGrid(_:)``).
  func gridRow(_ window: Range<Int>) throws(FeatureError) -> [Float] {
    try frames.advance(samples: samples, start: retainedStart)
    let cache = frames
    let hop = recipe.hopLength
    let bins = cache.bins
    let n = window.count
    let m = window.lowerBound / hop
    let frameCount = 1 + n / hop
    let lastInterior = (n - recipe.fftSize / 2) / hop  // E
    let le = cache.edgeFrames
    precondition(cache.base <= m + le && cache.end > m + lastInterior, "frames of \(window) are not cached")
    let origin = window.lowerBound - retainedStart
    // Local references to the caches' arrays (no copies): reads in the loops below then skip
    // the class's dynamic exclusivity checks.
    let cacheBase = cache.base
    let scalarsC = cache.scalars
    let melMaximumC = cache.melMaximum
    let melMinimumC = cache.melMinimum
    let melDBC = cache.melDB
    let mfccC = cache.mfcc
    let mfccFloorC = cache.mfccFloor
    let fluxC = cache.flux
    let fluxFloorC = cache.fluxFloor
    let peaksC = cache.peaks
    let chromaC = cache.chroma
    let chromaTuningC = cache.chromaTuning
    func rowOf(_ f: Int, _ width: Int) -> Int { (f - cacheBase) * width }

    // Edge frames, computed as offline from slices at the window's ends.
    // Frame t < le reads samples up to (le − 1)·hop + n_fft/2 < n_fft; frame E + 1 reads from
    // (E + 1 − le)·hop. The slices hold just those samples (their own far-end padding reaches
    // no frame taken).
    let leftSlice = Array(samples[origin..<(origin + min(n, recipe.fftSize))])
    let left = try edgeFrames(leftSlice, take: 0..<le)
    let rightFrame = lastInterior + 1 - le
    let right = try edgeFrames(
      Array(samples[(origin + rightFrame * hop)..<(origin + n)]), take: le..<(frameCount - rightFrame))
    let rightFirst = lastInterior + 1
    precondition(right.count == frameCount - rightFirst, "right edge frames \(right.count) vs \(frameCount - rightFirst)")

    /// Where window frame `t` lives: an edge set and its row, or the stream cache.
    enum Source { case left(Int), right(Int), stream(Int) }
    func source(_ t: Int) -> Source {
      if t < le { return .left(t) }
      if t >= rightFirst { return .right(t - rightFirst) }
      return .stream(m + t)
    }

    // Scalars.
    var series = [[Float]](repeating: [Float](repeating: 0, count: frameCount), count: StreamFrameCache.scalarCount)
    for t in 0..<frameCount {
      for s in 0..<StreamFrameCache.scalarCount {
        switch source(t) {
        case .left(let r): series[s][t] = left.local.scalars[r * StreamFrameCache.scalarCount + s]
        case .right(let r): series[s][t] = right.local.scalars[r * StreamFrameCache.scalarCount + s]
        case .stream(let f): series[s][t] = scalarsC[rowOf(f, StreamFrameCache.scalarCount) + s]
        }
      }
    }

    // The window's dB floor, MFCC and onset envelope.
    let bands = StreamFrameCache.melCount
    var peak = -Float.infinity
    for t in 0..<frameCount {
      switch source(t) {
      case .left(let r): peak = max(peak, left.local.melMaximum[r])
      case .right(let r): peak = max(peak, right.local.melMaximum[r])
      case .stream(let f): peak = max(peak, melMaximumC[f - cacheBase])
      }
    }
    let floor = peak - 80
    func clampedMel(_ t: Int) -> [Float] {
      let values: ArraySlice<Float>
      switch source(t) {
      case .left(let r): values = left.local.melDB[(r * bands)..<((r + 1) * bands)]
      case .right(let r): values = right.local.melDB[(r * bands)..<((r + 1) * bands)]
      case .stream(let f):
        let o = rowOf(f, bands)
        values = melDBC[o..<(o + bands)]
      }
      return values.map { max($0, floor) }
    }
    func unchanged(_ f: Int, _ stored: Float) -> Bool {
      stored == floor || (melMinimumC[f - cacheBase] >= floor && melMinimumC[f - cacheBase] >= stored)
    }
    let nm = cache.mfccCount
    var mfcc = [Float](repeating: 0, count: frameCount * nm)
    var stale: [Int] = []
    for t in 0..<frameCount {
      if case .stream(let f) = source(t), unchanged(f, mfccFloorC[f - cacheBase]) {
        let o = rowOf(f, nm)
        for c in 0..<nm { mfcc[t * nm + c] = mfccC[o + c] }
      } else {
        stale.append(t)
      }
    }
    if !stale.isEmpty {
      let input = Spectrogram(frameCount: stale.count, binCount: bands, values: stale.flatMap(clampedMel))
      let out = try dsp { () throws(DSPError) in try cache.dct.transform(input) }
      let width = out.binCount
      for (i, t) in stale.enumerated() {
        for c in 0..<nm { mfcc[t * nm + c] = out.values[i * width + c] }
        if case .stream(let f) = source(t) {
          let o = cache.row(f, width: nm)
          for c in 0..<nm { cache.mfcc[o + c] = out.values[i * width + c] }
          cache.mfccFloor[f - cache.base] = floor
        }
      }
    }
    var tempo: Double?
    if needsTempo {
      // o[j] = flux of frame j − shift + 1 (frames j and j − 1), zeros before `shift`.
      let shift = 1 + recipe.fftSize / (2 * hop)
      var envelope = [Float](repeating: 0, count: frameCount)
      var previous: [Float]? = nil
      var previousFrame = -1
      for j in shift..<frameCount {
        let t = j - shift + 1
        if case .stream(let f) = source(t), case .stream = source(t - 1),
          unchanged(f, fluxFloorC[f - cacheBase]), unchanged(f - 1, fluxFloorC[f - cacheBase])
        {
          envelope[j] = fluxC[f - cacheBase]
          continue
        }
        let before = previousFrame == t - 1 ? previous! : clampedMel(t - 1)
        let current = clampedMel(t)
        let value = Self.medianFlux(current, before)
        envelope[j] = value
        previous = current
        previousFrame = t
        if case .stream(let f) = source(t), case .stream = source(t - 1) {
          cache.flux[f - cache.base] = value
          cache.fluxFloor[f - cache.base] = floor
        }
      }
      tempo = tempogram.tempo(envelope: envelope, start: m)
    }

    // Chroma with the window's tuning.
    var chroma = [Float]()
    if needsChroma {
      var magnitudes: [Float] = []
      func forEachPeak(_ body: (TuningPeak) -> Void) {
        for t in 0..<frameCount {
          let list: [TuningPeak]
          switch source(t) {
          case .left(let r): list = left.local.peaks[r]
          case .right(let r): list = right.local.peaks[r]
          case .stream(let f): list = peaksC[f - cacheBase]
          }
          for p in list { body(p) }
        }
      }
      forEachPeak { magnitudes.append($0.magnitude) }
      var tuning = 0.0
      if !magnitudes.isEmpty {
        let threshold = Self.median(&magnitudes)
        var counts = [Int](repeating: 0, count: FrameLocalFeatures.tuningBinCount)
        forEachPeak { p in if p.magnitude >= threshold, p.bin >= 0 { counts[Int(p.bin)] += 1 } }
        var best = 0
        for i in 1..<counts.count where counts[i] > counts[best] { best = i }
        tuning = FrameLocalFeatures.tuningEdges[best]
      }
      let bank = try chromaBank(tuning)
      chroma = [Float](repeating: 0, count: frameCount * 12)
      var staleChroma: [Int] = []
      for t in 0..<frameCount {
        if case .stream(let f) = source(t), chromaTuningC[f - cacheBase] == tuning {
          let o = rowOf(f, 12)
          for c in 0..<12 { chroma[t * 12 + c] = chromaC[o + c] }
        } else {
          staleChroma.append(t)
        }
      }
      if !staleChroma.isEmpty {
        var values: [Float] = []
        values.reserveCapacity(staleChroma.count * bins)
        for t in staleChroma {
          switch source(t) {
          case .left(let r): values += left.power[(r * bins)..<((r + 1) * bins)]
          case .right(let r): values += right.power[(r * bins)..<((r + 1) * bins)]
          case .stream(let f): values += cache.power[cache.row(f, width: bins)..<cache.row(f + 1, width: bins)]
          }
        }
        var raw = try dsp { () throws(DSPError) in
          try bank.apply(to: Spectrogram(frameCount: staleChroma.count, binCount: bins, values: values))
        }
        for (i, t) in staleChroma.enumerated() {
          var top: Float = 0
          for c in 0..<12 { top = max(top, abs(raw.values[i * 12 + c])) }
          if top >= Float.leastNormalMagnitude { for c in 0..<12 { raw.values[i * 12 + c] /= top } }
          for c in 0..<12 { chroma[t * 12 + c] = raw.values[i * 12 + c] }
          if case .stream(let f) = source(t) {
            let o = cache.row(f, width: 12)
            for c in 0..<12 { cache.chroma[o + c] = raw.values[i * 12 + c] }
            cache.chromaTuning[f - cache.base] = tuning
          }
        }
      }
    }

    // Harmonic and percussive sums: edges recomputed, interior from the stream's blocks.
    var hpss = (0.0, 0.0, 0.0, 0.0)
    if needsHPSS {
      let half = StreamFrameCache.kernel / 2
      func gather(_ range: Range<Int>, _ pick: (Source) -> ArraySlice<Float>) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(range.count * bins)
        for t in range { out += pick(source(t)) }
        return out
      }
      func rows(_ a: [Float], _ r: Int) -> ArraySlice<Float> { a[(r * bins)..<((r + 1) * bins)] }
      func cached(_ a: [Float], _ f: Int) -> ArraySlice<Float> { a[cache.row(f, width: bins)..<cache.row(f + 1, width: bins)] }
      /// The window's time medians of frames `range`: the stream's where the 31-frame window
      /// reads only stream frames (`le + half ... E − half`); near the edges, the median filter
      /// (scipy's `reflect` at the window's ends, as offline) over the window's first
      /// `le + 2·half` frames or its frames from `E − 2·half + 1` on, whose other end's padding
      /// reaches no row taken.
      let innerFirst = le + half
      let innerLast = lastInterior - half
      func harmonicMedians(_ range: Range<Int>) throws(FeatureError) -> [Float] {
        var out = [Float](repeating: 0, count: range.count * bins)
        let cacheBase = cache.base
        /// The median-filtered window frames `frames`, frames-major.
        func filtered(_ frames: Range<Int>) throws(FeatureError) -> [Float] {
          var values: [Float] = []
          values.reserveCapacity(frames.count * bins)
          for t in frames {
            switch source(t) {
            case .left(let r): values += rows(left.magnitude, r)
            case .right(let r): values += rows(right.magnitude, r)
            case .stream(let f): values += cached(cache.magnitude, f)
            }
          }
          return try dsp { () throws(DSPError) in
            try MedianFilter.apply(
              Spectrogram(frameCount: frames.count, binCount: bins, values: values), size: StreamFrameCache.kernel,
              along: .frames)
          }.values
        }
        func copy(_ t: Int, from values: [Float], row r: Int) {
          let o = (t - range.lowerBound) * bins
          for k in 0..<bins { out[o + k] = values[r * bins + k] }
        }
        cache.harmonicMedian.withUnsafeBufferPointer { hm in
          out.withUnsafeMutableBufferPointer { o in
            for t in range where t >= innerFirst && t <= innerLast {
              let src = hm.baseAddress! + (m + t - cacheBase) * bins
              (o.baseAddress! + (t - range.lowerBound) * bins).update(from: src, count: bins)
            }
          }
        }
        if range.lowerBound < innerFirst {
          let values = try filtered(0..<min(frameCount, innerFirst + half))
          for t in range.lowerBound..<min(range.upperBound, innerFirst) { copy(t, from: values, row: t) }
        }
        if range.upperBound > innerLast + 1 {
          let first = max(0, innerLast + 1 - half)
          let values = try filtered(first..<frameCount)
          for t in max(range.lowerBound, innerLast + 1)..<range.upperBound { copy(t, from: values, row: t - first) }
        }
        return out
      }
      /// The harmonic and percussive signals of frames `range` (a centred inverse STFT of those
      /// frames alone, which starts at window sample `range.lowerBound·hop`) with the window's
      /// time medians; the percussive one from the window's samples minus the harmonic one.
      func edgeSignals(_ range: Range<Int>) throws(FeatureError) -> (harmonic: [Float], percussive: [Float]) {
        let h = try harmonicMedians(range)
        func part(_ pickLeft: [Float], _ pickRight: [Float], _ stream: [Float]) -> [Float] {
          gather(range) { s in
            switch s {
            case .left(let r): rows(pickLeft, r)
            case .right(let r): rows(pickRight, r)
            case .stream(let f): cached(stream, f)
            }
          }
        }
        let re = part(left.real, right.real, cache.real)
        let im = part(left.imaginary, right.imaginary, cache.imaginary)
        let p = part(left.local.percussiveMedian, right.local.percussiveMedian, cache.percussiveMedian)
        let first = origin + range.lowerBound * hop
        let natural = hop * (range.count - 1)
        return try StreamFrameCache.harmonicPercussive(
          transform: extractor.stft, frames: range.count, bins: bins, real: re, imaginary: im, harmonic: h,
          percussive: p, first: 0, signal: samples[first..<(first + natural)])
      }
      func accumulate(_ y: [Float], _ z: [Float], _ range: Range<Int>) {
        for j in range {
          let a = Double(y[j])
          let b = Double(z[j])
          hpss.0 += a
          hpss.1 += a * a
          hpss.2 += b
          hpss.3 += b * b
        }
      }
      // Left: frames 0 ..< 21 give window samples 0 ..< 19·hop exactly.
      let leftFrames = le + half + 4
      let interiorStart = (le + half + 2) * hop
      let (lhy, lpy) = try edgeSignals(0..<leftFrames)
      accumulate(lhy, lpy, 0..<interiorStart)
      // Right: frames T − K ..< T give samples from (E − 17)·hop to the istft's end.
      let interiorEnd = (lastInterior - half - 2) * hop
      let k = frameCount - 1 - lastInterior + half + 5
      let (rhy, rpy) = try edgeSignals((frameCount - k)..<frameCount)
      let rightOrigin = (frameCount - k) * hop
      accumulate(rhy, rpy, (interiorEnd - rightOrigin)..<rhy.count)
      // Interior blocks.
      let firstBlock = m + interiorStart / hop
      let lastBlock = m + interiorEnd / hop
      precondition(
        firstBlock >= cache.blockBase && lastBlock <= cache.blockEnd,
        "blocks \(firstBlock)..<\(lastBlock) outside \(cache.blockBase)..<\(cache.blockEnd)")
      for b in firstBlock..<lastBlock {
        let o = 4 * (b - cache.blockBase)
        hpss.0 += cache.blockSums[o]
        hpss.1 += cache.blockSums[o + 1]
        hpss.2 += cache.blockSums[o + 2]
        hpss.3 += cache.blockSums[o + 3]
      }
    }

    // The row, in the recipe's column order.
    let count = Double(n)
    func moments(_ sum: Double, _ squares: Double) -> (Double, Double) {
      let mean = sum / count
      return (mean, max(0, squares / count - mean * mean))
    }
    func column(_ values: [Float], _ index: Int, _ width: Int) -> [Float] {
      (0..<frameCount).map { values[$0 * width + index] }
    }
    return recipe.columns.map { c in
      let values: [Float]
      switch c.feature {
      case .tempo: return Float(tempo ?? .nan)
      case .harmonic:
        let (mean, variance) = moments(hpss.0, hpss.1)
        return Float(c.statistic == .mean ? mean : variance)
      case .percussive:
        let (mean, variance) = moments(hpss.2, hpss.3)
        return Float(c.statistic == .mean ? mean : variance)
      case .rms: values = series[0]
      case .zeroCrossingRate: values = series[1]
      case .spectralCentroid: values = series[2]
      case .spectralBandwidth: values = series[3]
      case .spectralRolloff: values = series[4]
      case .spectralFlatness: values = series[5]
      case .chromaSTFT: values = chroma
      case .chroma(let i): values = column(chroma, i - 1, 12)
      case .mfcc(let i): values = column(mfcc, i - 1, nm)
      default: return .nan  // excluded by gridEligible
      }
      let stat = c.statistic == .mean ? FeatureExtractor.mean(values) : FeatureExtractor.variance(values)
      return Float(stat)
    }
  }

  /// The median of `values` (numpy's: the mean of the two middle values for an even count),
  /// by selection; `values` is reordered.
  static func median(_ values: inout [Float]) -> Float {
    let n = values.count
    let upper = select(&values, n / 2)
    if n % 2 == 1 { return upper }
    var lower = -Float.infinity
    for i in 0..<(n / 2) { lower = max(lower, values[i]) }
    return (lower + upper) / 2
  }

  /// Hoare quickselect: puts the `k`-th smallest value at `k` (smaller before it) and returns it.
  static func select(_ a: inout [Float], _ k: Int) -> Float {
    var lo = 0
    var hi = a.count - 1
    while lo < hi {
      let pivot = a[(lo + hi) / 2]
      var i = lo
      var j = hi
      while i <= j {
        while a[i] < pivot { i += 1 }
        while a[j] > pivot { j -= 1 }
        if i <= j {
          a.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if k <= j {
        hi = j
      } else if k >= i {
        lo = i
      } else {
        break
      }
    }
    return a[k]
  }

  /// `np.median` over bands of `max(0, current − previous)`, as
  /// ``FrameFeatures/onsetStrength(logMel:fftSize:hopLength:aggregate:)`` computes it.
  static func medianFlux(_ current: [Float], _ previous: [Float]) -> Float {
    let bands = current.count
    var flux = [Float](repeating: 0, count: bands)
    for m in 0..<bands { flux[m] = max(0, current[m] - previous[m]) }
    var positives = 0
    for m in 0..<bands where flux[m] > 0 {
      flux[positives] = flux[m]
      positives += 1
    }
    let zeros = bands - positives
    flux[0..<positives].sort()
    func ranked(_ k: Int) -> Float { k < zeros ? 0 : flux[k - zeros] }
    return bands % 2 == 1 ? ranked(bands / 2) : (ranked(bands / 2 - 1) + ranked(bands / 2)) / 2
  }

  /// STFT and frame-local features of the frames `take` of a centred analysis of `slice`.
  func edgeFrames(_ slice: [Float], take: Range<Int>) throws(FeatureError) -> EdgeFrames {
    let complex = try dsp { () throws(DSPError) in try extractor.stft.complex(slice) }
    let bins = complex.binCount
    let r = (take.lowerBound * bins)..<(take.upperBound * bins)
    let re = Array(complex.real[r])
    let im = Array(complex.imaginary[r])
    var p = [Float](repeating: 0, count: re.count)
    var mag = p
    for i in 0..<re.count {
      p[i] = re[i] * re[i] + im[i] * im[i]
      mag[i] = p[i].magnitude.squareRoot()  // `.magnitude`: provably ≥ 0, so `sqrtps`
    }
    // Frame-local features of the whole slice (RMS and ZCR need its samples), then the rows wanted.
    var allPower = [Float](repeating: 0, count: complex.real.count)
    for i in 0..<allPower.count {
      allPower[i] = complex.real[i] * complex.real[i] + complex.imaginary[i] * complex.imaginary[i]
    }
    let allMag = allPower.map { $0.magnitude.squareRoot() }
    let all = try FrameLocalFeatures(
      signal: slice, center: true, padMode: recipe.padMode,
      power: Spectrogram(frameCount: complex.frameCount, binCount: bins, values: allPower),
      magnitude: Spectrogram(frameCount: complex.frameCount, binCount: bins, values: allMag), cache: frames,
      needs: frames.needs)
    let s = StreamFrameCache.scalarCount
    let b = StreamFrameCache.melCount
    let local = FrameLocalFeatures(
      percussiveMedian: Array(all.percussiveMedian[r]),
      scalars: Array(all.scalars[(take.lowerBound * s)..<(take.upperBound * s)]),
      melDB: Array(all.melDB[(take.lowerBound * b)..<(take.upperBound * b)]),
      melMinimum: Array(all.melMinimum[take]), melMaximum: Array(all.melMaximum[take]),
      peaks: Array(all.peaks[take]))
    return EdgeFrames(count: take.count, real: re, imaginary: im, power: p, magnitude: mag, local: local)
  }
}

/// Frames at a window's edge (internal).
struct EdgeFrames {
  var count: Int
  var real: [Float]
  var imaginary: [Float]
  var power: [Float]
  var magnitude: [Float]
  var local: FrameLocalFeatures
}
