import DSP

/// Why feature extraction refused its input or recipe.
///
/// Every public entry point of `Features` validates what a file, a user or a recipe can get wrong
/// and throws one of these (`throws(FeatureError)`); ``description`` says what was wrong and what
/// to do.
public enum FeatureError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The signal has no samples.
  case emptySignal
  /// The signal is too short for a feature (e.g. `delta` needs at least `width` frames).
  case signalTooShort(length: Int, required: Int, feature: String)
  /// A sample is NaN or infinite.
  case nonFiniteSample(index: Int)
  /// The sample rate is not positive (or too large to be audio).
  case invalidSampleRate(Int)
  /// A recipe or function parameter is out of range (`n_fft < 2`, hop 0, fmax above Nyquist, …).
  case invalidParameter(name: String, value: String, valid: String)
  /// The recipe mixes per-frame and summary columns, or asks for a per-frame value of a feature
  /// that has none (such as `tempo`).
  case invalidRecipe(String)
  /// A DSP stage refused its input; the wrapped error says why.
  case dsp(DSPError)

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .emptySignal:
      return "the signal is empty: pass at least one sample"
    case .signalTooShort(let length, let required, let feature):
      return "\(feature) needs at least \(required) (got \(length)): use a longer signal"
    case .nonFiniteSample(let index):
      return "sample \(index) is NaN or infinite: clean or re-decode the audio"
    case .invalidSampleRate(let rate):
      return "sample rate \(rate) Hz is invalid: use a positive rate up to 768 000 Hz"
    case .invalidParameter(let name, let value, let valid):
      return "parameter \(name) = \(value) is invalid: it must be \(valid)"
    case .invalidRecipe(let why):
      return "the feature recipe is invalid: \(why)"
    case .dsp(let error):
      return "signal processing failed: \(error.description)"
    }
  }

  /// Maps a DSP error onto the closest feature error.
  init(_ error: DSPError) {
    switch error {
    case .emptySignal: self = .emptySignal
    case .nonFiniteSample(let index): self = .nonFiniteSample(index: index)
    case .invalidSampleRate(let rate): self = .invalidSampleRate(rate)
    default: self = .dsp(error)
    }
  }
}

/// Runs a DSP call, converting its error.
@inline(__always)
func dsp<T>(_ body: () throws(DSPError) -> T) throws(FeatureError) -> T {
  do { return try body() } catch { throw FeatureError(error) }
}
