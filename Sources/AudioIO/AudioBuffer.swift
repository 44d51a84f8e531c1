/// Decoded audio: planar `Float` samples in [-1, 1], one array per channel, at one sample rate.
///
/// Integer PCM is scaled as libsndfile/soundfile do (`x / 2^(bits-1)`, so 16-bit `-32768` is
/// exactly `-1`); float files keep their values unchanged (they may exceed [-1, 1]).
public struct AudioBuffer: Sendable, Equatable {
  /// Samples per channel, `channels[c][frame]`. All channels have the same length.
  public private(set) var channels: [[Float]]
  /// Samples per second per channel, in Hz.
  public let sampleRate: Int

  /// Creates a buffer from planar channel data.
  ///
  /// - Precondition: at least one channel, all channels the same length, `sampleRate > 0`.
  public init(channels: [[Float]], sampleRate: Int) {
    precondition(!channels.isEmpty, "AudioBuffer needs at least one channel")
    precondition(
      channels.allSatisfy { $0.count == channels[0].count },
      "AudioBuffer channels differ in length: \(channels.map(\.count))")
    precondition(sampleRate > 0, "AudioBuffer sampleRate must be positive, got \(sampleRate)")
    self.channels = channels
    self.sampleRate = sampleRate
  }

  /// Number of channels.
  public var channelCount: Int { channels.count }

  /// Number of sample frames (samples per channel).
  public var frameCount: Int { channels[0].count }

  /// Duration in seconds.
  public var duration: Double { Double(frameCount) / Double(sampleRate) }

  /// The mono downmix: the mean of the channels at each frame (librosa's `to_mono`).
  ///
  /// - Complexity: O(`frameCount` × `channelCount`).
  public func mono() -> [Float] {
    if channels.count == 1 { return channels[0] }
    let count = Float(channels.count)
    var out = [Float](repeating: 0, count: frameCount)
    out.withUnsafeMutableBufferPointer { sum in
      for channel in channels {
        channel.withUnsafeBufferPointer { samples in
          for i in 0..<sum.count { sum[i] += samples[i] }
        }
      }
      for i in 0..<sum.count { sum[i] /= count }
    }
    return out
  }
}
