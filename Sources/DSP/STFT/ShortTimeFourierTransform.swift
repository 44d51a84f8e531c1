/// The short-time Fourier transform with librosa's semantics (`librosa.stft`).
///
/// Frame `t` covers samples `t·hop ..< t·hop + fftSize` of the signal, which is first padded by
/// `fftSize / 2` on both sides when ``center`` is on (see ``PadMode``: zeros for
/// ``PadMode/constant``, numpy's mirror without edge repeat for ``PadMode/reflect``). Each frame is
/// multiplied by the window (a periodic window of ``windowLength`` samples centred in
/// ``fftSize``, as librosa's `pad_center`) and transformed with `rfft`:
/// `X[t, k] = Σₙ w[n] x[t·hop + n] e^{-2πink/N}`, `k = 0...N/2`.
/// The frame count is `1 + (len + 2·pad − fftSize) / hop` (integer division).
///
/// Outputs are frames-major (`[frame * binCount + bin]`, see ``Spectrogram``); librosa returns
/// the transpose (`bins × frames`).
///
/// The value is immutable and `Sendable`; the array-returning calls allocate their output and a
/// workspace, the buffer calls allocate nothing. For streaming, ``powerSpectrum(ofFrame:into:workspace:)``
/// transforms one caller-given frame.
public struct ShortTimeFourierTransform: Sendable {
  /// The FFT size `n_fft`.
  public let fftSize: Int
  /// Samples between successive frames, `hop_length`.
  public let hopLength: Int
  /// Length of the window before zero-padding to ``fftSize``, `win_length`.
  public let windowLength: Int
  /// The window function.
  public let windowFunction: Window
  /// Whether frames are centred on `t·hop` (the signal is padded by `fftSize / 2`).
  public let center: Bool
  /// The padding used when ``center`` is on.
  public let padMode: PadMode
  /// The window actually applied: ``fftSize`` samples (the periodic window centred with zeros).
  public let window: [Float]
  /// The FFT plan for ``fftSize``.
  public let plan: RealFFTPlan

  /// Number of frequency bins, `fftSize / 2 + 1`.
  public var binCount: Int { fftSize / 2 + 1 }

  /// Creates an STFT with librosa's parameters and defaults.
  ///
  /// - Parameters:
  ///   - fftSize: `n_fft`, even, at least 2 (default 2048).
  ///   - hopLength: `hop_length`; `nil` means `windowLength / 4` as in librosa.
  ///   - windowLength: `win_length` in `1...fftSize`; `nil` means `fftSize`.
  ///   - window: the window function (default Hann, used periodic as librosa does).
  ///   - center: pad by `fftSize / 2` so frame `t` is centred on sample `t·hop` (default `true`).
  ///   - padMode: the padding when centring (default ``PadMode/constant``, librosa 0.11's default).
  /// - Throws: ``DSPError/invalidFFTSize(_:)``, ``DSPError/invalidWindowLength(windowLength:fftSize:)``,
  ///   ``DSPError/invalidHopLength(_:)``.
  public init(
    fftSize: Int = 2048, hopLength: Int? = nil, windowLength: Int? = nil, window: Window = .hann,
    center: Bool = true, padMode: PadMode = .constant
  ) throws(DSPError) {
    let plan = try RealFFTPlan(size: fftSize)
    let windowLength = windowLength ?? fftSize
    guard windowLength >= 1, windowLength <= fftSize else {
      throw .invalidWindowLength(windowLength: windowLength, fftSize: fftSize)
    }
    let hop = hopLength ?? windowLength / 4
    guard hop >= 1 else { throw .invalidHopLength(hop) }
    self.fftSize = fftSize
    self.hopLength = hop
    self.windowLength = windowLength
    self.windowFunction = window
    self.center = center
    self.padMode = padMode
    self.plan = plan
    self.window = try Window.padCentered(window.samples(length: windowLength, periodic: true), to: fftSize)
  }

  /// The number of frames for a signal of `signalLength` samples.
  ///
  /// `1 + signalLength / hop` when centred; `1 + (signalLength − fftSize) / hop` otherwise.
  ///
  /// - Throws: ``DSPError/emptySignal`` for 0 samples; ``DSPError/signalTooShort(length:required:)``
  ///   when not centred and the signal is shorter than ``fftSize`` (librosa raises too).
  public func frameCount(signalLength: Int) throws(DSPError) -> Int {
    guard signalLength > 0 else { throw .emptySignal }
    if center { return 1 + signalLength / hopLength }
    guard signalLength >= fftSize else { throw .signalTooShort(length: signalLength, required: fftSize) }
    return 1 + (signalLength - fftSize) / hopLength
  }

  /// Scratch memory for one thread's calls to the buffer-based methods.
  public func makeWorkspace() -> FFTWorkspace { plan.makeWorkspace() }

  // MARK: Whole signals

  /// The power spectrogram `|X[t, k]|²` of `signal`.
  ///
  /// Matches `np.abs(librosa.stft(y, n_fft=…, hop_length=…, win_length=…, window=…, center=…,
  /// pad_mode=…))**2`, transposed to frames-major.
  ///
  /// - Parameter signal: mono samples.
  /// - Returns: ``frameCount(signalLength:)`` × ``binCount`` values, frames-major.
  /// - Throws: ``DSPError/emptySignal``, ``DSPError/nonFiniteSample(index:)``,
  ///   ``DSPError/signalTooShort(length:required:)``; ``DSPError/invalidCount(name:value:valid:)``
  ///   when the output would exceed 2²⁸ values (a tiny hop on a very long signal).
  /// - Complexity: O(frames × `fftSize` log `fftSize`).
  public func power(_ signal: [Float]) throws(DSPError) -> Spectrogram {
    try spectrogram(signal, magnitude: false)
  }

  /// The magnitude spectrogram `|X[t, k]|` of `signal` (`np.abs(librosa.stft(…))`).
  ///
  /// - Parameter signal: mono samples.
  /// - Returns: frames-major magnitudes.
  /// - Throws: as ``power(_:)``.
  public func magnitude(_ signal: [Float]) throws(DSPError) -> Spectrogram {
    try spectrogram(signal, magnitude: true)
  }

  /// Allocates and fills the power (or magnitude) spectrogram of a whole signal.
  private func spectrogram(_ signal: [Float], magnitude: Bool) throws(DSPError) -> Spectrogram {
    let frames = try frameCount(signalLength: signal.count)
    try checkOutputSize(frames: frames, width: binCount)
    let workspace = makeWorkspace()
    // Validated first, so the output can start uninitialised: every row is written below
    // (zero-filling 5 MB first cost a memset pass and moved its page faults, nothing else).
    let out = try signal.withUnsafeBufferPointer { (x) throws(DSPError) in
      try DSPError.validate(x)
      return [Float](unsafeUninitializedCapacity: frames * binCount) { o, initialized in
        fill(x, frameCount: frames, into: o, magnitude: magnitude, workspace: workspace)
        initialized = frames * binCount
      }
    }
    return Spectrogram(frameCount: frames, binCount: binCount, values: out)
  }

  /// The complex STFT `X[t, k]` of `signal` as split real/imaginary parts (`librosa.stft`).
  ///
  /// - Parameter signal: mono samples.
  /// - Returns: frames-major real and imaginary parts.
  /// - Throws: as ``power(_:)``.
  public func complex(_ signal: [Float]) throws(DSPError) -> ComplexSpectrogram {
    try analyse(signal, withPower: false).complex
  }

  /// The complex STFT of `signal` with its power `re² + im²` and magnitude `√(re² + im²)`
  /// spectrograms, each row formed right after its spectrum while it is in cache (the same
  /// values as computing them from ``complex(_:)`` afterwards).
  ///
  /// - Parameter signal: mono samples.
  /// - Returns: frames-major complex, power and magnitude spectrograms.
  /// - Throws: as ``power(_:)``.
  package func complexWithPower(_ signal: [Float]) throws(DSPError)
    -> (complex: ComplexSpectrogram, power: Spectrogram, magnitude: Spectrogram)
  {
    let (complex, power, magnitude) = try analyse(signal, withPower: true)
    return (complex, power!, magnitude!)
  }

  /// The complex STFT and, with `withPower`, its power and magnitude, into uninitialised arrays
  /// (every row is written).
  private func analyse(_ signal: [Float], withPower: Bool) throws(DSPError)
    -> (complex: ComplexSpectrogram, power: Spectrogram?, magnitude: Spectrogram?)
  {
    let frames = try frameCount(signalLength: signal.count)
    try checkOutputSize(frames: frames, width: binCount)
    let total = frames * binCount
    let workspace = makeWorkspace()
    let nBins = binCount
    try signal.withUnsafeBufferPointer { (x) throws(DSPError) in try DSPError.validate(x) }
    var re = [Float](), im = [Float](), power = [Float](), magnitude = [Float]()
    func fresh(_ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
      [Float](unsafeUninitializedCapacity: total) { out, initialized in
        body(out.baseAddress!)
        initialized = total
      }
    }
    let pCount = withPower ? total : 0
    signal.withUnsafeBufferPointer { x in
      re = fresh { r in
        im = fresh { i in
          let fill = { (p: UnsafeMutablePointer<Float>?, m: UnsafeMutablePointer<Float>?) in
            forEachQuad(x, frameCount: frames, workspace: workspace) { t, ptrs, count in
              let r0 = r + t * nBins
              let i0 = i + t * nBins
              plan.spectra(
                frames: ptrs, count: count, window: window,
                real: (r0, r0 + nBins, r0 + 2 * nBins, r0 + 3 * nBins),
                imaginary: (i0, i0 + nBins, i0 + 2 * nBins, i0 + 3 * nBins), workspace: workspace)
              guard let p, let m else { return }
              // `v` is a sum of squares, so LLVM knows `√v` never takes libm's errno path and
              // emits `sqrtps` (a plain `Float.squareRoot()` of a loaded value stays scalar).
              let start = t * nBins
              for e in start..<(start + count * nBins) {
                let v = r[e] * r[e] + i[e] * i[e]
                p[e] = v
                m[e] = v.squareRoot()
              }
            }
          }
          if withPower {
            power = [Float](unsafeUninitializedCapacity: pCount) { p, pi in
              magnitude = [Float](unsafeUninitializedCapacity: pCount) { m, mi in
                fill(p.baseAddress!, m.baseAddress!)
                mi = pCount
              }
              pi = pCount
            }
          } else {
            fill(nil, nil)
          }
        }
      }
    }
    let complex = ComplexSpectrogram(frameCount: frames, binCount: binCount, real: re, imaginary: im)
    guard withPower else { return (complex, nil, nil) }
    return (
      complex, Spectrogram(frameCount: frames, binCount: binCount, values: power),
      Spectrogram(frameCount: frames, binCount: binCount, values: magnitude)
    )
  }

  /// The power spectrogram of `signal` written into `output` without allocating.
  ///
  /// - Parameters:
  ///   - signal: mono samples.
  ///   - output: at least `frameCount(signalLength:) * binCount` values, filled frames-major.
  ///   - workspace: from ``makeWorkspace()``, used by one thread at a time.
  /// - Throws: as ``power(_:)``.
  /// - Complexity: O(frames × `fftSize` log `fftSize`); no allocation.
  public func power(
    _ signal: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
    workspace: FFTWorkspace
  ) throws(DSPError) {
    try spectrogram(signal, into: output, magnitude: false, workspace: workspace)
  }

  /// The magnitude spectrogram `|X[t, k]|` of `signal` written into `output` without allocating;
  /// see ``power(_:into:workspace:)``.
  public func magnitude(
    _ signal: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
    workspace: FFTWorkspace
  ) throws(DSPError) {
    try spectrogram(signal, into: output, magnitude: true, workspace: workspace)
  }

  /// Power or magnitude spectrogram into `output`.
  private func spectrogram(
    _ signal: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
    magnitude: Bool, workspace: FFTWorkspace
  ) throws(DSPError) {
    let frames = try frameCount(signalLength: signal.count)
    try DSPError.validate(signal)
    precondition(
      output.count >= frames * binCount,
      "STFT output holds \(output.count) values, \(frames) × \(binCount) needed")
    fill(signal, frameCount: frames, into: output, magnitude: magnitude, workspace: workspace)
  }

  /// Writes all `frames` rows of the power (or magnitude) spectrogram of a validated signal.
  private func fill(
    _ signal: UnsafeBufferPointer<Float>, frameCount frames: Int, into output: UnsafeMutableBufferPointer<Float>,
    magnitude: Bool, workspace: FFTWorkspace
  ) {
    let nBins = binCount
    window.withUnsafeBufferPointer { w in
      forEachQuad(signal, frameCount: frames, workspace: workspace) { t, ptrs, count in
        let o = output.baseAddress! + t * nBins
        plan.powerSpectra(
          frames: ptrs, count: count, window: w.baseAddress!,
          rows: (o, o + nBins, o + 2 * nBins, o + 3 * nBins), magnitude: magnitude,
          workspace: workspace)
      }
    }
  }

  // MARK: Single frames (streaming)

  /// The windowed power spectrum of one caller-given frame of ``fftSize`` raw samples.
  ///
  /// For streaming: keep the last ``fftSize`` samples and call this once per hop; the result
  /// equals the row the whole-signal STFT computes for the same samples.
  ///
  /// - Parameters:
  ///   - frame: ``fftSize`` samples (not yet windowed).
  ///   - power: receives ``binCount`` values.
  ///   - workspace: from ``makeWorkspace()``.
  /// - Complexity: O(`fftSize` log `fftSize`); no allocation.
  public func powerSpectrum(
    ofFrame frame: UnsafeBufferPointer<Float>, into power: UnsafeMutableBufferPointer<Float>,
    workspace: FFTWorkspace
  ) {
    precondition(frame.count == fftSize, "frame has \(frame.count) samples, fftSize is \(fftSize)")
    precondition(power.count >= binCount, "power output holds \(power.count) values, \(binCount) needed")
    let p = frame.baseAddress!
    let o = power.baseAddress!
    window.withUnsafeBufferPointer { w in
      plan.powerSpectra(
        frames: (p, p, p, p), count: 1, window: w.baseAddress!, rows: (o, o, o, o),
        workspace: workspace)
    }
  }

  /// The windowed complex spectrum of one caller-given frame of ``fftSize`` raw samples (the
  /// streaming counterpart of ``complex(_:)``).
  ///
  /// - Parameters:
  ///   - frame: ``fftSize`` samples (not yet windowed).
  ///   - real: receives ``binCount`` real parts.
  ///   - imaginary: receives ``binCount`` imaginary parts.
  ///   - workspace: from ``makeWorkspace()``.
  /// - Complexity: O(`fftSize` log `fftSize`); no allocation.
  public func spectrum(
    ofFrame frame: UnsafeBufferPointer<Float>, real: UnsafeMutableBufferPointer<Float>,
    imaginary: UnsafeMutableBufferPointer<Float>, workspace: FFTWorkspace
  ) {
    precondition(frame.count == fftSize, "frame has \(frame.count) samples, fftSize is \(fftSize)")
    precondition(
      real.count >= binCount && imaginary.count >= binCount,
      "spectrum outputs hold \(real.count) and \(imaginary.count) values, \(binCount) needed")
    let p = frame.baseAddress!
    let r = real.baseAddress!
    let i = imaginary.baseAddress!
    window.withUnsafeBufferPointer { w in
      plan.spectra(
        frames: (p, p, p, p), count: 1, window: w.baseAddress!, real: (r, r, r, r),
        imaginary: (i, i, i, i), workspace: workspace)
    }
  }

  // MARK: Framing

  /// Calls `body(t, frames, count)` for frames `t, t+1, …` in groups of four, with pointers to
  /// each frame's ``fftSize`` samples of the (virtually) padded signal.
  ///
  /// Interior frames point straight into `signal`; frames overlapping the padding are
  /// materialised in the workspace. Lanes past the last frame repeat the group's first frame.
  private func forEachQuad(
    _ signal: UnsafeBufferPointer<Float>, frameCount: Int, workspace: FFTWorkspace,
    _ body: (
      Int,
      (
        UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
        UnsafePointer<Float>
      ), Int
    ) -> Void
  ) {
    let n = fftSize
    let pad = center ? n / 2 : 0
    let length = signal.count
    let base = signal.baseAddress!
    var t = 0
    while t < frameCount {
      let count = min(4, frameCount - t)
      func framePointer(_ j: Int) -> UnsafePointer<Float> {
        let index = j < count ? t + j : t
        let start = index * hopLength - pad
        if start >= 0 && start + n <= length { return base + start }
        let buffer = workspace.frames + j * n
        (center ? padMode : .constant).fill(base, length: length, from: start, count: n, into: buffer)
        return UnsafePointer(buffer)
      }
      body(t, (framePointer(0), framePointer(1), framePointer(2), framePointer(3)), count)
      t += 4
    }
  }
}
