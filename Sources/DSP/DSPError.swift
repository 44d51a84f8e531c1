/// Why a DSP operation refused its input.
///
/// Every public entry point of `DSP` validates what a file, a user or a recipe can get wrong and
/// throws one of these cases (`throws(DSPError)`); the ``description`` says what was wrong and
/// what to do. Programmer errors (mismatched buffer sizes passed to low-level kernels) are
/// `precondition` failures instead.
public enum DSPError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The signal has no samples.
  case emptySignal
  /// The signal is shorter than the operation needs (e.g. `center: false` with fewer than
  /// `fftSize` samples).
  case signalTooShort(length: Int, required: Int)
  /// A sample is NaN or infinite (librosa's `valid_audio` rejects these too).
  case nonFiniteSample(index: Int)
  /// The FFT size is not a supported size (even, at least 2, at most 2²⁰ for powers of two and
  /// 2¹⁸ otherwise).
  case invalidFFTSize(Int)
  /// The hop length is not positive.
  case invalidHopLength(Int)
  /// The window length is not in `1...fftSize`.
  case invalidWindowLength(windowLength: Int, fftSize: Int)
  /// The sample rate is not positive.
  case invalidSampleRate(Int)
  /// A frequency lies above the Nyquist frequency `sampleRate / 2`.
  case frequencyAboveNyquist(frequency: Double, nyquist: Double)
  /// A frequency range is empty, negative or not finite.
  case invalidFrequencyRange(minimum: Double, maximum: Double)
  /// A count (filters, coefficients, bins) is out of its valid range.
  case invalidCount(name: String, value: Int, valid: String)
  /// A numeric parameter is out of its valid range.
  case invalidParameter(name: String, value: Double, valid: String)
  /// A matrix or buffer has a shape that does not fit the operation.
  case shapeMismatch(expected: String, actual: String)

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .emptySignal:
      return "the signal is empty: pass at least one sample"
    case .signalTooShort(let length, let required):
      return "the signal has \(length) samples but at least \(required) are needed: "
        + "pad it, use a smaller FFT size, or enable centring"
    case .nonFiniteSample(let index):
      return "sample \(index) is NaN or infinite: clean or clip the audio before analysis"
    case .invalidFFTSize(let size):
      return "FFT size \(size) is not supported: use an even size from 2 to 262144, "
        + "or a power of two up to 1048576 (e.g. 2048)"
    case .invalidHopLength(let hop):
      return "hop length \(hop) is not positive: use a hop of at least 1 sample (e.g. 512)"
    case .invalidWindowLength(let windowLength, let fftSize):
      return "window length \(windowLength) must be in 1...\(fftSize) (the FFT size)"
    case .invalidSampleRate(let rate):
      return "sample rate \(rate) Hz is not positive: pass the rate of the audio (e.g. 22050)"
    case .frequencyAboveNyquist(let frequency, let nyquist):
      return "frequency \(frequency) Hz lies above the Nyquist frequency \(nyquist) Hz: "
        + "lower it or raise the sample rate"
    case .invalidFrequencyRange(let minimum, let maximum):
      return "frequency range \(minimum)...\(maximum) Hz is invalid: "
        + "use finite frequencies with 0 <= minimum < maximum"
    case .invalidCount(let name, let value, let valid):
      return "\(name) = \(value) is out of range: it must be \(valid)"
    case .invalidParameter(let name, let value, let valid):
      return "\(name) = \(value) is out of range: it must be \(valid)"
    case .shapeMismatch(let expected, let actual):
      return "shape mismatch: expected \(expected), got \(actual)"
    }
  }
}

extension DSPError {
  /// Throws ``nonFiniteSample(index:)`` for the first NaN or infinity in `signal`, and
  /// ``emptySignal`` when it has no samples.
  package static func validate(_ signal: UnsafeBufferPointer<Float>) throws(DSPError) {
    if signal.isEmpty { throw .emptySignal }
    // Fast scan: x * 0 is NaN exactly when x is NaN or infinite, and NaN survives the sums.
    // Four independent accumulators keep the adds from waiting on each other.
    var p0 = SIMD4<Float>()
    var p1 = SIMD4<Float>()
    var p2 = SIMD4<Float>()
    var p3 = SIMD4<Float>()
    var i = 0
    let n = signal.count
    if let base = signal.baseAddress {
      let raw = UnsafeRawPointer(base)
      while i + 16 <= n {
        p0 += raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD4<Float>.self) * 0
        p1 += raw.loadUnaligned(fromByteOffset: 4 * i + 16, as: SIMD4<Float>.self) * 0
        p2 += raw.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD4<Float>.self) * 0
        p3 += raw.loadUnaligned(fromByteOffset: 4 * i + 48, as: SIMD4<Float>.self) * 0
        i += 16
      }
    }
    let probe = (p0 + p1) + (p2 + p3)
    let lanesFinite = (probe[0] + probe[1] + probe[2] + probe[3]).isFinite
    if !lanesFinite { i = 0 }
    while i < n {
      if !signal[i].isFinite { throw .nonFiniteSample(index: i) }
      i += 1
    }
  }
}
