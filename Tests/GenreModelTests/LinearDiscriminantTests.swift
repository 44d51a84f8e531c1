import Foundation
import GenreModel
import NeuralNet
import TestSupport
import Testing

/// `Fixtures/lda_reference.json`, written by `Scripts/lda_reference.py` from scikit-learn.
private struct LDAReference: Decodable {
  struct Fit: Decodable {
    var coef: [[Double]]
    var intercept: [Double]
    var probabilities: [[Double]]
  }
  var features: Int
  var inputs: [[Float]]
  var labels: [Int]
  var testInputs: [[Float]]
  var shrinkages: [Double]
  var fits: [String: Fit]

  static func load() throws -> LDAReference {
    let url = TestData.fixture("lda_reference.json", in: .module)
    return try JSONDecoder().decode(LDAReference.self, from: Data(contentsOf: url))
  }

  var samples: LabeledSamples {
    LabeledSamples(
      inputs: Tensor(shape: [inputs.count, features], scalars: inputs.flatMap { $0 }), labels: labels,
      tracks: labels.indices.map { "t\($0).wav" })
  }

  var test: Tensor { Tensor(shape: [testInputs.count, features], scalars: testInputs.flatMap { $0 }) }
}

private func softmax(_ scores: [Double], classes: Int) -> [Double] {
  stride(from: 0, to: scores.count, by: classes).flatMap { start in
    let row = scores[start..<(start + classes)]
    let top = row.max()!
    let e = row.map { Foundation.exp($0 - top) }
    let sum = e.reduce(0, +)
    return e.map { $0 / sum }
  }
}

@Suite("LinearDiscriminant")
struct LinearDiscriminantTests {
  @Test("matches scikit-learn's LinearDiscriminantAnalysis(solver='lsqr', shrinkage='auto')")
  func matchesScikitLearn() throws {
    let reference = try LDAReference.load()
    for (name, uniform) in [("frequencies", false), ("uniform", true)] {
      let fit = try #require(reference.fits[name])
      let model = try LinearDiscriminant(fitting: reference.samples, classCount: 4, uniformPriors: uniform)
      // Both sides compute in float64 from the same float32 inputs; only summation order differs.
      expectClose(model.shrinkages, reference.shrinkages, relative: 1e-10, "shrinkages")
      expectClose(model.weights, fit.coef.flatMap { $0 }, relative: 1e-8, "coef_ (\(name) priors)")
      expectClose(model.intercepts, fit.intercept, relative: 1e-8, "intercept_ (\(name) priors)")
      let probabilities = softmax(model.scores(reference.test), classes: 4)
      expectClose(probabilities, fit.probabilities.flatMap { $0 }, absolute: 1e-9, "predict_proba (\(name))")
      // The stored network (float32 weights) gives the same posteriors to float precision.
      let network = try model.network()
      let logits = network.forward(reference.test, training: false)
      expectClose(
        softmax(logits.scalars.map(Double.init), classes: 4), fit.probabilities.flatMap { $0 }, absolute: 1e-5,
        "network (\(name))")
    }
  }

  @Test("a class with fewer rows than features still gives a finite, shrunk fit")
  func smallClass() throws {
    let reference = try LDAReference.load()
    let model = try LinearDiscriminant(fitting: reference.samples, classCount: 4)
    // Class 3 has 6 rows for 8 features: its empirical covariance is singular.
    #expect(reference.labels.filter { $0 == 3 }.count < reference.features)
    #expect(model.shrinkages.allSatisfy { $0 > 0 && $0 <= 1 })
    #expect(model.weights.allSatisfy(\.isFinite) && model.intercepts.allSatisfy(\.isFinite))
  }

  @Test("bad training sets throw typed errors")
  func errors() throws {
    let reference = try LDAReference.load()
    #expect(throws: ModelError.self) { try LinearDiscriminant(fitting: reference.samples, classCount: 5) }  // class 4 empty
    #expect(throws: ModelError.self) { try LinearDiscriminant(fitting: reference.samples, classCount: 1) }
    #expect(throws: ModelError.self) { try LinearDiscriminant(fitting: reference.samples, classCount: 3) }  // label 3 out of range
    var poisoned = reference.samples
    poisoned.inputs.scalars[5] = .nan
    #expect(throws: ModelError.self) { try LinearDiscriminant(fitting: poisoned, classCount: 4) }
  }

  @Test("the lda preset trains in one closed-form pass through Trainer, reproducibly")
  func throughTrainer() throws {
    let train = clusterSamples(perClass: 20, seed: 31).samples
    let validation = clusterSamples(perClass: 10, seed: 32).samples
    let trainer = Trainer(configuration: TrainingConfiguration(preset: .lda, epochs: 50, seed: 3))
    var reports: [EpochProgress] = []
    let result = try trainer.train(train, validation: validation, classCount: 3) { reports.append($0) }
    #expect(result.bestEpoch == 1 && result.history.count == 1 && reports.count == 1)
    let record = try #require(result.history.first)
    #expect(record.epochs == 1)
    #expect(try #require(record.validationAccuracy) > 0.9)
    #expect(try #require(record.validationLoss).isFinite)
    let direct = try LinearDiscriminant(fitting: train, classCount: 3).network()
    let again = try trainer.train(train, classCount: 3).network
    #expect(result.network.stateDictionary() == direct.stateDictionary())
    #expect(again.stateDictionary() == direct.stateDictionary())
  }

  @Test("a table-trained lda bundle refits on train + validation and refuses ensembles")
  func tableTraining() throws {
    let clusters = clusterSamples(perClass: 16, seed: 11).table
    // Variances are positive: exponentiate the clusters' `_var` columns so they can take logs.
    let columns = clusters.columnNames.count
    let table = FeatureTable(
      columnNames: clusters.columnNames, fileNames: clusters.fileNames, labels: clusters.labels,
      values: clusters.values.enumerated().map { index, v in
        clusters.columnNames[index % columns].hasSuffix("_var") ? Foundation.exp(v) : v
      })
    let tracks = Set(table.trackNames).sorted()
    let validation = tracks.enumerated().filter { $0.offset % 4 == 0 }.map(\.element)
    let training = tracks.filter { !validation.contains($0) }
    var job = TableTraining(
      table: table, recipe: FeatureRecipeFixture.sixColumns, trainingTracks: training, validationTracks: validation,
      configuration: TrainingConfiguration(preset: .lda, logVariances: true), refitOnValidation: true,
      dataDescription: "clusters", splitDescription: "every fourth track validates")
    let bundle = try job.run()
    #expect(bundle.manifest.architecture == [.dense(units: 3)])
    #expect(bundle.manifest.training?.trainingRows == table.rowCount)
    #expect(bundle.manifest.scaler.logColumns == table.columnNames.indices.filter { table.columnNames[$0].hasSuffix("_var") })
    #expect(!bundle.manifest.scaler.logColumns.isEmpty)
    #expect(try #require(bundle.manifest.metrics["validation"]).accuracy > 0.9)
    job.ensembleSize = 2
    #expect(throws: ModelError.self) { try job.run() }
    // A genre missing from the training split is named.
    job.ensembleSize = 1
    job.trainingTracks = training.filter { !$0.hasPrefix("g2") }
    #expect(throws: ModelError.invalidArgument(
      name: "training split", reason: "genre 'g2' has no training rows; lda estimates every genre's mean and covariance")
    ) { try job.run() }
    job.trainingTracks = training
    // Negative values cannot be standardised on a log scale: a typed error, not a NaN.
    job.ensembleSize = 1
    job.table = clusters
    #expect(throws: ModelError.self) { try job.run() }
  }
}
