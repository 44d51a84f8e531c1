import DSP

extension FrameFeatures {
  /// The mel spectrogram of a power spectrogram, as `librosa.feature.melspectrogram(S=|X|²,
  /// sr=…, n_mels=128)`: `M[t, m] = Σₖ W[m, k]·S[t, k]` with the Slaney-normalised filterbank.
  ///
  /// - Parameters:
  ///   - power: the power spectrogram, frames-major.
  ///   - filterbank: a `DSP.MelFilterbank` for the same `sr` and `n_fft`.
  /// - Returns: frames-major `frameCount × melCount` power values.
  /// - Throws: ``FeatureError/dsp(_:)`` when the bin counts differ.
  /// - Complexity: O(frames × 2·bins).
  public static func melSpectrogram(power: Spectrogram, filterbank: MelFilterbank) throws(FeatureError)
    -> Spectrogram
  {
    try dsp { () throws(DSPError) in try filterbank.apply(to: power) }
  }

  /// The log-power (dB) mel spectrogram, as `librosa.power_to_db(melspectrogram(S=|X|²))`
  /// (ref 1, amin 1e-10, top_db 80 over the whole window): the input of both MFCC and
  /// `onset_strength`.
  ///
  /// - Parameters:
  ///   - power: the power spectrogram, frames-major.
  ///   - filterbank: a `DSP.MelFilterbank` for the same `sr` and `n_fft`.
  /// - Returns: frames-major dB values.
  /// - Throws: as ``melSpectrogram(power:filterbank:)``.
  public static func logMelSpectrogram(power: Spectrogram, filterbank: MelFilterbank)
    throws(FeatureError) -> Spectrogram
  {
    var mel = try melSpectrogram(power: power, filterbank: filterbank)
    try mel.values.withUnsafeMutableBufferPointer { (values) throws(FeatureError) in
      try dsp { () throws(DSPError) in try Decibels.powerToDecibels(values) }
    }
    return mel
  }
}
