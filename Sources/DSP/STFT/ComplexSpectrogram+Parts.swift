extension ComplexSpectrogram {
  /// A complex spectrogram from its split parts, frames-major (`frame * binCount + bin`).
  ///
  /// - Parameters:
  ///   - frameCount: number of frames.
  ///   - binCount: bins per frame.
  ///   - real: `frameCount × binCount` real parts.
  ///   - imaginary: as many imaginary parts.
  ///
  /// (The synthesized memberwise initializer is internal to `DSP`; this one is public so other
  /// modules can build spectra, e.g. masked frames for an inverse STFT.)
  /// - Precondition: both parts hold `frameCount × binCount` values.
  public init(frameCount: Int, binCount: Int, realParts real: [Float], imaginaryParts imaginary: [Float]) {
    precondition(
      real.count == frameCount * binCount && imaginary.count == frameCount * binCount,
      "ComplexSpectrogram \(frameCount)×\(binCount) needs \(frameCount * binCount) values per part, got \(real.count) and \(imaginary.count)")
    self.frameCount = frameCount
    self.binCount = binCount
    self.real = real
    self.imaginary = imaginary
  }
}
