import ArgumentParser
import Foundation
import GenreClassifier

/// `genre evaluate`: scores a model bundle on labelled table rows or labelled audio files.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Evaluate a model bundle on the rows of a feature table, or on audio files (optionally one split).",
    discussion: """
      Prints window-level and song-level accuracy and macro F1 (song = mean of its windows' \
      probabilities); --json prints the full report (per-class precision/recall/F1, confusion \
      matrix, learning curves), --report writes a self-contained HTML page with SVG charts. \
      With --audio DIR instead of --table, every file (DIR/<genre>/<file>, or the split's \
      'genre/file' lines under DIR) is classified as `genre classify` would, with the bundle's \
      own input (feature recipe or log-mel segments); files that fail are named on standard \
      error, the rest are scored, and the exit status is then 3.
      """
  )

  @Option(help: "The model bundle directory (model.json + weights.safetensors); 'default' for the shipped model.")
  var model: String

  @Option(help: "The feature table (CSV); not with --audio.")
  var table: String?

  @Option(help: "Evaluate on the audio files in this folder (<genre>/<file>) instead of a table.")
  var audio: String?

  @Option(help: "With --audio: only these comma-separated genres.")
  var genres: String?

  @Option(help: "With --audio: worker threads (default: all cores).")
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "A split list: only its tracks are evaluated (default: every row).")
  var split: String?

  @Option(help: "Write a self-contained HTML report to this path.")
  var report: String?

  @Option(help: "Store the headline metrics in the bundle's model.json under this name (e.g. test).")
  var record: String?

  @Flag(help: "Print the report as JSON instead of a summary.")
  var json = false

  func run() throws {
    guard (table == nil) != (audio == nil) else { throw ValidationError("give either --table or --audio") }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    guard audio != nil || genres == nil else { throw ValidationError("--genres applies to --audio") }
    let bundle = model == "default" ? try ModelBundle.shipped() : try ModelBundle(contentsOf: URL(fileURLWithPath: model))
    let description: String
    let result: EvaluationReport
    var failures: [AudioEvaluation.Failure] = []
    if let table {
      let tableURL = URL(fileURLWithPath: table)
      let featureTable = try FeatureTable(contentsOf: tableURL)
      let tracks = try split.map { try SplitList(contentsOf: URL(fileURLWithPath: $0)).tracks }
      description =
        split.map { "\(URL(fileURLWithPath: $0).lastPathComponent) rows of \(tableURL.lastPathComponent)" }
        ?? "all rows of \(tableURL.lastPathComponent)"
      result = try Evaluation.evaluate(bundle, on: featureTable, tracks: tracks, dataDescription: description)
    } else {
      let evaluation = try evaluateAudio(bundle, root: URL(fileURLWithPath: audio ?? "."))
      (description, result, failures) = (evaluation.report.dataDescription, evaluation.report, evaluation.failures)
    }
    if json {
      print(String(decoding: result.jsonData(), as: UTF8.self))
    } else {
      print(description)
      print(String(format: "windows: accuracy %.2f %%, macro F1 %.3f (%d rows)",
        100 * result.windows.accuracy, result.windows.macroF1, result.windows.count))
      print(String(format: "songs:   accuracy %.2f %%, macro F1 %.3f (%d tracks)",
        100 * result.songs.accuracy, result.songs.macroF1, result.songs.count))
      for c in result.windows.perClass {
        let name = c.label.padding(toLength: max(10, c.label.count), withPad: " ", startingAt: 0)
        print("  \(name)" + String(format: " precision %.2f  recall %.2f  F1 %.2f  (%d)", c.precision, c.recall, c.f1, c.support))
      }
    }
    if let record {
      guard model != "default" else { throw ValidationError("--record needs a bundle directory, not the shipped model") }
      var updated = bundle
      updated.manifest.metrics[record] = MetricsSummary(
        rows: result.windows.count, accuracy: result.windows.accuracy, songAccuracy: result.songs.accuracy,
        macroF1: result.windows.macroF1)
      try updated.write(to: URL(fileURLWithPath: model))
    }
    if let report {
      try HTMLReport.render(result, title: "Evaluation").write(toFile: report, atomically: true, encoding: .utf8)
    }
    if !failures.isEmpty {
      for failure in failures { printError("\(failure.error)") }
      printError("\(failures.count) file(s) could not be classified and are not in the metrics")
      throw ExitCode.someFilesFailed
    }
  }

  /// The `--audio` path: the split's files (or every file under `root`), optionally only some
  /// genres, classified and scored.
  private func evaluateAudio(_ bundle: ModelBundle, root: URL) throws -> AudioEvaluation {
    let keep = genres.map(genreSet)
    var files: [AudioEvaluation.File]
    if let split {
      let paths = try SplitList(contentsOf: URL(fileURLWithPath: split)).paths
      files = paths.map { path in
        AudioEvaluation.File(url: root.appendingPathComponent(path), label: String(path.split(separator: "/").first ?? ""))
      }
    } else {
      files = try AudioDatasetListing(root: root).items.map { AudioEvaluation.File(url: $0.url, label: $0.label) }
    }
    if let keep { files = files.filter { keep.contains($0.label) } }
    let source = split.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "all files"
    let chosen = keep.map { " (\($0.sorted().joined(separator: ", ")))" } ?? ""
    return try AudioEvaluation(
      predictor: try GenrePredictor(bundle: bundle), files: files, concurrency: jobs,
      dataDescription: "\(source) audio in \(root.lastPathComponent)\(chosen), \(files.count) files")
  }
}
