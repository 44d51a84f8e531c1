import Foundation

/// A seeded, portable pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same sequence on every platform and in every build, so initial weights,
/// dropout masks and shuffles repeat bit for bit. The state is four 64-bit words produced from the
/// seed by SplitMix64 (Steele, Lea & Flood 2014); `next()` is xoshiro256** 1.0 (Blackman & Vigna
/// 2018). Not for cryptography.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
  private var state: (UInt64, UInt64, UInt64, UInt64)
  /// The second output of a Box–Muller pair, kept for the next normal draw.
  private var spareNormal: Float?

  /// A generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) {
    var splitMix = seed
    func nextSplitMix() -> UInt64 {
      splitMix &+= 0x9E37_79B9_7F4A_7C15
      var z = splitMix
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    spareNormal = nil
  }

  /// Two generators are equal when they will produce the same sequence.
  public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
    lhs.state == rhs.state && lhs.spareNormal == rhs.spareNormal
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = rotate(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotate(state.3, 45)
    return result
  }

  private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A uniform `Float` in [0, 1) built from the top 24 bits of `next()`.
  public mutating func nextUniform() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A standard normal `Float` (mean 0, variance 1) by the Box–Muller transform.
  ///
  /// Two uniforms u1 ∈ (0, 1], u2 ∈ [0, 1) give `r = √(−2 ln u1)` and the pair
  /// `(r cos 2πu2, r sin 2πu2)`; the second value is returned by the following call. The
  /// transform runs in `Double` so results do not depend on `Float` library rounding.
  public mutating func nextNormal() -> Float {
    if let spare = spareNormal {
      spareNormal = nil
      return spare
    }
    let u1 = (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    let radius = (-2 * log(u1)).squareRoot()
    let angle = 2 * Double.pi * u2
    spareNormal = Float(radius * sin(angle))
    return Float(radius * cos(angle))
  }

  /// A uniform integer in `0..<upperBound` (Lemire's unbiased multiply-shift method).
  public mutating func nextIndex(below upperBound: Int) -> Int {
    precondition(upperBound > 0, "upperBound \(upperBound) must be positive")
    return Int(next(upperBound: UInt64(upperBound)))
  }

  /// Shuffles `array` in place (Fisher–Yates with this generator).
  public mutating func shuffle<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      array.swapAt(i, nextIndex(below: i + 1))
    }
  }
}
