import DSP

extension FrameFeatures {
  /// The zero-crossing rate of every frame, as `librosa.feature.zero_crossing_rate(y,
  /// frame_length=2048, hop_length=512, center=True)`.
  ///
  /// The signal is edge-padded by `frameLength / 2` at both ends when centred (librosa pads with
  /// `mode='edge'` here whatever the STFT's pad mode); values with `|x| ≤ 1e-10` count as zero;
  /// sample `i ≥ 1` of a frame is a crossing when its sign bit differs from sample `i − 1`'s
  /// (`zero_pos=True`, so zero counts as positive); the rate is crossings / `frameLength`.
  ///
  /// - Parameters:
  ///   - signal: mono samples, at least one.
  ///   - frameLength: samples per frame, ≥ 1 (default 2048).
  ///   - hopLength: samples between frames, ≥ 1 (default 512).
  ///   - center: centre frames on `t·hop` (default `true`).
  /// - Returns: one rate per frame in `[0, 1)`.
  /// - Throws: ``FeatureError/emptySignal``, ``FeatureError/invalidParameter(name:value:valid:)``,
  ///   ``FeatureError/signalTooShort(length:required:feature:)`` when not centred and shorter
  ///   than a frame.
  /// - Complexity: O(samples + frames): one pass over the signal, four sample pairs per vector.
  public static func zeroCrossingRate(
    _ signal: [Float], frameLength: Int = 2048, hopLength: Int = 512, center: Bool = true
  ) throws(FeatureError) -> [Float] {
    let framing = try TimeDomainFraming(
      signalCount: signal.count, frameLength: frameLength, hopLength: hopLength, center: center,
      feature: "zero_crossing_rate")
    let pad = framing.padding
    let frames = framing.frameCount
    // crossings(t) = C(t·hop + frameLength − 1) − C(t·hop), where C(m) counts the sign changes
    // between padded samples j − 1 and j for j = 1...m. Only those 2·frames values of C are
    // needed: sweep the two ascending position sequences together, counting the changes between
    // consecutive positions.
    var out = [Float](repeating: 0, count: frames)
    signal.withUnsafeBufferPointer { x in
      var atStart = [Int32](repeating: 0, count: frames)
      var position = 0
      var count: Int32 = 0
      var a = 0  // next frame start to record
      var b = 0  // next frame end to record
      while b < frames {
        let start = a < frames ? a * hopLength : Int.max
        let end = b * hopLength + frameLength - 1
        let next = min(start, end)
        count += signChanges(x, padding: pad, after: position, through: next)
        position = next
        if start == next {
          atStart[a] = count
          a += 1
        }
        if end == next {
          out[b] = Float(count - atStart[b]) / Float(frameLength)
          b += 1
        }
      }
    }
    return out
  }
  /// The number of `j` in `lo + 1 ... hi` where padded samples `j − 1` and `j` differ in sign
  /// (``zeroCrossingRate(_:frameLength:hopLength:center:)``'s rule), for the signal `x` edge-padded
  /// by `padding` samples at both ends. Four pairs per vector away from the edges.
  static func signChanges(_ x: UnsafeBufferPointer<Float>, padding pad: Int, after lo: Int, through hi: Int)
    -> Int32
  {
    guard hi > lo else { return 0 }
    let n = x.count
    // Negative after thresholding: sign bit set and |v| > 1e-10 (librosa zeroes |v| ≤ 1e-10).
    @inline(__always) func negative(_ j: Int) -> Bool {
      let v = x[min(max(j - pad, 0), n - 1)]
      return abs(v) <= 1e-10 ? false : v.sign == .minus
    }
    var total: Int32 = 0
    var j = lo + 1
    // Scalar up to the first j whose pair lies inside the signal (j − 1 − pad ≥ 0).
    while j <= hi && j - 1 - pad < 0 {
      if negative(j) != negative(j - 1) { total += 1 }
      j += 1
    }
    // Pairs (j − 1, j) with j − pad + 3 ≤ n − 1: four at a time.
    let base = UnsafeRawPointer(x.baseAddress!)
    let signBit = SIMD4<UInt32>(repeating: 0x8000_0000)
    let threshold = SIMD4<Float>(repeating: 1e-10)
    @inline(__always) func negatives(_ i: Int) -> SIMD4<UInt32> {
      let v = base.loadUnaligned(fromByteOffset: 4 * i, as: SIMD4<Float>.self)
      let bits = unsafeBitCast(v, to: SIMD4<UInt32>.self)
      let magnitude = unsafeBitCast(bits & ~signBit, to: SIMD4<Float>.self)
      // The sign bit, kept only where |v| > 1e-10.
      return SIMD4<UInt32>().replacing(with: bits & signBit, where: magnitude .> threshold)
    }
    var changes = SIMD4<UInt32>()
    while j + 3 <= hi && j - pad + 3 <= n - 1 {
      let i = j - pad
      changes &+= (negatives(i) ^ negatives(i - 1)) &>> 31
      j += 4
    }
    total += Int32(truncatingIfNeeded: changes.wrappedSum())
    while j <= hi {
      if negative(j) != negative(j - 1) { total += 1 }
      j += 1
    }
    return total
  }
}
