import ArgumentParser
import Foundation
import GenreClassifier

/// `genre evaluate`: scores a model bundle on labelled table rows.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Evaluate a model bundle on the rows of a feature table (optionally one split).",
    discussion: """
      Prints window-level and song-level accuracy and macro F1 (song = mean of its windows' \
      probabilities); --json prints the full report (per-class precision/recall/F1, confusion \
      matrix, learning curves), --report writes a self-contained HTML page with SVG charts.
      """
  )

  @Option(help: "The model bundle directory (model.json + weights.safetensors); 'default' for the shipped model.")
  var model: String

  @Option(help: "The feature table (CSV).")
  var table: String

  @Option(help: "A split list: only its tracks are evaluated (default: every row).")
  var split: String?

  @Option(help: "Write a self-contained HTML report to this path.")
  var report: String?

  @Option(help: "Store the headline metrics in the bundle's model.json under this name (e.g. test).")
  var record: String?

  @Flag(help: "Print the report as JSON instead of a summary.")
  var json = false

  func run() throws {
    let bundle = model == "default" ? try ModelBundle.shipped() : try ModelBundle(contentsOf: URL(fileURLWithPath: model))
    let tableURL = URL(fileURLWithPath: table)
    let featureTable = try FeatureTable(contentsOf: tableURL)
    let tracks = try split.map { try SplitList(contentsOf: URL(fileURLWithPath: $0)).tracks }
    let description =
      split.map { "\(URL(fileURLWithPath: $0).lastPathComponent) rows of \(tableURL.lastPathComponent)" }
      ?? "all rows of \(tableURL.lastPathComponent)"
    let result = try Evaluation.evaluate(bundle, on: featureTable, tracks: tracks, dataDescription: description)
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
  }
}
