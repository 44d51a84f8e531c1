import AudioIO
import Features
import NeuralNet

/// Errors the GenreModel module throws for anything a file, a table, a user or a model bundle
/// can cause. Each `description` says what was wrong and what to do about it.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A file or directory could not be read or written.
  case fileError(path: String, reason: String)
  /// A model bundle's `model.json` is not valid JSON or lacks a required field.
  case malformedManifest(path: String, reason: String)
  /// A model bundle was written in a format version this library does not read.
  case unsupportedVersion(found: Int, supported: ClosedRange<Int>)
  /// A model bundle is internally inconsistent (labels vs. outputs, scaler vs. inputs, …).
  case inconsistentBundle(reason: String)
  /// The weights do not match the architecture (first mismatch named by the wrapped error).
  case weightsMismatch(NeuralNetError)
  /// A feature table is malformed at a given 1-based line.
  case malformedTable(path: String, line: Int, reason: String)
  /// A split list or dataset listing is malformed.
  case malformedSplit(path: String, line: Int, reason: String)
  /// A label was not among the model's or encoder's known labels.
  case unknownLabel(String, known: [String])
  /// A track named in a split list is not in the table.
  case missingTrack(String)
  /// A data set has no usable rows (or a class has none where one is needed).
  case emptyDataset(reason: String)
  /// A numeric argument or configuration value is out of range.
  case invalidArgument(name: String, reason: String)
  /// An error from the network library (architecture, training, linear algebra).
  case network(NeuralNetError)
  /// Training diverged (a loss or weight became NaN or infinite).
  case diverged(epoch: Int)
  /// Audio handed to prediction is unusable (no samples, a NaN or infinite sample, a sample rate
  /// that is not positive); `source` names the file or says `samples`.
  case invalidAudio(source: String, reason: String)
  /// An audio file could not be read or decoded; the wrapped error says why.
  case audioFile(path: String, AudioIOError)
  /// Feature extraction refused the audio of `source` (a file name or `samples`).
  case features(source: String, FeatureError)

  /// A sentence saying what went wrong and what to do about it.
  public var description: String {
    switch self {
    case .fileError(let path, let reason):
      return "cannot access '\(path)': \(reason)"
    case .malformedManifest(let path, let reason):
      return "model manifest '\(path)' is malformed: \(reason); re-export the model with `genre train`"
    case .unsupportedVersion(let found, let supported):
      let versions =
        supported.count == 1 ? "version \(supported.lowerBound)" : "versions \(supported.lowerBound)–\(supported.upperBound)"
      return "model bundle format version \(found) is not supported (this library reads \(versions)); "
        + "retrain or convert the model"
    case .inconsistentBundle(let reason):
      return "model bundle is inconsistent: \(reason)"
    case .weightsMismatch(let error):
      return "weights.safetensors does not match model.json: \(error)"
    case .malformedTable(let path, let line, let reason):
      return "feature table '\(path)' line \(line): \(reason); fix or regenerate the table"
    case .malformedSplit(let path, let line, let reason):
      return "split list '\(path)' line \(line): \(reason); lines look like 'blues/blues.00029.wav'"
    case .unknownLabel(let label, let known):
      return "unknown label '\(label)'; known labels are \(known.joined(separator: ", "))"
    case .missingTrack(let track):
      return "track '\(track)' is listed in a split but has no rows in the feature table; "
        + "check that the split and the table describe the same data set"
    case .emptyDataset(let reason):
      return "no data: \(reason)"
    case .invalidArgument(let name, let reason):
      return "invalid \(name): \(reason)"
    case .network(let error):
      return "\(error)"
    case .diverged(let epoch):
      return "training diverged in epoch \(epoch) (loss became NaN or infinite); lower the learning rate"
    case .invalidAudio(let source, let reason):
      return "\(source): \(reason)"
    case .audioFile(let path, let error):
      return "\(path): \(error)"
    case .features(let source, let error):
      return "\(source): feature extraction failed: \(error)"
    }
  }
}
