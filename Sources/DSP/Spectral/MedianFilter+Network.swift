/// The median of windows of `n = 2T − 1` values (`T` a power of two: 3, 7, 15, 31, 63, 127),
/// computed for `T` neighbouring windows at once with sorting networks that share their work.
///
/// The windows of outputs `0 ..< T` (inputs `i ..< i + n` of an extended line) all contain the
/// *core* `T − 1 ..< 2T − 1`; a tile of `2K` outputs with core `C` splits into two tiles of `K`
/// whose cores add `K` inputs each (`C` plus inputs `K − 1 ..< 2K − 1` on the left, `n ..< n + K`
/// on the right, relative to the tile). Every such block of `K` inputs starts at an offset
/// `≡ K − 1 (mod K)` because `n + 1 = 2T`, so sorted blocks of 2, 4, …, `T` inputs are built
/// once per tile by odd–even merges of the blocks below them.
///
/// Only `K` ranks of a core of a tile of `K` outputs can still become a median (`K − 1` inputs
/// are still to come): the ranks `T − K ..< T`. Going down a level keeps the middle `K` of the
/// `3K` values of the parent's window `W` (`2K` sorted) and the child's sorted block `B` (`K`):
/// the `K` largest of `W[0..<K] ∪ B` are `max(W[i], B[K−1−i])`, a bitonic sequence, and the wanted
/// middle is the `K` smallest of those and `W[K..<2K]`, `min(H[i], W[2K−1−i])` once `H` is
/// sorted; half-cleaners sort each bitonic sequence. At `K = 1` the median is
/// `min(W[1], max(W[0], x))`.
///
/// Every value is a compare and select of inputs (`minps`/`maxps`), so the medians are the exact
/// order statistics the running filter gives (zeros of either sign compare equal; a `-0` input
/// may come out as `+0` or the reverse).
extension MedianFilter {
  /// `T` for a window of `n = 2T − 1` values handled by the network kernel, or `nil`.
  static func networkHalf(size n: Int) -> Int? {
    guard n >= 3, n <= 127, (n + 1) & n == 0 else { return nil }
    return (n + 1) / 2
  }

  /// Scratch vectors a tile of `T` outputs needs: one sorted copy of the tile's `3T − 2`
  /// inputs per block size `2, 4, …, T`, and three levels of windows of `T`.
  static func networkScratchCount(half t: Int) -> Int {
    (3 * t - 2) * t.trailingZeroBitCount + 3 * t
  }

  /// Compare-exchange of `x[i]` and `x[j]` (`i` gets the smaller), lane by lane. Each select uses
  /// the one mask, so equal values keep both copies, and LLVM emits `minps` and `maxps`.
  @inline(__always)
  private static func exchange(_ x: UnsafeMutablePointer<SIMD4<Float>>, _ i: Int, _ j: Int) {
    let a = x[i]
    let b = x[j]
    let swap = b .< a
    x[i] = a.replacing(with: b, where: swap)
    x[j] = b.replacing(with: a, where: swap)
  }

  /// Compare-exchanges `x[i]` and `x[i + d]` for `i` in `start ..< start + d`, for `start` from
  /// `first` in steps of `2d` while `start + d < end`: one stage of a merging network. Constant
  /// arguments unroll it completely.
  @inline(__always)
  private static func stage(
    _ x: UnsafeMutablePointer<SIMD4<Float>>, from first: Int, to end: Int, distance d: Int
  ) {
    var start = first
    while start &+ d < end {
      for i in 0..<d { exchange(x, start &+ i, start &+ i &+ d) }
      start &+= 2 &* d
    }
  }

  /// Batcher's odd–even merge of the sorted halves `x[0..<m]` and `x[m..<2m]` (`m` a power of
  /// two) in place: a stage at distance `m`, then stages at `m/2, …, 1` between the blocks.
  private static func oddEvenMerge(_ x: UnsafeMutablePointer<SIMD4<Float>>, half m: Int) {
    stage(x, from: 0, to: 2 * m, distance: m)
    var d = m / 2
    while d >= 1 {
      stage(x, from: d, to: 2 * m, distance: d)
      d /= 2
    }
  }

  /// Sorts the bitonic sequence `x[0..<k]` (`k` a power of two) with half-cleaners at distances
  /// `k/2, …, 1`.
  private static func sortBitonic(_ x: UnsafeMutablePointer<SIMD4<Float>>, count k: Int) {
    var d = k / 2
    while d >= 1 {
      stage(x, from: 0, to: k, distance: d)
      d /= 2
    }
  }

  /// The `k` largest of `w[0..<k] ∪ b[0..<k]` (both sorted) as a bitonic sequence in `out`.
  @inline(__always)
  private static func upperHalf(
    _ w: UnsafePointer<SIMD4<Float>>, _ b: UnsafePointer<SIMD4<Float>>, count k: Int,
    into out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    for i in 0..<k {
      let x = w[i]
      let y = b[k &- 1 &- i]
      out[i] = x.replacing(with: y, where: y .> x)
    }
  }

  /// The `k` smallest of `out[0..<k] ∪ w[k..<2k]` (both sorted) as a bitonic sequence in `out`.
  @inline(__always)
  private static func lowerHalf(
    _ out: UnsafeMutablePointer<SIMD4<Float>>, _ w: UnsafePointer<SIMD4<Float>>, count k: Int
  ) {
    for i in 0..<k {
      let x = out[i]
      let y = w[2 &* k &- 1 &- i]
      out[i] = x.replacing(with: y, where: y .< x)
    }
  }

  /// The middle `k` (sorted) of `w[0..<2k] ∪ b[0..<k]`, both sorted, into `out[0..<k]`.
  private static func middle(
    _ w: UnsafePointer<SIMD4<Float>>, _ b: UnsafePointer<SIMD4<Float>>, count k: Int,
    into out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    upperHalf(w, b, count: k, into: out)
    sortBitonic(out, count: k)
    lowerHalf(out, w, count: k)
    sortBitonic(out, count: k)
  }

  /// The medians of the `T` windows `e[i ..< i + 2T − 1]`, `i` in `0..<T`, into `out[0..<T]`.
  ///
  /// - Parameters:
  ///   - e: `3T − 2` lane vectors (four lines side by side).
  ///   - t: `T`, a power of two in `2...64`.
  ///   - scratch: ``networkScratchCount(half:)`` vectors.
  ///   - out: `T` medians.
  /// - Complexity: about `3·T·log²T` compare-exchanges per tile, against `T·(2T − 1)` compare
  ///   and select steps for `T` updates of a sorted window.
  @inline(__always)
  static func networkTile(
    _ e: UnsafePointer<SIMD4<Float>>, half t: Int, scratch: UnsafeMutablePointer<SIMD4<Float>>,
    into out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    if t == 16 {
      networkTile31(e, scratch: scratch, into: out)
    } else {
      anyNetworkTile(e, half: t, scratch: scratch, into: out)
    }
  }

  /// ``networkTile(_:half:scratch:into:)`` for `T = 16` (librosa's kernel 31) with every level
  /// spelled out, so each network is unrolled with constant offsets (about 2.5 times faster than
  /// the loops over levels of ``anyNetworkTile(_:half:scratch:into:)``, which compute the same).
  @inline(never)
  static func networkTile31(
    _ e: UnsafePointer<SIMD4<Float>>, scratch: UnsafeMutablePointer<SIMD4<Float>>,
    into out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let span = 46
    let s2 = scratch
    let s4 = s2 + span
    let s8 = s4 + span
    let s16 = s8 + span
    for pair in 0..<22 {
      let a = e[2 * pair + 1]
      let b = e[2 * pair + 2]
      let swap = b .< a
      s2[2 * pair + 1] = a.replacing(with: b, where: swap)
      s2[2 * pair + 2] = b.replacing(with: a, where: swap)
    }
    for block in 0..<10 {
      let o = 4 * block + 3
      for i in 0..<4 { s4[o + i] = s2[o + i] }
      exchange(s4 + o, 0, 2)
      exchange(s4 + o, 1, 3)
      exchange(s4 + o, 1, 2)
    }
    for block in 0..<4 {
      let o = 8 * block + 7
      for i in 0..<8 { s8[o + i] = s4[o + i] }
      merge4(s8 + o)
    }
    let w16 = s16 + 15
    for i in 0..<16 { w16[i] = s8[15 + i] }
    merge8(w16)
    let w8 = s16 + span  // three window levels of 16 after the four block levels
    middle8(w16, s8 + 7, into: w8)
    middle8(w16, s8 + 31, into: w8 + 8)
    let w4 = w8 + 16
    for child in 0..<4 {
      let tile = (child / 2) * 8
      middle4(w8 + tile, s4 + (child % 2 == 0 ? tile + 3 : tile + 31), into: w4 + 4 * child)
    }
    let w2 = w4 + 16
    for child in 0..<8 {
      let tile = (child / 2) * 4
      middle2(w4 + tile, s2 + (child % 2 == 0 ? tile + 1 : tile + 31), into: w2 + 2 * child)
    }
    lastLevel(e, windows: w2, half: 16, into: out)
  }

  // The networks of `networkTile31`, spelled out on local values: with constant sizes every
  // stage unrolls, and locals stay in registers (through pointers, which might alias, every
  // exchange was stored and reloaded). The optimiser does not inline these into the tile.

  /// Orders `a ≤ b` lane by lane (one mask, `minps` and `maxps`; equal values keep both copies).
  @inline(__always)
  private static func order(_ a: inout SIMD4<Float>, _ b: inout SIMD4<Float>) {
    let swap = b .< a
    let low = a.replacing(with: b, where: swap)
    b = b.replacing(with: a, where: swap)
    a = low
  }

  @inline(__always)
  private static func larger(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
    a.replacing(with: b, where: b .> a)
  }

  @inline(__always)
  private static func smaller(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
    a.replacing(with: b, where: b .< a)
  }

  /// ``oddEvenMerge(_:half:)`` with `m = 4`.
  @inline(never)
  private static func merge4(_ x: UnsafeMutablePointer<SIMD4<Float>>) {
    var x0 = x[0]
    var x1 = x[1]
    var x2 = x[2]
    var x3 = x[3]
    var x4 = x[4]
    var x5 = x[5]
    var x6 = x[6]
    var x7 = x[7]
    order(&x0, &x4)
    order(&x1, &x5)
    order(&x2, &x6)
    order(&x3, &x7)
    order(&x2, &x4)
    order(&x3, &x5)
    order(&x1, &x2)
    order(&x3, &x4)
    order(&x5, &x6)
    x[0] = x0
    x[1] = x1
    x[2] = x2
    x[3] = x3
    x[4] = x4
    x[5] = x5
    x[6] = x6
    x[7] = x7
  }

  /// ``oddEvenMerge(_:half:)`` with `m = 8`.
  @inline(never)
  private static func merge8(_ x: UnsafeMutablePointer<SIMD4<Float>>) {
    var x0 = x[0]
    var x1 = x[1]
    var x2 = x[2]
    var x3 = x[3]
    var x4 = x[4]
    var x5 = x[5]
    var x6 = x[6]
    var x7 = x[7]
    var x8 = x[8]
    var x9 = x[9]
    var x10 = x[10]
    var x11 = x[11]
    var x12 = x[12]
    var x13 = x[13]
    var x14 = x[14]
    var x15 = x[15]
    order(&x0, &x8)
    order(&x1, &x9)
    order(&x2, &x10)
    order(&x3, &x11)
    order(&x4, &x12)
    order(&x5, &x13)
    order(&x6, &x14)
    order(&x7, &x15)
    order(&x4, &x8)
    order(&x5, &x9)
    order(&x6, &x10)
    order(&x7, &x11)
    order(&x2, &x4)
    order(&x3, &x5)
    order(&x6, &x8)
    order(&x7, &x9)
    order(&x10, &x12)
    order(&x11, &x13)
    order(&x1, &x2)
    order(&x3, &x4)
    order(&x5, &x6)
    order(&x7, &x8)
    order(&x9, &x10)
    order(&x11, &x12)
    order(&x13, &x14)
    x[0] = x0
    x[1] = x1
    x[2] = x2
    x[3] = x3
    x[4] = x4
    x[5] = x5
    x[6] = x6
    x[7] = x7
    x[8] = x8
    x[9] = x9
    x[10] = x10
    x[11] = x11
    x[12] = x12
    x[13] = x13
    x[14] = x14
    x[15] = x15
  }

  /// ``middle(_:_:count:into:)`` with `k = 8`.
  @inline(never)
  private static func middle8(
    _ w: UnsafePointer<SIMD4<Float>>, _ b: UnsafePointer<SIMD4<Float>>,
    into out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    var x0 = larger(w[0], b[7])
    var x1 = larger(w[1], b[6])
    var x2 = larger(w[2], b[5])
    var x3 = larger(w[3], b[4])
    var x4 = larger(w[4], b[3])
    var x5 = larger(w[5], b[2])
    var x6 = larger(w[6], b[1])
    var x7 = larger(w[7], b[0])
    order(&x0, &x4)
    order(&x1, &x5)
    order(&x2, &x6)
    order(&x3, &x7)
    order(&x0, &x2)
    order(&x1, &x3)
    order(&x4, &x6)
    order(&x5, &x7)
    order(&x0, &x1)
    order(&x2, &x3)
    order(&x4, &x5)
    order(&x6, &x7)
    x0 = smaller(x0, w[15])
    x1 = smaller(x1, w[14])
    x2 = smaller(x2, w[13])
    x3 = smaller(x3, w[12])
    x4 = smaller(x4, w[11])
    x5 = smaller(x5, w[10])
    x6 = smaller(x6, w[9])
    x7 = smaller(x7, w[8])
    order(&x0, &x4)
    order(&x1, &x5)
    order(&x2, &x6)
    order(&x3, &x7)
    order(&x0, &x2)
    order(&x1, &x3)
    order(&x4, &x6)
    order(&x5, &x7)
    order(&x0, &x1)
    order(&x2, &x3)
    order(&x4, &x5)
    order(&x6, &x7)
    out[0] = x0
    out[1] = x1
    out[2] = x2
    out[3] = x3
    out[4] = x4
    out[5] = x5
    out[6] = x6
    out[7] = x7
  }

  /// ``middle(_:_:count:into:)`` with `k = 4`.
  @inline(never)
  private static func middle4(
    _ w: UnsafePointer<SIMD4<Float>>, _ b: UnsafePointer<SIMD4<Float>>,
    into out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    var x0 = larger(w[0], b[3])
    var x1 = larger(w[1], b[2])
    var x2 = larger(w[2], b[1])
    var x3 = larger(w[3], b[0])
    order(&x0, &x2)
    order(&x1, &x3)
    order(&x0, &x1)
    order(&x2, &x3)
    x0 = smaller(x0, w[7])
    x1 = smaller(x1, w[6])
    x2 = smaller(x2, w[5])
    x3 = smaller(x3, w[4])
    order(&x0, &x2)
    order(&x1, &x3)
    order(&x0, &x1)
    order(&x2, &x3)
    out[0] = x0
    out[1] = x1
    out[2] = x2
    out[3] = x3
  }

  /// ``middle(_:_:count:into:)`` with `k = 2`.
  @inline(__always)
  private static func middle2(
    _ w: UnsafePointer<SIMD4<Float>>, _ b: UnsafePointer<SIMD4<Float>>,
    into out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    var x0 = larger(w[0], b[1])
    var x1 = larger(w[1], b[0])
    order(&x0, &x1)
    x0 = smaller(x0, w[3])
    x1 = smaller(x1, w[2])
    order(&x0, &x1)
    out[0] = x0
    out[1] = x1
  }

  /// ``networkTile31(_:scratch:into:)`` for `tiles` consecutive tiles of one extended line
  /// (`16·tiles + 30` inputs at `e`, medians into `out[0 ..< 16·tiles]`): the sorted blocks of
  /// 2, 4 and 8 are shared by neighbouring tiles, so each is built once for the line (63
  /// compare-exchanges per tile instead of 113).
  ///
  /// - Parameter scratch: `4·(16·tiles + 30) + 48` vectors.
  static func networkLine31(
    _ e: UnsafePointer<SIMD4<Float>>, tiles: Int, scratch: UnsafeMutablePointer<SIMD4<Float>>,
    into out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let length = 16 * tiles + 30
    let s2 = scratch
    let s4 = s2 + length
    let s8 = s4 + length
    let s16 = s8 + length
    let w8 = s16 + length
    let w4 = w8 + 16
    let w2 = w4 + 16
    var o = 1
    while o + 2 <= length {
      let a = e[o]
      let b = e[o + 1]
      let swap = b .< a
      s2[o] = a.replacing(with: b, where: swap)
      s2[o + 1] = b.replacing(with: a, where: swap)
      o += 2
    }
    o = 3
    while o + 4 <= length {
      for i in 0..<4 { s4[o + i] = s2[o + i] }
      exchange(s4 + o, 0, 2)
      exchange(s4 + o, 1, 3)
      exchange(s4 + o, 1, 2)
      o += 4
    }
    o = 7
    while o + 8 <= length {
      for i in 0..<8 { s8[o + i] = s4[o + i] }
      merge4(s8 + o)
      o += 8
    }
    for tile in 0..<tiles {
      let p = 16 * tile
      let w16 = s16 + p + 15
      for i in 0..<16 { w16[i] = s8[p + 15 + i] }
      merge8(w16)
      middle8(w16, s8 + p + 7, into: w8)
      middle8(w16, s8 + p + 31, into: w8 + 8)
      for child in 0..<4 {
        let q = (child / 2) * 8
        middle4(w8 + q, s4 + p + (child % 2 == 0 ? q + 3 : q + 31), into: w4 + 4 * child)
      }
      for child in 0..<8 {
        let q = (child / 2) * 4
        middle2(w4 + q, s2 + p + (child % 2 == 0 ? q + 1 : q + 31), into: w2 + 2 * child)
      }
      lastLevel(e + p, windows: w2, half: 16, into: out + p)
    }
  }

  /// The medians from the windows of pairs of outputs: `min(W[1], max(W[0], x))`.
  @inline(__always)
  private static func lastLevel(
    _ e: UnsafePointer<SIMD4<Float>>, windows window: UnsafePointer<SIMD4<Float>>, half t: Int,
    into out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let n = 2 * t - 1
    var i = 0
    while i < t {
      let low = window[i]
      let high = window[i + 1]
      let left = e[i]
      let right = e[i + n]
      let a = low.replacing(with: left, where: left .> low)
      out[i] = a.replacing(with: high, where: high .< a)
      let b = low.replacing(with: right, where: right .> low)
      out[i + 1] = b.replacing(with: high, where: high .< b)
      i += 2
    }
  }

  /// ``networkTile(_:half:scratch:into:)`` for any `T`, with loops over the levels.
  static func anyNetworkTile(
    _ e: UnsafePointer<SIMD4<Float>>, half t: Int, scratch: UnsafeMutablePointer<SIMD4<Float>>,
    into out: UnsafeMutablePointer<SIMD4<Float>>
  ) {
    let span = 3 * t - 2
    let n = 2 * t - 1
    // Level K (sorted blocks of K at offsets ≡ K − 1 mod K) at scratch + (log₂K − 1)·span.
    var offset = 1
    while offset + 2 <= span {
      let a = e[offset]
      let b = e[offset + 1]
      let swap = b .< a
      scratch[offset] = a.replacing(with: b, where: swap)
      scratch[offset + 1] = b.replacing(with: a, where: swap)
      offset += 2
    }
    var below = scratch
    var k = 4
    while k <= t {
      let level = below + span
      offset = k - 1
      while offset + k <= span {
        (level + offset).update(from: below + offset, count: k)
        oddEvenMerge(level + offset, half: k / 2)
        offset += k
      }
      below = level
      k *= 2
    }
    // `below` is level T; its one block at T − 1 is the sorted core of the whole tile.
    var window = scratch + t.trailingZeroBitCount * span
    var next = window + t
    window.update(from: below + (t - 1), count: t)
    k = t / 2
    var levelK = below
    while k >= 2 {
      levelK -= span
      for child in 0..<(t / k) {
        let tile = (child / 2) * 2 * k
        let block = levelK + (child % 2 == 0 ? tile + k - 1 : tile + n)
        middle(window + tile, block, count: k, into: next + child * k)
      }
      swap(&window, &next)
      k /= 2
    }
    lastLevel(e, windows: window, half: t, into: out)
  }
}

extension MedianFilter {
  /// Scratch memory for the network kernel: the gathered inputs of one tile (or one whole
  /// extended line), the tile's medians, the sorted blocks and windows, and source indices.
  /// Not `Sendable`: one per call or per stream.
  struct NetworkWorkspace {
    let half: Int
    /// `inputCount` gathered lane vectors.
    let inputs: UnsafeMutablePointer<SIMD4<Float>>
    /// The medians of one tile, or of a whole line (`inputCount`).
    let medians: UnsafeMutablePointer<SIMD4<Float>>
    let scratch: UnsafeMutablePointer<SIMD4<Float>>
    /// `inputCount` source line positions (scipy 'reflect' indices).
    let sources: UnsafeMutablePointer<Int>

    /// - Parameters:
    ///   - t: `T` of the window.
    ///   - inputCount: the most gathered inputs at once (at least `3T − 2`).
    ///   - lineLength: the longest extended line filtered at once (at least `3T − 2`).
    init(half t: Int, inputCount: Int, lineLength: Int) {
      half = t
      inputs = .allocate(capacity: inputCount)
      medians = .allocate(capacity: max(t, lineLength))
      // Per tile, or for ``MedianFilter/networkLine31(_:tiles:scratch:into:)`` along a line.
      scratch = .allocate(capacity: max(MedianFilter.networkScratchCount(half: t), 4 * lineLength + 3 * t))
      sources = .allocate(capacity: inputCount)
    }

    func deallocate() {
      inputs.deallocate()
      medians.deallocate()
      scratch.deallocate()
      sources.deallocate()
    }
  }

  /// Output frames per ``networkRows(source:frames:bins:first:count:workspace:into:)`` call:
  /// four tiles for `T = 16` (which share their sorted blocks), one otherwise.
  static func networkBlock(half t: Int) -> Int {
    t == 16 ? 64 : t
  }

  /// The extended frames one ``networkRows(source:frames:bins:first:count:workspace:into:)`` call
  /// reads: a block and `2T − 2`.
  static func networkRowsLine(half t: Int) -> Int {
    networkBlock(half: t) + 2 * t - 2
  }

  /// A workspace for ``networkRows(source:frames:bins:first:count:workspace:into:)``: one line of
  /// lane vectors of four bins per group.
  static func networkRowsWorkspace(bins: Int, half t: Int) -> NetworkWorkspace {
    let line = networkRowsLine(half: t)
    return NetworkWorkspace(half: t, inputCount: (bins + 3) / 4 * line, lineLength: line)
  }

  /// Medians along frames of the output frames `first ..< first + count` (`count` at most
  /// ``networkBlock(half:)``), every bin, written as rows of `bins` values to `out` (row `i` at
  /// `out + i·bins`).
  ///
  /// The block's extended frames are read row by row, each row once from start to end (the
  /// hardware prefetcher follows; reading four or sixteen bins of every row in turn left it
  /// behind), into one line of lane vectors per group of four bins; then each group runs
  /// ``networkLine31(_:tiles:scratch:into:)`` (`T = 16`) or ``networkTile(_:half:scratch:into:)``.
  /// `ws` comes from ``networkRowsWorkspace(bins:half:)``.
  static func networkRows(
    source x: UnsafePointer<Float>, frames: Int, bins: Int, first: Int, count: Int,
    workspace ws: NetworkWorkspace, into out: UnsafeMutablePointer<Float>
  ) {
    let t = ws.half
    let line = networkRowsLine(half: t)
    let whole = bins / 4
    let tiles = (count + t - 1) / t
    // Only the rows the `count` outputs read.
    for j in 0..<(tiles * t + 2 * t - 2) {
      let row = x + reflect(first + j - (t - 1), length: frames) * bins
      var lineVector = ws.inputs + j
      for group in 0..<whole {
        lineVector.pointee = UnsafeRawPointer(row + 4 * group).loadUnaligned(as: SIMD4<Float>.self)
        lineVector += line
      }
      if 4 * whole < bins {
        // The last group's missing lanes repeat its first bin.
        let lanes = row + 4 * whole
        var v = SIMD4<Float>(repeating: lanes[0])
        for lane in 1..<(bins - 4 * whole) { v[lane] = lanes[lane] }
        lineVector.pointee = v
      }
    }
    for group in 0..<((bins + 3) / 4) {
      let e = ws.inputs + group * line
      if t == 16 {
        networkLine31(e, tiles: tiles, scratch: ws.scratch, into: ws.medians)
      } else {
        networkTile(e, half: t, scratch: ws.scratch, into: ws.medians)
      }
      let lanes = min(4, bins - 4 * group)
      for i in 0..<count {
        let target = out + i * bins + 4 * group
        let median = ws.medians[i]
        if lanes == 4 {
          UnsafeMutableRawPointer(target).storeBytes(of: median, as: SIMD4<Float>.self)
        } else {
          for lane in 0..<lanes { target[lane] = median[lane] }
        }
      }
    }
  }

  /// ``apply(_:size:along:)`` for `size = 2T − 1` with the network kernel, into `y`.
  static func networkApply(
    _ x: UnsafePointer<Float>, frames: Int, bins: Int, half t: Int, along axis: Axis,
    into y: UnsafeMutablePointer<Float>
  ) {
    switch axis {
    case .frames:
      let ws = networkRowsWorkspace(bins: bins, half: t)
      defer { ws.deallocate() }
      let block = networkBlock(half: t)
      var first = 0
      while first < frames {
        networkRows(
          source: x, frames: frames, bins: bins, first: first, count: min(block, frames - first),
          workspace: ws, into: y + first * bins)
        first += block
      }
    case .bins:
      let line = networkLineCount(bins: bins, half: t)
      let ws = NetworkWorkspace(half: t, inputCount: line, lineLength: line)
      defer { ws.deallocate() }
      fillLineSources(ws, bins: bins)
      var frame = 0
      while frame < frames {
        networkFrames(
          x + frame * bins, count: min(4, frames - frame), bins: bins, workspace: ws, into: y + frame * bins)
        frame += 4
      }
    }
  }

  /// Extended line length for filtering along `bins`: whole tiles of `T` plus `2T − 2`.
  static func networkLineCount(bins: Int, half t: Int) -> Int {
    (bins + t - 1) / t * t + 2 * t - 2
  }

  /// Stores the scipy 'reflect' bin of every extended line position in `ws.sources`.
  static func fillLineSources(_ ws: NetworkWorkspace, bins: Int) {
    let t = ws.half
    for j in 0..<networkLineCount(bins: bins, half: t) { ws.sources[j] = reflect(j - (t - 1), length: bins) }
  }

  /// Filters `count ≤ 4` consecutive frames (rows of `bins` at `x`) along bins into the rows at
  /// `y`, with ``networkTile(_:half:scratch:into:)`` over one extended line of four lanes.
  ///
  /// - Parameter ws: holds ``networkLineCount(bins:half:)`` inputs, sources filled by
  ///   ``fillLineSources(_:bins:)``.
  static func networkFrames(
    _ x: UnsafePointer<Float>, count lanes: Int, bins: Int, workspace ws: NetworkWorkspace,
    into y: UnsafeMutablePointer<Float>
  ) {
    let t = ws.half
    let tiles = (bins + t - 1) / t
    let extended = networkLineCount(bins: bins, half: t)
    // Missing lanes of the last group repeat its first frame.
    let r0 = x
    let r1 = lanes > 1 ? r0 + bins : r0
    let r2 = lanes > 2 ? r0 + 2 * bins : r0
    let r3 = lanes > 3 ? r0 + 3 * bins : r0
    // Inside the line the sources are consecutive bins: four of each row at a time, transposed.
    let inside = t - 1
    var j = 0
    while j < extended {
      let k = ws.sources[j]
      if j >= inside, j + 4 <= inside + bins {
        let (a, b, c, d) = transpose(load(r0 + k), load(r1 + k), load(r2 + k), load(r3 + k))
        (ws.inputs[j], ws.inputs[j + 1], ws.inputs[j + 2], ws.inputs[j + 3]) = (a, b, c, d)
        j += 4
      } else {
        ws.inputs[j] = SIMD4(r0[k], r1[k], r2[k], r3[k])
        j += 1
      }
    }
    let rows = (y, y + bins, y + 2 * bins, y + 3 * bins)
    if t == 16 { networkLine31(ws.inputs, tiles: tiles, scratch: ws.scratch, into: ws.medians) }
    for tile in 0..<tiles {
      let medians = t == 16 ? ws.medians + tile * t : ws.medians
      if t != 16 { networkTile(ws.inputs + tile * t, half: t, scratch: ws.scratch, into: medians) }
      let valid = min(t, bins - tile * t)
      var i = 0
      if lanes == 4 {
        while i + 4 <= valid {
          let m = medians + i
          let (a, b, c, d) = transpose(m[0], m[1], m[2], m[3])
          let k = tile * t + i
          store(a, rows.0 + k)
          store(b, rows.1 + k)
          store(c, rows.2 + k)
          store(d, rows.3 + k)
          i += 4
        }
      }
      while i < valid {
        let median = medians[i]
        let k = tile * t + i
        for lane in 0..<lanes { y[lane * bins + k] = median[lane] }
        i += 1
      }
    }
  }

  @inline(__always)
  private static func load(_ x: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(x).loadUnaligned(as: SIMD4<Float>.self)
  }

  @inline(__always)
  private static func store(_ v: SIMD4<Float>, _ x: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(x).storeBytes(of: v, as: SIMD4<Float>.self)
  }

  /// The 4×4 transpose: lane `j` of result `i` is lane `i` of argument `j`.
  @inline(__always)
  private static func transpose(
    _ a: SIMD4<Float>, _ b: SIMD4<Float>, _ c: SIMD4<Float>, _ d: SIMD4<Float>
  ) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    (SIMD4(a[0], b[0], c[0], d[0]), SIMD4(a[1], b[1], c[1], d[1]), SIMD4(a[2], b[2], c[2], d[2]),
      SIMD4(a[3], b[3], c[3], d[3]))
  }
}
