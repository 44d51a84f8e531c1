/// A real-valued time–frequency matrix (power, magnitude, mel, dB …) stored frames-major.
///
/// `values[frame * binCount + bin]`: each frame's bins are contiguous, which suits streaming and
/// per-frame feature code. librosa prints the same data transposed (`bins × frames`, i.e.
/// `S[bin, frame]`), so `spectrogram[frame, bin] == S[bin, frame]`.
public struct Spectrogram: Sendable, Equatable {
  /// Number of frames (time steps), librosa's `S.shape[-1]`.
  public let frameCount: Int
  /// Number of bins per frame (frequencies, mel bands, coefficients), librosa's `S.shape[-2]`.
  public let binCount: Int
  /// Frames-major values, `frameCount * binCount` of them.
  public var values: [Float]

  /// Wraps frames-major values.
  ///
  /// - Precondition: `values.count == frameCount * binCount`.
  public init(frameCount: Int, binCount: Int, values: [Float]) {
    precondition(
      frameCount >= 0 && binCount >= 0 && values.count == frameCount * binCount,
      "Spectrogram of \(frameCount) × \(binCount) needs \(frameCount * binCount) values, "
        + "got \(values.count)")
    self.frameCount = frameCount
    self.binCount = binCount
    self.values = values
  }

  /// The value at `frame`, `bin` (librosa's `S[bin, frame]`).
  public subscript(frame: Int, bin: Int) -> Float {
    get {
      precondition(
        frame >= 0 && frame < frameCount && bin >= 0 && bin < binCount,
        "index (\(frame), \(bin)) outside \(frameCount) × \(binCount)")
      return values[frame * binCount + bin]
    }
    set {
      precondition(
        frame >= 0 && frame < frameCount && bin >= 0 && bin < binCount,
        "index (\(frame), \(bin)) outside \(frameCount) × \(binCount)")
      values[frame * binCount + bin] = newValue
    }
  }

  /// The bins of one frame.
  public func frame(_ index: Int) -> ArraySlice<Float> {
    precondition(index >= 0 && index < frameCount, "frame \(index) outside 0..<\(frameCount)")
    return values[(index * binCount)..<((index + 1) * binCount)]
  }
}

/// A complex STFT as split real and imaginary parts, each frames-major like ``Spectrogram``.
public struct ComplexSpectrogram: Sendable, Equatable {
  /// Number of frames.
  public let frameCount: Int
  /// Number of frequency bins per frame (`fftSize / 2 + 1`).
  public let binCount: Int
  /// `Re X[frame, bin]` at `frame * binCount + bin`.
  public var real: [Float]
  /// `Im X[frame, bin]` at `frame * binCount + bin`.
  public var imaginary: [Float]
}
