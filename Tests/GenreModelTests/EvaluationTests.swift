import Features
import Foundation
import GenreModel
import NeuralNet
import TestSupport
import Testing

enum FeatureRecipeFixture {
  static let sixColumns = FeatureRecipe(
    name: "six", columns: Array(FeatureRecipe.gtzan57Columns.prefix(6)),
    segmentation: Segmentation(length: 100, hop: 100))
}

@Suite("Evaluation")
struct EvaluationTests {
  @Test("metrics match hand-computed precision, recall, F1 and confusion")
  func metrics() {
    // truth:     0 0 0 1 1 2
    // predicted: 0 0 1 1 2 2
    let m = ClassificationMetrics(labels: ["a", "b", "c"], truth: [0, 0, 0, 1, 1, 2], predicted: [0, 0, 1, 1, 2, 2])
    #expect(m.confusion == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
    expectClose(m.accuracy, 4.0 / 6, relative: 1e-12)
    expectClose(m.perClass[0].precision, 1, relative: 1e-12)
    expectClose(m.perClass[0].recall, 2.0 / 3, relative: 1e-12)
    expectClose(m.perClass[1].precision, 0.5, relative: 1e-12)
    expectClose(m.perClass[2].f1, 2 * 0.5 * 1 / 1.5, relative: 1e-12)
    #expect(m.perClass.map(\.support) == [3, 2, 1])
    let empty = ClassificationMetrics(labels: ["a", "b"], truth: [0], predicted: [0])
    #expect(empty.perClass[1].f1 == 0)
    #expect(empty.macroF1 == 1)  // "b" occurs in neither truth nor predictions
  }

  @Test("macro F1 averages the classes that occur in truth or predictions, as sklearn's f1_score")
  func macroF1OverOccurringClasses() {
    // Labels a…e; truth uses a, b; predictions add c. d and e never occur.
    // sklearn.metrics.f1_score([0,0,1,1], [0,2,1,1], average="macro") = (2/3 + 1 + 0) / 3.
    let m = ClassificationMetrics(labels: ["a", "b", "c", "d", "e"], truth: [0, 0, 1, 1], predicted: [0, 2, 1, 1])
    expectClose(m.macroF1, (2.0 / 3 + 1 + 0) / 3, relative: 1e-12)
  }

  @Test("song level averages window probabilities per track")
  func songs() {
    let songs = SongAggregation.songs(
      probabilities: [[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4]],
      tracks: ["t1", "t1", "t2", "t1"], truth: [0, 0, 1, 0])
    #expect(songs.map(\.track) == ["t1", "t2"])
    #expect(songs[0].windows == 3)
    expectClose(songs[0].probabilities, [Float(1.7 / 3), Float(1.3 / 3)], relative: 1e-6)
    #expect(songs.map(\.predicted) == [0, 1])
  }

  @Test("grouped stratified folds keep tracks together and balance classes")
  func folds() throws {
    var labels: [Int] = []
    var tracks: [String] = []
    for c in 0..<3 {
      for t in 0..<10 {
        for s in 0..<3 {
          labels.append(c)
          tracks.append("c\(c).\(t).\(s)")
        }
      }
    }
    let groups = tracks.map(TrackID.track(of:))
    let folds = try GroupedStratifiedKFold(folds: 5, seed: 1).testIndices(labels: labels, tracks: groups)
    #expect(folds.flatMap { $0 }.sorted() == Array(0..<labels.count))
    for fold in folds {
      #expect(fold.count == 18)
      let inFold = Set(fold.map { groups[$0] })
      let elsewhere = Set((0..<labels.count).filter { !fold.contains($0) }.map { groups[$0] })
      #expect(inFold.isDisjoint(with: elsewhere))
      for c in 0..<3 { #expect(fold.filter { labels[$0] == c }.count == 6) }
    }
    #expect(try folds == GroupedStratifiedKFold(folds: 5, seed: 1).testIndices(labels: labels, tracks: groups))
    #expect(throws: ModelError.self) { try GroupedStratifiedKFold(folds: 1) }
    #expect(throws: ModelError.self) {
      try GroupedStratifiedKFold(folds: 2).testIndices(labels: [0, 1], tracks: ["t", "t"])
    }
  }

  @Test("evaluating a trained bundle and rendering its report")
  func report() throws {
    ComputeThreads.set(1)
    let table = clusterSamples(perClass: 16, seed: 11).table
    let tracks = Array(Set(table.trackNames)).sorted()
    let job = TableTraining(
      table: table, recipe: FeatureRecipeFixture.sixColumns, trainingTracks: Array(tracks.prefix(16)),
      validationTracks: Array(tracks.suffix(8)),
      configuration: TrainingConfiguration(preset: .mlp, epochs: 6, seed: 3),
      dataDescription: "clusters", splitDescription: "first 16 tracks")
    let bundle = try job.run()
    let report = try Evaluation.evaluate(bundle, on: table, tracks: Array(tracks.suffix(8)), dataDescription: "held out")
    #expect(report.windows.count == 16)
    #expect(report.songs.count == 8)
    #expect(report.windows.confusion.joined().reduce(0, +) == 16)
    let decoded = try JSONDecoder().decode(EvaluationReport.self, from: report.jsonData())
    #expect(decoded.windows == report.windows)
    let html = HTMLReport.render(report, title: "T <1>")
    #expect(html.contains("<svg") && html.contains("T &lt;1&gt;") && html.contains("polyline"))
    #expect(!html.contains("<script"))
    let cv = try Evaluation.crossValidate(
      TrainingConfiguration(preset: .mlp, epochs: 4, seed: 1), on: table, folds: 3, dataDescription: "cv")
    #expect(cv.foldAccuracies?.count == 3)
    #expect(cv.windows.count == table.rowCount)
  }

  @Test("a closed-form (one-epoch) model's report marks its single point on the curves; lda cross-validates")
  func oneEpochReport() throws {
    let table = clusterSamples(perClass: 16, seed: 12).table
    let tracks = Array(Set(table.trackNames)).sorted()
    // LDA needs every class in training: hold out every third track.
    let held = tracks.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
    let job = TableTraining(
      table: table, recipe: FeatureRecipeFixture.sixColumns, trainingTracks: tracks.filter { !held.contains($0) },
      validationTracks: held, configuration: TrainingConfiguration(preset: .lda),
      dataDescription: "clusters", splitDescription: "every third track held out")
    let report = try Evaluation.evaluate(try job.run(), on: table, tracks: held, dataDescription: "held out")
    let html = HTMLReport.render(report, title: "lda")
    // Two curves (train, validation) in each of the loss and accuracy charts: four markers.
    #expect(html.components(separatedBy: "<circle").count - 1 == 4)
    #expect(html.contains("epoch 1 (one pass)") && !html.contains("epoch (1–"))
    let cv = try Evaluation.crossValidate(
      TrainingConfiguration(preset: .lda), on: table, folds: 4, dataDescription: "cv")
    #expect(cv.windows.count == table.rowCount)
    #expect(cv.windows.accuracy > 0.9)
  }
}
