import Foundation

/// Scores a model on labelled audio files through the ordinary prediction path: each file is
/// decoded, analysed with the bundle's own input (feature recipe or log-mel segments) and
/// classified by ``GenrePredictor/predict(files:concurrency:)``, exactly as `genre classify` does.
///
/// Every window of a file's timeline is one evaluated row (window level); the file's ranked answer,
/// the mean of its windows' probabilities, is its song-level prediction. A file that cannot be
/// classified (unreadable, not audio, too short for a log-mel window…) is kept in ``failures``
/// and left out of the metrics; the other files are still scored.
public struct AudioEvaluation: Sendable {
  /// A labelled audio file.
  public struct File: Sendable, Equatable {
    /// Where the audio is.
    public var url: URL
    /// Its true genre (one of the model's labels).
    public var label: String

    /// A file and its label.
    public init(url: URL, label: String) {
      self.url = url
      self.label = label
    }
  }

  /// A file that could not be classified, with the error naming it.
  public struct Failure: Sendable {
    /// The file.
    public var file: URL
    /// Why it failed.
    public var error: ModelError
  }

  /// Window- and song-level metrics over the files that were classified, with the model's
  /// training record.
  public var report: EvaluationReport
  /// The files left out, in input order.
  public var failures: [Failure]

  /// Classifies `files` with `predictor` on `concurrency` threads and scores the answers.
  ///
  /// - Parameters:
  ///   - predictor: the model to evaluate.
  ///   - files: labelled files; every label must be one of the predictor's.
  ///   - concurrency: worker threads (at least 1).
  ///   - dataDescription: what was evaluated, for the report.
  /// - Throws: `ModelError.unknownLabel` (before any work) for a label the model does not have,
  ///   `.emptyDataset` when there are no files or none could be classified, `.invalidArgument`
  ///   for `concurrency` < 1.
  public init(
    predictor: GenrePredictor, files: [File], concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
    dataDescription: String
  ) throws(ModelError) {
    guard concurrency >= 1 else {
      throw .invalidArgument(name: "concurrency", reason: "\(concurrency) must be at least 1")
    }
    guard !files.isEmpty else { throw .emptyDataset(reason: "no audio files to evaluate") }
    let encoder = try LabelEncoder(labels: predictor.labels)
    let truth = try encoder.encode(files.map(\.label))
    let results = predictor.predict(files: files.map(\.url), concurrency: concurrency)
    var windowTruth: [Int] = []
    var windowPredicted: [Int] = []
    var songTruth: [Int] = []
    var songPredicted: [Int] = []
    var failures: [Failure] = []
    for (index, result) in results.enumerated() {
      switch result {
      case .success(let prediction):
        for window in prediction.timeline {
          windowTruth.append(truth[index])
          windowPredicted.append(SongAggregation.argmax(window.probabilities))
        }
        songTruth.append(truth[index])
        songPredicted.append(try encoder.index(of: prediction.label))
      case .failure(let error):
        failures.append(Failure(file: files[index].url, error: error))
      }
    }
    guard !songTruth.isEmpty else {
      throw .emptyDataset(reason: "none of the \(files.count) audio files could be classified")
    }
    let labels = predictor.labels
    report = EvaluationReport(
      dataDescription: dataDescription, labels: labels,
      windows: ClassificationMetrics(labels: labels, truth: windowTruth, predicted: windowPredicted),
      songs: ClassificationMetrics(labels: labels, truth: songTruth, predicted: songPredicted),
      training: predictor.manifest.training)
    self.failures = failures
  }
}
