import Foundation

/// A sample format `WAVEncoder` can write.
public enum WAVSampleFormat: String, Sendable, Hashable, CaseIterable, Codable {
  /// 8-bit unsigned PCM (128 is silence).
  case pcm8
  /// 16-bit signed PCM.
  case pcm16
  /// 24-bit signed PCM.
  case pcm24
  /// 32-bit signed PCM.
  case pcm32
  /// 32-bit IEEE float.
  case float32
  /// 64-bit IEEE float.
  case float64

  /// Bits per sample in the file.
  public var bitsPerSample: Int {
    switch self {
    case .pcm8: 8
    case .pcm16: 16
    case .pcm24: 24
    case .pcm32, .float32: 32
    case .float64: 64
    }
  }

  /// The encoding a decoder reports for files written in this format.
  public var encoding: SampleEncoding {
    switch self {
    case .pcm8: .unsignedInteger8
    case .pcm16, .pcm24, .pcm32: .signedInteger(bits: bitsPerSample)
    case .float32: .float32
    case .float64: .float64
    }
  }

  /// Whether samples are IEEE floats.
  var isFloat: Bool { self == .float32 || self == .float64 }
}

/// Writes `AudioBuffer`s as WAV files that libsndfile/soundfile, Python's `wave` (PCM) and
/// `AudioDecoder` read back.
///
/// Layout: `RIFF`/`WAVE` with a 16-byte `fmt ` (`WAVE_FORMAT_PCM`) for 8/16-bit PCM with one or two
/// channels; otherwise (more than 2 channels, more than 16 bits, or float) a 40-byte
/// `WAVE_FORMAT_EXTENSIBLE` `fmt ` with the PCM or IEEE-float sub-format GUID, as the format's
/// specification recommends; float files also carry a `fact` chunk (frames per channel). The
/// channel mask is `SPEAKER_FRONT_CENTER` for mono, `FRONT_LEFT | FRONT_RIGHT` for stereo and 0
/// (no positions assigned) otherwise. Files whose RIFF size would exceed 4 GiB are written as RF64.
///
/// Integer quantisation: `q = round(x × 2^(bits−1))` (round half to even), clipped to
/// [−2^(bits−1), 2^(bits−1) − 1] (8-bit then adds 128); NaN writes 0. Note that soundfile 0.14 /
/// libsndfile 1.2.2 as installed here scale and clip the same way but round towards −∞ (0.7 LSB → 0,
/// −0.3 LSB → −1, measured), so integer files written by soundfile can be one step below ours; ours
/// have the smaller error (at most half a step).
public enum WAVEncoder {
  /// RIFF sizes above this are written as RF64 (internal so tests can lower it).
  static let rf64Threshold = Int(UInt32.max)

  /// Encodes `buffer` as a complete WAV file.
  ///
  /// - Parameters:
  ///   - buffer: the samples (nominally in [-1, 1]; integer formats clip outside it).
  ///   - format: the sample format to write.
  /// - Returns: the file's bytes.
  /// - Precondition: `channelCount × bytes per sample ≤ 65 535` (WAV's block-align field) and
  ///   `sampleRate × block align ≤ 4 294 967 295` (its byte-rate field).
  /// - Complexity: O(`frameCount × channelCount`).
  public static func encode(_ buffer: AudioBuffer, as format: WAVSampleFormat) -> Data {
    encode(buffer, as: format, rf64Above: rf64Threshold)
  }

  /// Encodes `buffer` and writes it to `url`, replacing any file there.
  ///
  /// - Parameters:
  ///   - buffer: the samples.
  ///   - url: the destination file URL.
  ///   - format: the sample format to write.
  /// - Throws: `.writeFailed` with the system's reason.
  public static func write(
    _ buffer: AudioBuffer, to url: URL, as format: WAVSampleFormat
  ) throws(AudioIOError) {
    let data = encode(buffer, as: format)
    do {
      try data.write(to: url, options: .atomic)
    } catch {
      throw .writeFailed(path: url.path, reason: "\(error.localizedDescription)")
    }
  }

  /// `encode(_:as:)` with a chosen RF64 threshold.
  static func encode(_ buffer: AudioBuffer, as format: WAVSampleFormat, rf64Above threshold: Int) -> Data {
    let channels = buffer.channelCount
    let bytesPerSample = format.bitsPerSample / 8
    let blockAlign = channels * bytesPerSample
    precondition(
      blockAlign <= 0xFFFF,
      "WAV cannot hold \(channels) channels of \(format): block align \(blockAlign) > 65535")
    let byteRate = buffer.sampleRate.multipliedReportingOverflow(by: blockAlign)
    precondition(
      !byteRate.overflow && byteRate.partialValue <= Int(UInt32.max),
      "WAV cannot hold \(buffer.sampleRate) Hz × \(blockAlign) bytes per frame")
    let frames = buffer.frameCount
    let dataSize = frames * blockAlign
    let extensible = channels > 2 || format.bitsPerSample > 16
    let fmtSize = extensible ? 40 : 16
    let factSize = format.isFloat ? 12 : 0
    let pad = dataSize & 1
    let riffBody = 4 + (8 + fmtSize) + factSize + 8 + dataSize + pad
    let rf64 = riffBody > threshold
    let ds64Size = rf64 ? 8 + 28 : 0
    let headerSize = 12 + ds64Size + 8 + fmtSize + factSize + 8
    var out = [UInt8]()
    out.reserveCapacity(headerSize + dataSize + pad)

    func u16(_ v: Int) {
      out.append(UInt8(v & 0xFF))
      out.append(UInt8((v >> 8) & 0xFF))
    }
    func u32(_ v: Int) { for s in stride(from: 0, to: 32, by: 8) { out.append(UInt8((v >> s) & 0xFF)) } }
    func u64(_ v: Int) {
      u32(v & 0xFFFF_FFFF)
      u32(v >> 32)
    }
    func tag(_ s: String) { out.append(contentsOf: Array(s.utf8)) }
    let riffSize = rf64 ? 0xFFFF_FFFF : riffBody + ds64Size

    tag(rf64 ? "RF64" : "RIFF")
    u32(riffSize)
    tag("WAVE")
    if rf64 {
      tag("ds64")
      u32(28)
      u64(riffBody + ds64Size)
      u64(dataSize)
      u64(frames)
      u32(0)
    }
    let formatTag = format.isFloat ? WAVHeader.formatFloat : WAVHeader.formatPCM
    tag("fmt ")
    u32(fmtSize)
    u16(extensible ? WAVHeader.formatExtensible : formatTag)
    u16(channels)
    u32(buffer.sampleRate)
    u32(byteRate.partialValue)
    u16(blockAlign)
    u16(format.bitsPerSample)
    if extensible {
      u16(22)
      u16(format.bitsPerSample)
      u32(channels == 1 ? 0x4 : channels == 2 ? 0x3 : 0)
      u16(formatTag)
      out.append(contentsOf: WAVHeader.guidSuffix)
    }
    if format.isFloat {
      tag("fact")
      u32(4)
      u32(min(frames, Int(UInt32.max)))
    }
    tag("data")
    u32(rf64 ? 0xFFFF_FFFF : dataSize)
    precondition(out.count == headerSize, "WAV header is \(out.count) bytes, expected \(headerSize)")

    var data = Data(count: headerSize + dataSize + pad)
    data.withUnsafeMutableBytes { raw in
      raw.copyBytes(from: out)
      let base = raw.baseAddress! + headerSize
      for (c, channel) in buffer.channels.enumerated() {
        channel.withUnsafeBufferPointer { samples in
          write(samples, to: base + c * bytesPerSample, stride: blockAlign, as: format)
        }
      }
    }
    return data
  }

  /// Quantises `x` to a signed integer of `bits` bits: round half to even of `x × 2^(bits−1)`,
  /// clipped to the integer range; NaN → 0.
  static func quantise(_ x: Float, bits: Int) -> Int64 {
    let full = Double(Int64(1) << (bits - 1))
    let scaled = (Double(x) * full).rounded(.toNearestOrEven)
    if scaled.isNaN { return 0 }
    return Int64(min(max(scaled, -full), full - 1))
  }

  /// Writes the samples of one channel, `stride` bytes apart, little-endian.
  private static func write(
    _ samples: UnsafeBufferPointer<Float>, to start: UnsafeMutableRawPointer, stride: Int,
    as format: WAVSampleFormat
  ) {
    var p = start
    switch format {
    case .pcm8:
      for x in samples {
        p.storeBytes(of: UInt8(truncatingIfNeeded: quantise(x, bits: 8) + 128), as: UInt8.self)
        p += stride
      }
    case .pcm16:
      for x in samples {
        p.storeBytes(of: Int16(truncatingIfNeeded: quantise(x, bits: 16)).littleEndian, as: Int16.self)
        p += stride
      }
    case .pcm24:
      for x in samples {
        let q = quantise(x, bits: 24)
        p.storeBytes(of: UInt8(truncatingIfNeeded: q), as: UInt8.self)
        p.storeBytes(of: UInt8(truncatingIfNeeded: q >> 8), toByteOffset: 1, as: UInt8.self)
        p.storeBytes(of: UInt8(truncatingIfNeeded: q >> 16), toByteOffset: 2, as: UInt8.self)
        p += stride
      }
    case .pcm32:
      for x in samples {
        p.storeBytes(of: Int32(truncatingIfNeeded: quantise(x, bits: 32)).littleEndian, as: Int32.self)
        p += stride
      }
    case .float32:
      for x in samples {
        p.storeBytes(of: x.bitPattern.littleEndian, as: UInt32.self)
        p += stride
      }
    case .float64:
      for x in samples {
        p.storeBytes(of: Double(x).bitPattern.littleEndian, as: UInt64.self)
        p += stride
      }
    }
  }
}
