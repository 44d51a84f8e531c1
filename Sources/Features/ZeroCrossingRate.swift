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
  /// - Complexity: O(frames × `frameLength`).
  public static func zeroCrossingRate(
    _ signal: [Float], frameLength: Int = 2048, hopLength: Int = 512, center: Bool = true
  ) throws(FeatureError) -> [Float] {
    let framing = try TimeDomainFraming(
      signalCount: signal.count, frameLength: frameLength, hopLength: hopLength, center: center,
      feature: "zero_crossing_rate")
    let pad = framing.padding
    let padded = framing.paddedCount
    let frames = framing.frameCount
    // Sign bit of each padded sample (after thresholding) and a prefix count of sign changes.
    var changes = [Int32](repeating: 0, count: padded)
    signal.withUnsafeBufferPointer { x in
      func negative(_ j: Int) -> Bool {
        let v = x[min(max(j - pad, 0), x.count - 1)]
        return abs(v) <= 1e-10 ? false : v.sign == .minus
      }
      var previous = negative(0)
      var count: Int32 = 0
      for j in 1..<max(padded, 1) {
        let current = negative(j)
        if current != previous { count += 1 }
        changes[j] = count
        previous = current
      }
    }
    var out = [Float](repeating: 0, count: frames)
    for t in 0..<frames {
      let start = t * hopLength
      let crossings = changes[start + frameLength - 1] - changes[start]
      out[t] = Float(crossings) / Float(frameLength)
    }
    return out
  }
}
