/// The container a stream of audio bytes was found in, detected from its content.
public enum AudioContainer: String, Sendable, Hashable, Codable, CustomStringConvertible {
  /// Microsoft RIFF/WAVE (`RIFF....WAVE`).
  case wav
  /// EBU Tech 3306 RF64, the 64-bit-size extension of WAVE (`RF64....WAVE`).
  case rf64
  /// Sun/NeXT audio (`.snd`, big-endian, `.au`/`.snd` files).
  case au

  /// A short human-readable name, e.g. `WAV`.
  public var description: String {
    switch self {
    case .wav: "WAV"
    case .rf64: "RF64"
    case .au: "AU"
    }
  }
}

/// How each sample is stored in the file.
public enum SampleEncoding: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Linear PCM, unsigned, 8 bits (WAV's only 8-bit integer form; 128 is silence).
  case unsignedInteger8
  /// Linear PCM, signed two's complement, with the given number of bits per sample (8, 16, 24, 32).
  case signedInteger(bits: Int)
  /// IEEE 754 binary32.
  case float32
  /// IEEE 754 binary64.
  case float64
  /// ITU-T G.711 µ-law, 8 bits per sample.
  case muLaw
  /// ITU-T G.711 A-law, 8 bits per sample.
  case aLaw

  /// Bits each sample occupies in the file.
  public var bitsPerSample: Int {
    switch self {
    case .unsignedInteger8, .muLaw, .aLaw: 8
    case .signedInteger(let bits): bits
    case .float32: 32
    case .float64: 64
    }
  }

  /// Bytes each sample occupies in the file.
  public var bytesPerSample: Int { bitsPerSample / 8 }

  /// A short human-readable name, e.g. `PCM 16-bit` or `µ-law`.
  public var description: String {
    switch self {
    case .unsignedInteger8: "PCM 8-bit unsigned"
    case .signedInteger(let bits): "PCM \(bits)-bit"
    case .float32: "float 32-bit"
    case .float64: "float 64-bit"
    case .muLaw: "µ-law"
    case .aLaw: "A-law"
    }
  }
}

/// What a file's header says about its audio, checked against the bytes actually present.
public struct AudioFormatInfo: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The container format, detected from the first bytes (never from the file name).
  public var container: AudioContainer
  /// The sample encoding.
  public var encoding: SampleEncoding
  /// Samples per second per channel, in Hz.
  public var sampleRate: Int
  /// Number of interleaved channels.
  public var channelCount: Int
  /// Number of sample frames (one sample per channel) the audio holds.
  ///
  /// For streams whose header leaves the size open (0 or 0xFFFFFFFF), this is the number of
  /// whole frames present in the bytes that were read.
  public var frameCount: Int

  /// Creates a format description.
  public init(
    container: AudioContainer, encoding: SampleEncoding, sampleRate: Int, channelCount: Int,
    frameCount: Int
  ) {
    self.container = container
    self.encoding = encoding
    self.sampleRate = sampleRate
    self.channelCount = channelCount
    self.frameCount = frameCount
  }

  /// Bits per sample in the file (`encoding.bitsPerSample`).
  public var bitsPerSample: Int { encoding.bitsPerSample }

  /// Duration in seconds: `frameCount / sampleRate`.
  public var duration: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }

  /// One line such as `WAV, PCM 16-bit, 22050 Hz, 1 ch, 661794 frames (30.013 s)`.
  public var description: String {
    let seconds = (duration * 1000).rounded() / 1000
    return
      "\(container), \(encoding), \(sampleRate) Hz, \(channelCount) ch, \(frameCount) frames (\(seconds) s)"
  }
}
