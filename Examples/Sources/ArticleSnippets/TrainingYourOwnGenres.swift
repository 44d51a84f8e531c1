// The code of the article "Training your own genres" (Sources/GenreClassifier/GenreClassifier.docc).

import Foundation
import GenreClassifier

enum TrainingYourOwnGenres {
  static func table() throws -> (AudioDatasetListing, FeatureTable) {
    let dataset = try AudioDatasetListing(root: URL(fileURLWithPath: "MyGenres"))
    let extractor = try FeatureExtractor(recipe: .gtzan57)
    var fileNames: [String] = []
    var labels: [String] = []
    var values: [Float] = []
    for item in dataset.items {
      let audio = try AudioDecoder.decode(contentsOf: item.url).buffer
      let windows = try extractor.summaries(of: audio.mono(), sampleRate: audio.sampleRate)
      for row in 0..<windows.rowCount {
        fileNames.append(item.url.lastPathComponent)
        labels.append(item.label)
        values += windows.row(row)
      }
    }
    let table = FeatureTable(
      columnNames: FeatureRecipe.gtzan57.columnNames, fileNames: fileNames, labels: labels, values: values)
    return (dataset, table)
  }

  static func train(dataset: AudioDatasetListing, table: FeatureTable) throws {
    // Every fifth track (items are sorted by genre) for validation; better: whole artists.
    let tracks = dataset.items.map(\.url.lastPathComponent)
    let validation = tracks.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
    let training = tracks.enumerated().filter { $0.offset % 5 != 0 }.map(\.element)
    let job = TableTraining(
      table: table, recipe: .gtzan57, trainingTracks: training, validationTracks: validation,
      configuration: TrainingConfiguration(preset: .lda, logVariances: true), refitOnValidation: true,
      dataDescription: "MyGenres (gtzan57)", splitDescription: "every fifth track held out")
    let bundle = try job.run { phase, epoch in print(phase, epoch.epoch, epoch.loss) }
    try bundle.write(to: URL(fileURLWithPath: "MyModel"))
    let predictor = try GenrePredictor(bundle: bundle)
    print(predictor.labels)
  }

  static func evaluate(bundle: ModelBundle, table: FeatureTable, testTracks: [String]) throws {
    let report = try Evaluation.evaluate(bundle, on: table, tracks: testTracks, dataDescription: "my test set")
    print(report.songs.accuracy, report.windows.confusion)  // confusion[truth][predicted]
    let html = HTMLReport.render(report, title: "MyModel on my test set")
    try html.write(to: URL(fileURLWithPath: "report.html"), atomically: true, encoding: .utf8)
  }
}
