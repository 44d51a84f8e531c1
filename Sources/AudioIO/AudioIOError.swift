/// Everything that can go wrong reading or writing audio, one case per failure.
///
/// Every case is caused by the input (a file, a pipe, a user) or the environment, never by a caller
/// bug (those trap with a `precondition`). `description` says what was wrong and what to do.
public enum AudioIOError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The first bytes match no supported container (WAV `RIFF`/`RF64`/`BW64`, AU `.snd`).
  case unrecognisedFormat(firstBytes: [UInt8])
  /// The input ends before the header is complete (`neededBytes` of it were required).
  case truncatedHeader(container: AudioContainer, neededBytes: Int, availableBytes: Int)
  /// A required WAV chunk (`"fmt "`, `"data"` or RF64's `"ds64"`) is absent or comes too late.
  case missingChunk(String)
  /// A chunk is present but its content is malformed (e.g. a `fmt ` chunk shorter than 16 bytes).
  case malformedChunk(id: String, reason: String)
  /// The sample encoding is valid in the container but not supported here.
  ///
  /// `code` is the WAV format tag or the AU encoding number; `detail` names it (for
  /// `WAVE_FORMAT_EXTENSIBLE` it holds the sub-format GUID).
  case unsupportedEncoding(container: AudioContainer, code: Int, detail: String)
  /// The header's bits per sample cannot be decoded for its encoding (e.g. 0, or 40-bit PCM).
  case invalidBitsPerSample(Int, encoding: String)
  /// The header's channel count is 0 or above 65 535.
  case invalidChannelCount(Int)
  /// The header's sample rate is 0.
  case invalidSampleRate(Int)
  /// The WAV block align (bytes per frame) disagrees with channels × bytes per sample.
  case invalidBlockAlign(claimed: Int, expected: Int)
  /// A size or offset in the header is impossible for the input it came with.
  case absurdSize(field: String, claimed: UInt64, availableBytes: Int)
  /// Strict decoding: the data is shorter than the header claims.
  case truncatedData(expectedBytes: Int, availableBytes: Int)
  /// A file could not be opened or read.
  case fileNotReadable(path: String, reason: String)
  /// Reading from an open input failed part-way (an I/O error from the system).
  case readFailed(reason: String)
  /// The operation needs to move backwards in an input that can only be read forwards.
  case notSeekable(operation: String)
  /// A seek target lies beyond the end of the audio.
  case seekOutOfRange(frame: Int, frameCount: Int)
  /// A file could not be written.
  case writeFailed(path: String, reason: String)

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .unrecognisedFormat(let bytes):
      let hex = bytes.map { byte in
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
      }.joined(separator: " ")
      let ascii = String(
        decoding: bytes.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
      return bytes.isEmpty
        ? "The input is empty: expected a WAV (RIFF/RF64) or AU (.snd) file."
        : "Unrecognised audio format: the input starts with \(hex) (\"\(ascii)\"), which is neither "
          + "WAV (RIFF/RF64/BW64 … WAVE) nor AU (.snd). Convert it to WAV, e.g. "
          + "`ffmpeg -i input output.wav`."
    case .truncatedHeader(let container, let needed, let available):
      return "The \(container) header is cut short: it needs \(needed) bytes but the input has only "
        + "\(available). The file is incomplete; re-export or re-download it."
    case .missingChunk(let id):
      return "The WAV file has no usable \"\(id)\" chunk before its end (or the chunk comes after "
        + "open-ended audio data). The file is damaged or not a complete WAVE file."
    case .malformedChunk(let id, let reason):
      return "The WAV \"\(id)\" chunk is malformed: \(reason). Re-export the file with a standard tool."
    case .unsupportedEncoding(let container, let code, let detail):
      return "Unsupported \(container) sample encoding \(code) (\(detail)). Supported: PCM 8/16/24/32-bit, "
        + "float 32/64-bit, µ-law and A-law; convert with e.g. `ffmpeg -i input -c:a pcm_s16le out.wav`."
    case .invalidBitsPerSample(let bits, let encoding):
      return "The header claims \(bits) bits per sample for \(encoding), which cannot be decoded "
        + "(PCM needs 1–32 bits, float 32 or 64, µ-law/A-law 8). The header is damaged."
    case .invalidChannelCount(let count):
      return "The header claims \(count) channels; a decodable file has between 1 and 65 535. "
        + "The header is damaged."
    case .invalidSampleRate(let rate):
      return "The header claims a sample rate of \(rate) Hz; it must be positive. The header is damaged."
    case .invalidBlockAlign(let claimed, let expected):
      return "The WAV block align is \(claimed) bytes per frame but channels × bytes per sample is "
        + "\(expected). The header is damaged; decode with `lenient` to use \(expected)."
    case .absurdSize(let field, let claimed, let available):
      return "The header's \(field) claims \(claimed) bytes, but only \(available) are available. "
        + "The header is damaged or the file is truncated."
    case .truncatedData(let expected, let available):
      return "The audio data is truncated: the header claims \(expected) bytes but only \(available) "
        + "are present. The file is incomplete; decode with `lenient` to use the frames present."
    case .fileNotReadable(let path, let reason):
      return "Cannot read \(path): \(reason). Check that the path exists and is a readable file."
    case .readFailed(let reason):
      return "Reading the audio input failed: \(reason)."
    case .notSeekable(let operation):
      return "Cannot \(operation): the input is a pipe or stream that can only be read forwards. "
        + "Read from a file instead."
    case .seekOutOfRange(let frame, let frameCount):
      return "Cannot seek to frame \(frame): the audio has \(frameCount) frames."
    case .writeFailed(let path, let reason):
      return "Cannot write \(path): \(reason). Check that the folder exists and is writable."
    }
  }
}
