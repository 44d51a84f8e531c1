import DSP

extension FrameFeatures {
  /// Mel-frequency cepstral coefficients, as `librosa.feature.mfcc(S=power_to_db(mel), n_mfcc=…,
  /// dct_type=2, norm='ortho', lifter=0)`: the orthonormal DCT-II of each frame's dB mel bands,
  /// first `transform.outputCount` coefficients.
  ///
  /// - Parameters:
  ///   - logMel: frames-major dB mel spectrogram (``logMelSpectrogram(power:filterbank:)``).
  ///   - transform: a `DSP.DiscreteCosineTransform` from the mel band count to `n_mfcc`.
  /// - Returns: frames-major `frameCount × n_mfcc` coefficients.
  /// - Throws: ``FeatureError/dsp(_:)`` when the band counts differ.
  /// - Complexity: O(frames × bands × n_mfcc).
  public static func mfcc(logMel: Spectrogram, transform: DiscreteCosineTransform) throws(FeatureError)
    -> Spectrogram
  {
    try dsp { () throws(DSPError) in try transform.transform(logMel) }
  }
}
