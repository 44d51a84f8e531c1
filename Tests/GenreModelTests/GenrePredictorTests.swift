import Features
import Foundation
import GenreModel
import NeuralNet
import TestSupport
import Testing

@Suite("GenrePredictor")
struct GenrePredictorTests {
  @Test("probabilities are the softmax of the scaled rows' logits")
  func probabilities() throws {
    let bundle = try makeSmallBundle()
    let predictor = try GenrePredictor(bundle: bundle)
    let rows: [Float] = [1, 2, 3, 4, -1, 0, 5, 2]
    let p = try predictor.probabilities(rows: rows)
    #expect(p.count == 2)
    let network = try bundle.makeNetwork()
    let scaled = bundle.manifest.scaler.transform(rows)
    let logits = network.forward(Tensor(shape: [2, 4], scalars: scaled)).scalars
    for row in 0..<2 {
      let z = logits[(row * 3)..<(row * 3 + 3)].map(Double.init)
      let e = z.map { exp($0 - z.max()!) }
      expectClose(p[row], e.map { $0 / e.reduce(0, +) }, relative: 1e-5)
    }
    #expect(throws: ModelError.self) { try predictor.probabilities(rows: [1, 2, 3]) }
    #expect(throws: ModelError.self) { try predictor.probabilities(rows: [1, 2, 3, .nan]) }
  }

  @Test("a prediction ranks the mean window probabilities and keeps the timeline")
  func ranking() throws {
    let prediction = GenrePrediction(
      labels: ["a", "b", "c"],
      timeline: [
        WindowPrediction(start: 0, end: 30, probabilities: [0.2, 0.5, 0.3]),
        WindowPrediction(start: 5, end: 35, probabilities: [0.2, 0.1, 0.7]),
      ])
    #expect(prediction.ranked.map(\.label) == ["c", "b", "a"])
    expectClose(prediction.ranked[0].probability, 0.5, relative: 1e-6)
    #expect(prediction.label == "c")
    let predictor = try GenrePredictor(bundle: try makeSmallBundle())
    let windows = try predictor.predict(rows: [1, 2, 3, 4, 4, 3, 2, 1], hopSeconds: 0.5)
    #expect(windows.timeline.map(\.start) == [0, 0.5])
    #expect(windows.timeline[0].end == 1)  // the tiny recipe's window is 22 050 samples
  }

  @Test("the shipped default model loads: 10 GTZAN genres over the gtzan57 recipe")
  func shipped() throws {
    let predictor = try GenrePredictor.default
    #expect(predictor.labels == ["blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"])
    #expect(predictor.manifest.recipe == .gtzan57)
    #expect(predictor.manifest.training?.split.contains("test") == false)
  }

  @Test("the shipped model reproduces its recorded test accuracy", .requiresGTZAN)
  func shippedAccuracy() throws {
    let directory = try #require(TestData.gtzanDirectory)
    let bundle = try ModelBundle.shipped()
    let table = try FeatureTable(contentsOf: directory.appendingPathComponent("tables/features_30_sec.csv"))
    let tracks = try SplitList(contentsOf: directory.appendingPathComponent("splits/test_filtered.txt")).tracks
    let report = try Evaluation.evaluate(bundle, on: table, tracks: tracks, dataDescription: "test")
    let recorded = try #require(bundle.manifest.metrics["test"])
    expectClose(report.windows.accuracy, recorded.accuracy, absolute: 1e-9)
  }
}
