/// Overlapping frames of a signal, as librosa's frame-based features cut them
/// (`np.pad(y, frame_length // 2, mode=pad_mode)` when centred, then `librosa.util.frame`).
///
/// Frame `t` holds padded samples `t·hop ..< t·hop + frameLength`; the frame count is
/// `1 + (len + 2·(frameLength/2) − frameLength) / hop` centred and `1 + (len − frameLength) / hop`
/// otherwise. ``forEachFrame(in:_:)`` hands out frames without copying interior ones, for
/// per-frame features (RMS, zero crossings) and streaming.
public struct Framing: Sendable {
  /// Samples per frame (`frame_length`).
  public let frameLength: Int
  /// Samples between frame starts (`hop_length`).
  public let hopLength: Int
  /// Whether the signal is padded by `frameLength / 2` on both sides first.
  public let center: Bool
  /// The padding used when centring.
  public let padMode: PadMode

  /// Creates a framing.
  ///
  /// - Parameters:
  ///   - frameLength: in `1...2²⁰` (default 2048).
  ///   - hopLength: at least 1 (default 512).
  ///   - center: pad by `frameLength / 2` first (default `true`).
  ///   - padMode: how to pad (default ``PadMode/constant``; librosa's `zero_crossing_rate` uses
  ///     ``PadMode/edge``).
  /// - Throws: ``DSPError/invalidWindowLength(windowLength:fftSize:)`` for `frameLength < 1`,
  ///   ``DSPError/invalidHopLength(_:)`` for `hopLength < 1`.
  public init(
    frameLength: Int = 2048, hopLength: Int = 512, center: Bool = true, padMode: PadMode = .constant
  )
    throws(DSPError)
  {
    guard frameLength >= 1, frameLength <= 1 << 20 else {
      throw .invalidWindowLength(windowLength: frameLength, fftSize: 1 << 20)
    }
    guard hopLength >= 1 else { throw .invalidHopLength(hopLength) }
    self.frameLength = frameLength
    self.hopLength = hopLength
    self.center = center
    self.padMode = padMode
  }

  /// The number of frames for `signalLength` samples.
  ///
  /// - Throws: ``DSPError/emptySignal``; ``DSPError/signalTooShort(length:required:)`` when not
  ///   centred and the signal is shorter than a frame (librosa raises too).
  public func frameCount(signalLength: Int) throws(DSPError) -> Int {
    guard signalLength > 0 else { throw .emptySignal }
    let padded = signalLength + (center ? 2 * (frameLength / 2) : 0)
    guard padded >= frameLength else { throw .signalTooShort(length: signalLength, required: frameLength) }
    return 1 + (padded - frameLength) / hopLength
  }

  /// Calls `body(t, frame)` for every frame in order; interior frames point into `signal`,
  /// frames touching the padding are assembled in one scratch buffer (valid during the call).
  ///
  /// - Throws: as ``frameCount(signalLength:)``, and ``DSPError/nonFiniteSample(index:)``.
  /// - Complexity: O(frames) calls; O(`frameLength`) copying per padded frame only.
  public func forEachFrame(
    in signal: UnsafeBufferPointer<Float>, _ body: (Int, UnsafeBufferPointer<Float>) -> Void
  ) throws(DSPError) {
    let frames = try frameCount(signalLength: signal.count)
    try DSPError.validate(signal)
    let pad = center ? frameLength / 2 : 0
    let base = signal.baseAddress!
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: frameLength)
    defer { scratch.deallocate() }
    for t in 0..<frames {
      let start = t * hopLength - pad
      if start >= 0 && start + frameLength <= signal.count {
        body(t, UnsafeBufferPointer(start: base + start, count: frameLength))
      } else {
        (center ? padMode : .constant).fill(
          base, length: signal.count, from: start, count: frameLength,
          into: scratch)
        body(t, UnsafeBufferPointer(start: scratch, count: frameLength))
      }
    }
  }

  /// All frames as a matrix, frames-major (`frameCount × frameLength`; librosa's `util.frame`
  /// returns the transpose, `frame_length × n_frames`).
  ///
  /// - Throws: as ``forEachFrame(in:_:)``, and ``DSPError/invalidCount(name:value:valid:)`` when
  ///   the matrix would exceed 2²⁸ values (use ``forEachFrame(in:_:)`` or a larger hop).
  public func frames(_ signal: [Float]) throws(DSPError) -> Spectrogram {
    let count = try frameCount(signalLength: signal.count)
    try checkOutputSize(frames: count, width: frameLength)
    var out = [Float](repeating: 0, count: count * frameLength)
    let length = frameLength
    try signal.withUnsafeBufferPointer { (x) throws(DSPError) in
      try out.withUnsafeMutableBufferPointer { (o) throws(DSPError) in
        try forEachFrame(in: x) { t, frame in
          for i in 0..<length { o[t * length + i] = frame[i] }
        }
      }
    }
    return Spectrogram(frameCount: count, binCount: frameLength, values: out)
  }
}

/// Refuses outputs above 2²⁸ values (1 GiB of `Float`), which only a tiny hop on a long signal
/// produces; the per-frame APIs have no such limit.
func checkOutputSize(frames: Int, width: Int) throws(DSPError) {
  let (total, overflow) = frames.multipliedReportingOverflow(by: width)
  if overflow || total > 1 << 28 {
    throw .invalidCount(
      name: "output values (\(frames) frames × \(width))", value: overflow ? Int.max : total,
      valid: "<= 268435456: use a larger hop length or the per-frame API")
  }
}
