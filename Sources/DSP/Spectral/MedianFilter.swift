/// Running median filters with `scipy.ndimage.median_filter` semantics, as used by
/// `librosa.decompose.hpss` (harmonic: along time; percussive: along frequency).
///
/// The window of size `n` at position `i` covers `i − n/2 ... i + n − 1 − n/2` (integer
/// division, scipy's `origin=0`); the result is the element of rank `n/2` of the sorted window
/// (the upper middle for even `n`, as scipy's rank filter). Edges use scipy's `reflect` mode,
/// which repeats the edge sample (`d c b a | a b c d | d c b a`), extended periodically when the
/// window is longer than the line.
public enum MedianFilter {
  /// The spectrogram axis a median filter runs along.
  public enum Axis: Sendable, Hashable {
    /// Along time, across frames for each bin (librosa's harmonic filter, `size=(1, n)`).
    case frames
    /// Along frequency, across bins within each frame (librosa's percussive filter, `size=(n, 1)`).
    case bins
  }

  /// The largest window accepted (work grows with the window; librosa's default is 31).
  public static let maximumSize = 4097

  /// Median-filters every line of a spectrogram along one axis.
  ///
  /// Four lines are filtered at once, one per SIMD lane. Sizes `2T − 1` (3, 7, 15, 31, 63, 127;
  /// librosa's 31) run sorting networks over tiles of `T` outputs that share their sorted blocks
  /// (`MedianFilter+Network.swift`). Other sizes keep each lane's window sorted "vertically"
  /// (`sorted[r]` holds every lane's rank-`r` value), and one step removes the outgoing value and
  /// inserts the incoming one without branches:
  /// `S′[r] = S[r] ≥ old ? S[r+1] : S[r]` (drop one copy of `old`), then
  /// `T[r] = max(S′[r−1], min(S′[r], new))` (insert `new`), so the median is `T[n/2]`.
  ///
  /// - Parameters:
  ///   - spectrogram: frames-major values (finite; NaN has no defined rank).
  ///   - size: window length `n ≥ 1` (librosa's `kernel_size`, default 31 there).
  ///   - axis: the axis to filter along.
  /// - Returns: the filtered spectrogram, same shape; identical to scipy's values.
  /// - Throws: ``DSPError/invalidCount(name:value:valid:)`` when `size` is outside
  ///   `1...maximumSize`.
  /// - Complexity: O(values × log²`size`) vector operations for sizes `2T − 1` (about 10 per
  ///   value at 31), O(values × `size`) otherwise (about `6·size/4` per value); scratch of
  ///   O(`size` + line length) per call.
  public static func apply(_ spectrogram: Spectrogram, size: Int, along axis: Axis) throws(DSPError)
    -> Spectrogram
  {
    guard size >= 1, size <= maximumSize else {
      throw .invalidCount(name: "size", value: size, valid: "in 1...\(maximumSize)")
    }
    let frames = spectrogram.frameCount
    let bins = spectrogram.binCount
    if frames == 0 || bins == 0 || size == 1 { return spectrogram }
    guard let t = networkHalf(size: size) else { return runningFilter(spectrogram, size: size, along: axis) }
    let values = spectrogram.values.withUnsafeBufferPointer { xs in
      [Float](unsafeUninitializedCapacity: xs.count) { ys, initialized in
        networkApply(xs.baseAddress!, frames: frames, bins: bins, half: t, along: axis, into: ys.baseAddress!)
        initialized = xs.count
      }
    }
    return Spectrogram(frameCount: frames, binCount: bins, values: values)
  }

  /// ``apply(_:size:along:)`` by updating a sorted window per line (any size; the network kernel
  /// of `MedianFilter+Network.swift` takes sizes `2T − 1`).
  static func runningFilter(_ spectrogram: Spectrogram, size: Int, along axis: Axis) -> Spectrogram {
    let frames = spectrogram.frameCount
    let bins = spectrogram.binCount
    if frames == 0 || bins == 0 || size == 1 { return spectrogram }
    // A line runs along `axis`; `step` is the distance between its elements and `next` the
    // distance between neighbouring lines.
    let length = axis == .frames ? frames : bins
    let lines = axis == .frames ? bins : frames
    let step = axis == .frames ? bins : 1
    let next = axis == .frames ? 1 : bins
    let extended = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: length + size - 1)
    let sorted = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: size + 1)
    defer {
      extended.deallocate()
      sorted.deallocate()
    }
    // Every output value is written below, so the result starts uninitialised (copying the
    // input first cost a 5 MB memmove per call on a 30 s spectrogram).
    let values = spectrogram.values.withUnsafeBufferPointer { xs in
      [Float](unsafeUninitializedCapacity: xs.count) { ys, initialized in
        let x = xs.baseAddress!
        let y = ys.baseAddress!
        var line = 0
        while line < lines {
          runningLines(
            x + line * next, count: min(4, lines - line), length: length, step: step, next: next, size: size,
            extended: extended, sorted: sorted, into: y + line * next)
          line += 4
        }
        initialized = xs.count
      }
    }
    return Spectrogram(frameCount: frames, binCount: bins, values: values)
  }

  /// Filters `count ≤ 4` lines of `length` values (element `i` of line `l` at `x[i·step + l·next]`,
  /// the same layout in `y`) with the running sorted window.
  ///
  /// - Parameters:
  ///   - extended: scratch of `length + size − 1` vectors.
  ///   - sorted: scratch of `size + 1` vectors.
  static func runningLines(
    _ x: UnsafePointer<Float>, count: Int, length: Int, step: Int, next: Int, size: Int,
    extended: UnsafeMutablePointer<SIMD4<Float>>, sorted: UnsafeMutablePointer<SIMD4<Float>>,
    into y: UnsafeMutablePointer<Float>
  ) {
    let half = size / 2
    // Gather up to four lines into lanes, with scipy 'reflect' extension.
    for j in 0..<(length + size - 1) {
      let source = reflect(j - half, length: length) * step
      if count == 4 && next == 1 {
        extended[j] = UnsafeRawPointer(x + source).loadUnaligned(as: SIMD4<Float>.self)
      } else {
        var v = SIMD4<Float>()
        for lane in 0..<count { v[lane] = x[source + lane * next] }
        extended[j] = v
      }
    }
    runningMedian(extended, length: length, size: size, sorted: sorted) { i, median in
      let target = i * step
      for lane in 0..<count { y[target + lane * next] = median[lane] }
    }
  }

  /// scipy 'reflect' index: whole-sample symmetric (edge repeated), period `2·length`.
  @inline(__always)
  static func reflect(_ j: Int, length: Int) -> Int {
    let period = 2 * length
    var m = j % period
    if m < 0 { m += period }
    return m < length ? m : period - 1 - m
  }

  /// Lane-wise minimum written as a compare and select, which LLVM turns into `minps`
  /// (`pointwiseMin`'s NaN rules made it scalarise).
  @inline(__always)
  private static func minimum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
    a.replacing(with: b, where: b .< a)
  }

  /// Lane-wise maximum as a compare and select (`maxps`).
  @inline(__always)
  private static func maximum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
    a.replacing(with: b, where: b .> a)
  }

  /// The running rank-`size/2` value of `length + size − 1` extended lane vectors, reported as
  /// `body(i, median)` for `i` in `0..<length`.
  @inline(__always)
  private static func runningMedian(
    _ ext: UnsafePointer<SIMD4<Float>>, length: Int, size n: Int,
    sorted s: UnsafeMutablePointer<SIMD4<Float>>, _ body: (Int, SIMD4<Float>) -> Void
  ) {
    let rank = n / 2
    let lowest = SIMD4<Float>(repeating: -.infinity)
    let highest = SIMD4<Float>(repeating: .infinity)
    // Build the first window by n insertions into a list of +∞ (each drops the last +∞).
    for r in 0..<n { s[r] = highest }
    for j in 0..<n {
      let v = ext[j]
      var previous = lowest
      for r in 0..<n {
        let current = s[r]
        s[r] = Self.maximum(previous, Self.minimum(current, v))
        previous = current
      }
    }
    body(0, s[rank])
    s[n] = highest
    for i in 1..<max(length, 1) {
      update(s, size: n, removing: ext[i - 1], inserting: ext[i - 1 + n])
      body(i, s[rank])
    }
  }

  /// One step of the sorted window `s[0..<n]` (with `s[n] = +∞`): drops one copy of `old` and
  /// inserts `new`, lane by lane and without branches,
  /// `S′[r] = S[r] ≥ old ? S[r+1] : S[r]`, `T[r] = max(S′[r−1], min(S′[r], new))`.
  /// Two ranks per iteration, each loaded once (loop overhead and register copies were a
  /// quarter of the instructions).
  @inline(__always)
  static func update(
    _ s: UnsafeMutablePointer<SIMD4<Float>>, size n: Int, removing old: SIMD4<Float>,
    inserting new: SIMD4<Float>
  ) {
    var previous = SIMD4<Float>(repeating: -.infinity)
    var here = s[0]
    var r = 0
    while r + 4 <= n {
      let s1 = s[r + 1]
      let c0 = here.replacing(with: s1, where: here .>= old)
      s[r] = maximum(previous, minimum(c0, new))
      let s2 = s[r + 2]
      let c1 = s1.replacing(with: s2, where: s1 .>= old)
      s[r + 1] = maximum(c0, minimum(c1, new))
      let s3 = s[r + 3]
      let c2 = s2.replacing(with: s3, where: s2 .>= old)
      s[r + 2] = maximum(c1, minimum(c2, new))
      let s4 = s[r + 4]
      let c3 = s3.replacing(with: s4, where: s3 .>= old)
      s[r + 3] = maximum(c2, minimum(c3, new))
      previous = c3
      here = s4
      r += 4
    }
    while r + 2 <= n {
      let next = s[r + 1]
      let c0 = here.replacing(with: next, where: here .>= old)
      s[r] = maximum(previous, minimum(c0, new))
      let after = s[r + 2]
      let c1 = next.replacing(with: after, where: next .>= old)
      s[r + 1] = maximum(c0, minimum(c1, new))
      previous = c1
      here = after
      r += 2
    }
    if r < n {
      let current = here.replacing(with: s[r + 1], where: here .>= old)
      s[r] = maximum(previous, minimum(current, new))
    }
    s[n] = SIMD4(repeating: .infinity)
  }

  /// Median-filters a single sequence (a 1-D `scipy.ndimage.median_filter(x, size, mode='reflect')`).
  ///
  /// - Parameters:
  ///   - values: finite samples.
  ///   - size: window length `n ≥ 1`.
  /// - Returns: the filtered values.
  /// - Throws: ``DSPError/invalidCount(name:value:valid:)`` when `size < 1`.
  public static func apply(_ values: [Float], size: Int) throws(DSPError) -> [Float] {
    try apply(
      Spectrogram(frameCount: values.count, binCount: 1, values: values), size: size,
      along: .frames
    ).values
  }
  /// The median filter along frames (librosa's harmonic filter) produced one frame at a time,
  /// for callers that consume a spectrogram frame by frame: frame `i` of the output equals frame
  /// `i` of ``apply(_:size:along:)`` with ``Axis/frames``, value for value.
  ///
  /// Sizes `2T − 1` (librosa's 31) compute a block of frames at once with the network kernel
  /// (four tiles of 16 for 31) from the source rows around it and hand it out row by row. Other sizes keep
  /// every bin's sorted window (four bins per SIMD lane group, as ``apply(_:size:along:)``);
  /// advancing reads one incoming and one outgoing row of the source. Either way the source is
  /// read row by row instead of line by line and no output spectrogram is stored.
  ///
  /// Not `Sendable`: scratch state for one caller.
  package final class FrameStream {
    let frames: Int
    let bins: Int
    let size: Int
    let groups: Int
    /// `groups × (size + 1)` sorted lane vectors (running filter; none for network sizes).
    let sorted: UnsafeMutablePointer<SIMD4<Float>>
    /// The network kernel's scratch for sizes `2T − 1`, and the `T` rows of its current tile.
    let network: NetworkWorkspace?
    let tile: UnsafeMutablePointer<Float>
    private(set) var nextFrame = 0

    /// - Precondition: `size` in `1...maximumSize`, at least one frame and bin.
    package init(frameCount: Int, binCount: Int, size: Int) {
      precondition(size >= 1 && size <= MedianFilter.maximumSize && frameCount >= 1 && binCount >= 1,
        "median stream of \(frameCount)×\(binCount) with size \(size)")
      frames = frameCount
      bins = binCount
      self.size = size
      groups = (binCount + 3) / 4
      if let t = MedianFilter.networkHalf(size: size) {
        network = MedianFilter.networkRowsWorkspace(bins: binCount, half: t)
        tile = .allocate(capacity: MedianFilter.networkBlock(half: t) * binCount)
        sorted = .allocate(capacity: 0)
      } else {
        network = nil
        tile = .allocate(capacity: binCount)
        sorted = .allocate(capacity: groups * (size + 1))
      }
    }

    deinit {
      sorted.deallocate()
      tile.deallocate()
      network?.deallocate()
    }

    /// Bins `4g ..< 4g + 4` (fewer in the last group, the rest repeating the first) of the
    /// extended frame `j` (scipy 'reflect' along frames).
    @inline(__always)
    private func lanes(_ source: UnsafePointer<Float>, extended j: Int, group g: Int) -> SIMD4<Float> {
      let row = source + MedianFilter.reflect(j - size / 2, length: frames) * bins + 4 * g
      if 4 * g + 4 <= bins { return UnsafeRawPointer(row).loadUnaligned(as: SIMD4<Float>.self) }
      var v = SIMD4<Float>(repeating: row[0])
      for lane in 1..<(bins - 4 * g) { v[lane] = row[lane] }
      return v
    }

    /// Frames computed together (``MedianFilter/networkBlock(half:)`` for sizes `2T − 1`, else
    /// 1): the rows of ``next(source:)`` stay valid until the stream has handed out the rest of
    /// the block they belong to (blocks start at frame 0).
    package var blockLength: Int { network.map { MedianFilter.networkBlock(half: $0.half) } ?? 1 }

    /// The next output frame (``binCount`` values) in the stream's own memory, valid as
    /// ``blockLength`` says (no copy).
    ///
    /// - Parameter source: the whole input spectrogram, frames-major, the same every call.
    package func next(source: UnsafePointer<Float>) -> UnsafePointer<Float> {
      precondition(nextFrame < frames, "all \(frames) frames were already produced")
      guard let network else {
        next(source: source, into: tile)
        return UnsafePointer(tile)
      }
      // Sizes 2T − 1: a block of frames at once, handed out row by row.
      let block = MedianFilter.networkBlock(half: network.half)
      let k = nextFrame % block
      if k == 0 {
        MedianFilter.networkRows(
          source: source, frames: frames, bins: bins, first: nextFrame, count: min(block, frames - nextFrame),
          workspace: network, into: tile)
      }
      nextFrame += 1
      return UnsafePointer(tile + k * bins)
    }

    /// Writes the next output frame (``binCount`` values) into `row`.
    ///
    /// - Parameter source: the whole input spectrogram, frames-major, the same every call.
    package func next(source: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>) {
      precondition(nextFrame < frames, "all \(frames) frames were already produced")
      if network != nil {
        row.update(from: next(source: source), count: bins)
        return
      }
      let n = size
      let rank = n / 2
      let lowest = SIMD4<Float>(repeating: -.infinity)
      let highest = SIMD4<Float>(repeating: .infinity)
      let i = nextFrame
      for g in 0..<groups {
        let s = sorted + g * (n + 1)
        if i == 0 {
          for r in 0..<n { s[r] = highest }
          for j in 0..<n {
            let v = lanes(source, extended: j, group: g)
            var previous = lowest
            for r in 0..<n {
              let current = s[r]
              s[r] = Self.maximum(previous, Self.minimum(current, v))
              previous = current
            }
          }
          s[n] = highest
        } else {
          MedianFilter.update(
            s, size: n, removing: lanes(source, extended: i - 1, group: g),
            inserting: lanes(source, extended: i - 1 + n, group: g))
        }
        let median = s[rank]
        let count = min(4, bins - 4 * g)
        if count == 4 {
          UnsafeMutableRawPointer(row + 4 * g).storeBytes(of: median, as: SIMD4<Float>.self)
        } else {
          for lane in 0..<count { row[4 * g + lane] = median[lane] }
        }
      }
      nextFrame += 1
    }

    @inline(__always)
    static func minimum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
      a.replacing(with: b, where: b .< a)
    }

    @inline(__always)
    static func maximum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
      a.replacing(with: b, where: b .> a)
    }
  }
}
