import DSP

/// librosa-compatible per-frame features computed from a shared spectrogram or signal.
///
/// Every function documents the librosa function it matches. Spectrograms are frames-major
/// (`DSP.Spectrogram`: `frameCount × binCount`, `values[t * binCount + k]`), the transpose of
/// librosa's `bins × frames`; per-frame outputs are one value per frame, or frames-major matrices.
/// Frequencies of bin `k` are `k · sampleRate / fftSize` (`librosa.fft_frequencies`).
public enum FrameFeatures {
  /// The centre frequency of every STFT bin, `k · sr / n_fft` (`librosa.fft_frequencies`).
  ///
  /// - Parameters:
  ///   - sampleRate: `sr` in Hz.
  ///   - fftSize: `n_fft`.
  /// - Returns: `fftSize / 2 + 1` frequencies in Hz.
  public static func binFrequencies(sampleRate: Int, fftSize: Int) -> [Double] {
    let step = 1.0 / (Double(fftSize) * (1.0 / Double(sampleRate)))
    return (0...(fftSize / 2)).map { Double($0) * step }
  }
}
