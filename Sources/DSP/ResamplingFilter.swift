import Foundation

/// The linear-phase low-pass filter of a ``Resampler``, stored per polyphase branch.
///
/// Resampling by `up/down` (lowest terms) is modelled as: insert `up − 1` zeros between input
/// samples, filter at the rate `up · sourceRate` with `h`, keep every `down`-th sample. `h` is a
/// Kaiser-windowed sinc of odd length `2·half + 1` centred on tap `half`, so output `i` lies at
/// the time `i / targetRate` exactly (no delay) and reads
/// `y[i] = Σ_k x[k] · h[i·down − k·up + half]`.
///
/// The design follows what libsoxr's `SOXR_HQ` recipe specifies (20-bit precision): pass band
/// to `0.913 74` of the lower rate's Nyquist frequency, stop band from that Nyquist frequency,
/// stop-band attenuation `20 · 20·log₁₀ 2 ≈ 120.4 dB`. The cutoff sits mid-transition; `β` and
/// the length come from Kaiser's formulas `β = 0.1102 (A − 8.7)` and
/// `order = (A − 7.95) / (2.285 · Δω)`. Taps are normalised to a DC gain of exactly 1 per output.
struct ResamplingFilter: Sendable {
  /// Stop-band attenuation in dB: libsoxr's HQ precision (20 bits) times `20·log₁₀ 2`.
  static let attenuation = 20 * 20 * log10(2.0)
  /// End of the pass band as a fraction of the lower rate's Nyquist frequency: libsoxr's
  /// `1 − 0.05 / (1 − t₋₃)` for 120.4 dB, where `t₋₃ ≈ 0.4212` is the fraction of the transition
  /// band at which a Kaiser filter of that attenuation is 3 dB down.
  static let passbandEnd = 0.913_743_653
  /// Start of the stop band as a fraction of the lower rate's Nyquist frequency.
  static let stopbandStart = 1.0
  /// The most taps a filter may have (16 MB of `Float`): larger ratios of coprime rates are refused.
  static let maximumTapCount = 4_000_000

  let up: Int
  let down: Int
  /// Taps on each side of the centre tap.
  let half: Int
  /// Every phase's taps, reversed, one after the other: phase `p` at
  /// `offsets[p] ..< offsets[p] + lengths[p]`.
  let taps: [Float]
  let offsets: [Int]
  let lengths: [Int]

  /// The half length for a ratio, without building the filter (`nil` if over the tap limit).
  static func halfLength(up: Int, down: Int) -> Int {
    let nyquistLow = 0.5 / Double(max(up, down))  // cycles per sample at the filter rate
    let transition = (stopbandStart - passbandEnd) * nyquistLow
    let order = (attenuation - 7.95) / (2.285 * 2 * Double.pi * transition)
    return Int((order / 2).rounded(.up))
  }

  /// Designs the filter for `up/down` (in lowest terms).
  ///
  /// - Complexity: O(`half`) Bessel evaluations, about `182 · max(up, down)` taps.
  init(up: Int, down: Int) {
    self.up = up
    self.down = down
    let half = Self.halfLength(up: up, down: down)
    self.half = half
    let nyquistLow = 0.5 / Double(max(up, down))
    let cutoff = (Self.passbandEnd + Self.stopbandStart) / 2 * nyquistLow
    let beta = 0.1102 * (Self.attenuation - 8.7)
    let i0Beta = besselI0(beta)
    let count = 2 * half + 1
    var h = [Double](repeating: 0, count: count)
    for m in 0...half {
      let x = 2 * cutoff * Double(m)
      let sinc = m == 0 ? 1.0 : sin(Double.pi * x) / (Double.pi * x)
      let r = Double(m) / Double(half)
      let window = besselI0(beta * max(0, 1 - r * r).squareRoot()) / i0Beta
      let value = 2 * cutoff * sinc * window
      h[half + m] = value
      h[half - m] = value
    }
    let scale = Double(up) / h.reduce(0, +)
    var taps: [Float] = []
    taps.reserveCapacity(count)
    var offsets: [Int] = []
    var lengths: [Int] = []
    for p in 0..<up {
      let n = p < count ? (count - 1 - p) / up + 1 : 0
      offsets.append(taps.count)
      lengths.append(n)
      for r in 0..<n { taps.append(Float(h[p + up * (n - 1 - r)] * scale)) }
    }
    self.taps = taps
    self.offsets = offsets
    self.lengths = lengths
  }

  /// The newest input index output `i` reads, and the phase it uses: `c = i·down + half`,
  /// `newest = ⌊c / up⌋`, `phase = c mod up`. Phase `p` pairs its reversed taps with inputs
  /// `newest − lengths[p] + 1 ... newest`.
  @inline(__always)
  func reach(_ i: Int) -> (newest: Int, phase: Int) {
    let c = i * down + half
    let newest = c / up
    return (newest, c - newest * up)
  }

  /// Computes outputs `start ..< end` into `y[0 ..< end − start]` from input `x`, whose element 0
  /// is input sample `origin`; input indices outside `origin ..< origin + x.count` and at or past
  /// `available` read as zeros.
  ///
  /// Outputs that share a phase (`i`, `i + up`, …, `i + 7·up`) are computed eight at a time so
  /// each load of the taps serves eight dot products.
  func run(
    _ x: UnsafeBufferPointer<Float>, origin: Int, available: Int, outputs start: Int, _ end: Int,
    into y: UnsafeMutablePointer<Float>
  ) {
    guard end > start else { return }
    let limit = min(available, origin + x.count)
    taps.withUnsafeBufferPointer { t in
      let base = t.baseAddress!
      var blockStart = start
      while blockStart < end {
        let blockEnd = min(end, blockStart + 8 * up)
        for i in blockStart..<min(blockEnd, blockStart + up) {
          let (newest, phase) = reach(i)
          let k = lengths[phase]
          let tp = base + offsets[phase]
          let first = newest - k + 1 - origin
          // i, i + up, ..., i + 7·up read from first, first + down, ...
          if i + 7 * up < blockEnd, first >= 0, newest + 7 * down < limit {
            let (low, high) = dotShared8(tp, x.baseAddress! + first, stride: down, count: k)
            for j in 0..<4 {
              y[i + j * up - start] = low[j]
              y[i + (j + 4) * up - start] = high[j]
            }
          } else {
            var j = i
            var f = first
            while j < blockEnd {
              y[j - start] = edgeDot(tp, count: k, x, from: f, validEnd: limit - origin)
              j += up
              f += down
            }
          }
        }
        blockStart = blockEnd
      }
    }
  }

  /// `Σ_r taps[r] · x[from + r]`, reading indices outside `0 ..< validEnd` as zeros.
  @inline(__always)
  private func edgeDot(
    _ taps: UnsafePointer<Float>, count k: Int, _ x: UnsafeBufferPointer<Float>, from: Int, validEnd: Int
  ) -> Float {
    let lo = max(0, -from)
    let hi = min(k, validEnd - from)
    guard hi > lo else { return 0 }
    if lo == 0 && hi == k { return dotSingle(taps, x.baseAddress! + from, count: k) }
    var acc: Float = 0
    for r in lo..<hi { acc += taps[r] * x[from + r] }
    return acc
  }
}

/// `Σ_r a[r] · b[j·stride + r]` for `j = 0...7` at once: each 4-float load of `a` serves eight
/// products. One SIMD4 accumulator per output (eight in registers), taps taken four at a time,
/// then the lane sum and a scalar tail. Each output's arithmetic is exactly
/// ``dotSingle(_:_:count:)``'s, so an output computed alone equals the same output computed in a
/// block of eight, bit for bit.
@inline(__always)
func dotShared8(
  _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, stride: Int, count: Int
) -> (SIMD4<Float>, SIMD4<Float>) {
  let ra = UnsafeRawPointer(a)
  let r0 = UnsafeRawPointer(b)
  let r1 = UnsafeRawPointer(b + stride)
  let r2 = UnsafeRawPointer(b + 2 * stride)
  let r3 = UnsafeRawPointer(b + 3 * stride)
  let r4 = UnsafeRawPointer(b + 4 * stride)
  let r5 = UnsafeRawPointer(b + 5 * stride)
  let r6 = UnsafeRawPointer(b + 6 * stride)
  let r7 = UnsafeRawPointer(b + 7 * stride)
  var s0 = SIMD4<Float>()
  var s1 = SIMD4<Float>()
  var s2 = SIMD4<Float>()
  var s3 = SIMD4<Float>()
  var s4 = SIMD4<Float>()
  var s5 = SIMD4<Float>()
  var s6 = SIMD4<Float>()
  var s7 = SIMD4<Float>()
  var i = 0
  // Byte offsets in wrapping arithmetic (no overflow checks: `count` floats are addressable).
  while i &+ 4 <= count {
    let o = i &<< 2
    let t = ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s0 += t * r0.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s1 += t * r1.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s2 += t * r2.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s3 += t * r3.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s4 += t * r4.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s5 += t * r5.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s6 += t * r6.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    s7 += t * r7.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    i &+= 4
  }
  var low = SIMD4<Float>(s0.sum(), s1.sum(), s2.sum(), s3.sum())
  var high = SIMD4<Float>(s4.sum(), s5.sum(), s6.sum(), s7.sum())
  while i < count {
    let t = a[i]
    low += SIMD4(t * b[i], t * b[stride + i], t * b[2 * stride + i], t * b[3 * stride + i])
    high += SIMD4(t * b[4 * stride + i], t * b[5 * stride + i], t * b[6 * stride + i], t * b[7 * stride + i])
    i += 1
  }
  return (low, high)
}

/// `Σ_r a[r] · b[r]` with the same operations, in the same order, as one output of
/// ``dotShared8(_:_:stride:count:)``.
@inline(__always)
func dotSingle(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
  let ra = UnsafeRawPointer(a)
  let rb = UnsafeRawPointer(b)
  var s = SIMD4<Float>()
  var i = 0
  while i &+ 4 <= count {
    let o = i &<< 2
    s += ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
      * rb.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
    i &+= 4
  }
  var sum = s.sum()
  while i < count {
    sum += a[i] * b[i]
    i += 1
  }
  return sum
}

/// The modified Bessel function of the first kind, order 0, by its power series
/// `Σ ((x/2)^k / k!)²` (converges fast for the arguments of a Kaiser window, x ≤ 13).
func besselI0(_ x: Double) -> Double {
  var sum = 1.0
  var term = 1.0
  let q = x * x / 4
  var k = 1.0
  while term > 1e-17 * sum {
    term *= q / (k * k)
    sum += term
    k += 1
  }
  return sum
}
