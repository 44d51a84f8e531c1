/// The frame layout of a time-domain feature (RMS, zero-crossing rate): how far the signal is
/// padded and how many frames fit, as `librosa.util.frame` over a signal padded by
/// `frameLength / 2` per side when centred.
struct TimeDomainFraming {
  /// Samples of padding before (and after) the signal: `frameLength / 2` when centred, else 0.
  let padding: Int
  /// Length of the padded signal.
  let paddedCount: Int
  /// Number of frames: `1 + (paddedCount - frameLength) / hopLength`.
  let frameCount: Int

  /// Validates the arguments of a time-domain feature and lays out its frames.
  ///
  /// - Throws: ``FeatureError/emptySignal``, ``FeatureError/invalidParameter(name:value:valid:)``
  ///   for a frame or hop length below 1, ``FeatureError/signalTooShort(length:required:feature:)``
  ///   when the padded signal is shorter than one frame.
  init(
    signalCount: Int, frameLength: Int, hopLength: Int, center: Bool, feature: String
  ) throws(FeatureError) {
    guard signalCount > 0 else { throw .emptySignal }
    guard frameLength >= 1 else {
      throw .invalidParameter(name: "frame_length", value: "\(frameLength)", valid: ">= 1")
    }
    guard hopLength >= 1 else {
      throw .invalidParameter(name: "hop_length", value: "\(hopLength)", valid: ">= 1")
    }
    padding = center ? frameLength / 2 : 0
    paddedCount = signalCount + 2 * padding
    guard paddedCount >= frameLength else {
      throw .signalTooShort(length: signalCount, required: frameLength, feature: feature)
    }
    frameCount = 1 + (paddedCount - frameLength) / hopLength
  }
}
