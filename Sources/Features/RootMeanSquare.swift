import DSP

extension FrameFeatures {
  /// The root-mean-square energy of every frame, as `librosa.feature.rms(y=y,
  /// frame_length=2048, hop_length=512, center=True, pad_mode=…)`.
  ///
  /// `rms[t] = sqrt(mean_n y[t·hop + n]²)` over un-windowed frames of the signal padded by
  /// `frameLength / 2` per side with `padMode` (the GTZAN table used `reflect`; librosa 0.11's
  /// default is `constant`).
  ///
  /// - Parameters:
  ///   - signal: mono samples, at least one.
  ///   - frameLength: samples per frame, ≥ 1 (default 2048).
  ///   - hopLength: ≥ 1 (default 512).
  ///   - center: pad so frames are centred (default `true`).
  ///   - padMode: the padding (default `DSP.PadMode.constant`).
  /// - Returns: one value per frame.
  /// - Throws: as ``zeroCrossingRate(_:frameLength:hopLength:center:)``.
  /// - Complexity: O(frames × `frameLength`).
  public static func rms(
    _ signal: [Float], frameLength: Int = 2048, hopLength: Int = 512, center: Bool = true,
    padMode: PadMode = .constant
  ) throws(FeatureError) -> [Float] {
    let framing = try TimeDomainFraming(
      signalCount: signal.count, frameLength: frameLength, hopLength: hopLength, center: center,
      feature: "rms")
    let pad = framing.padding
    let paddedCount = framing.paddedCount
    var squares = [Float](repeating: 0, count: paddedCount)
    let n = signal.count
    squares.withUnsafeMutableBufferPointer { sq in
      signal.withUnsafeBufferPointer { x in
        // The signal itself in a plain loop that vectorises; only the padding asks the pad mode.
        for i in 0..<n { sq[pad + i] = x[i] * x[i] }
        for j in Array(0..<pad) + Array((pad + n)..<paddedCount) {
          if let i = padMode.sourceIndex(j - pad, length: n) { sq[j] = x[i] * x[i] }
        }
      }
    }
    let frames = framing.frameCount
    var out = [Float](repeating: 0, count: frames)
    squares.withUnsafeBufferPointer { s in
      for t in 0..<frames {
        let p = s.baseAddress! + t * hopLength
        var acc = SIMD8<Float>()
        var n = 0
        while n + 8 <= frameLength {
          acc += UnsafeRawPointer(p + n).loadUnaligned(as: SIMD8<Float>.self)
          n += 8
        }
        var sum = Double(acc.sum())
        while n < frameLength {
          sum += Double(p[n])
          n += 1
        }
        out[t] = Float((sum / Double(frameLength)).squareRoot())
      }
    }
    return out
  }
}
