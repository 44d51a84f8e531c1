import ArgumentParser
import Foundation
import GenreClassifier

/// `genre classify FILE...`: the genre of each audio file, with the model's built-in default.
struct ClassifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "classify",
    abstract: "Classify the genre of each audio file (default: the shipped 10-genre GTZAN model).",
    discussion: """
      Each file is decoded, mixed to mono, resampled to the model's rate and cut into the \
      model's windows (the default model: 30 s windows sliding by 5 s; a shorter file is \
      classified whole and flagged). The song's answer is the mean of its windows' \
      probabilities. Files are classified in parallel; output keeps the order of the arguments. \
      A file that cannot be classified prints one line on standard error naming the file and \
      the problem; the exit status is 3 if any file failed, after every file was tried (1 for \
      an error that stops the run, such as an unreadable model). \
      With --shard i/n only the files of that shard are classified (see --shard), so a job \
      array of n tasks over one list classifies every file once; --json lines carry the file, \
      model and windows, so the tasks' outputs can simply be concatenated.
      """
  )

  @OptionGroup var input: FileSelection

  @Option(help: "A model bundle directory (model.json + weights.safetensors); default: the shipped model.")
  var model: String?

  @Option(help: "How many labels to print per file (text output).")
  var top = 3

  @Flag(help: "Also print each window's span, top label and probability (text output).")
  var segments = false

  @Flag(help: "Print one JSON object per file (per line) instead of text.")
  var json = false

  @Option(help: "Files classified at once (the default is the number of active processors).")
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  func validate() throws {
    guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
  }

  func run() throws {
    let predictor: GenrePredictor
    let modelName: String
    if let model {
      let url = URL(fileURLWithPath: model)
      predictor = try GenrePredictor(contentsOf: url)
      modelName = url.standardizedFileURL.lastPathComponent
    } else {
      predictor = try GenrePredictor.default
      modelName = "default"
    }
    let files = try input.paths()
    var failures = 0
    // Batches of a few files per worker: output appears as the work proceeds (a long sharded
    // run can be followed and loses little if stopped), in argument order.
    let batchSize = 8 * jobs
    for start in stride(from: 0, to: files.count, by: batchSize) {
      let batch = Array(files[start..<min(start + batchSize, files.count)])
      let results = predictor.predict(files: batch.map { URL(fileURLWithPath: $0) }, concurrency: jobs)
      for (file, result) in zip(batch, results) {
        switch result {
        case .success(let prediction):
          if json {
            print(try jsonLine(file: file, model: modelName, predictor: predictor, prediction: prediction))
          } else {
            printText(file: file, prediction: prediction)
          }
        case .failure(let error):
          failures += 1
          printError("\(error)")
        }
      }
      fflush(nil)  // all C streams: `print` writes through stdout
    }
    if failures > 0 {
      printError("\(failures) of \(files.count) file(s) could not be classified")
      throw ExitCode.someFilesFailed
    }
  }

  private func printText(file: String, prediction: GenrePrediction) {
    let ranked = prediction.ranked.prefix(top).map { "\($0.label) \(format($0.probability))" }
    let flag = prediction.inputShorterThanWindow ? " (shorter than the model's window: classified whole)" : ""
    print("\(file): \(ranked.joined(separator: ", "))\(flag)")
    guard segments else { return }
    for window in prediction.timeline {
      let k = prediction.labels.firstIndex(of: window.label) ?? 0
      print(
        String(format: "  %7.2f–%7.2f s  ", window.start, window.end)
          + "\(window.label) \(format(window.probabilities[k]))")
    }
  }

  private func format(_ probability: Float) -> String { String(format: "%.2f", probability) }

  private func jsonLine(
    file: String, model: String, predictor: GenrePredictor, prediction: GenrePrediction
  ) throws -> String {
    let record = ClassificationRecord(
      file: file, model: model, recipe: predictor.manifest.recipe.name,
      windowSeconds: predictor.windowSeconds, hopSeconds: predictor.hopSeconds, prediction: prediction)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(record), as: UTF8.self)
  }
}

/// One line of `genre classify --json`: self-describing, so lines from many runs can be merged.
private struct ClassificationRecord: Encodable {
  struct Window: Encodable {
    var start: Double
    var end: Double
    var label: String
    var probabilities: [String: Float]
  }

  var file: String
  var model: String
  var recipe: String
  var windowSeconds: Double
  var hopSeconds: Double
  var label: String
  var ranked: [RankedLabel]
  var timeline: [Window]
  var inputShorterThanWindow: Bool

  init(
    file: String, model: String, recipe: String, windowSeconds: Double, hopSeconds: Double,
    prediction: GenrePrediction
  ) {
    self.file = file
    self.model = model
    self.recipe = recipe
    self.windowSeconds = windowSeconds
    self.hopSeconds = hopSeconds
    label = prediction.label
    ranked = prediction.ranked
    timeline = prediction.timeline.map { window in
      Window(
        start: window.start, end: window.end, label: window.label,
        probabilities: Dictionary(uniqueKeysWithValues: zip(prediction.labels, window.probabilities)))
    }
    inputShorterThanWindow = prediction.inputShorterThanWindow
  }
}
