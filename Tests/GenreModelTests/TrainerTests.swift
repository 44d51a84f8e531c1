import Foundation
import GenreModel
import NeuralNet
import TestSupport
import Testing

/// Three well-separated Gaussian-ish clusters in 6 dimensions, 2 windows per track.
func clusterSamples(perClass: Int, seed: UInt64) -> (samples: LabeledSamples, table: FeatureTable) {
  var generator = SeededGenerator(seed: seed)
  var values: [Float] = []
  var labels: [Int] = []
  var names: [String] = []
  for c in 0..<3 {
    for i in 0..<perClass {
      for d in 0..<6 { values.append((d % 3 == c ? 3 : 0) + generator.nextNormal()) }
      labels.append(c)
      names.append("g\(c).\(String(format: "%05d", i / 2)).\(i % 2).wav")
    }
  }
  let samples = LabeledSamples(
    inputs: Tensor(shape: [labels.count, 6], scalars: values), labels: labels, tracks: names.map(TrackID.track(of:)))
  let table = FeatureTable(
    columnNames: FeatureRecipeFixture.sixColumns.columnNames, fileNames: names, labels: labels.map { "g\($0)" }, values: values)
  return (samples, table)
}

@Suite("Trainer", .serialized)
struct TrainerTests {
  let config = TrainingConfiguration(preset: .mlp, epochs: 8, batchSize: 16, seed: 7)

  @Test("learns separable clusters and reports every epoch")
  func learns() throws {
    ComputeThreads.set(1)
    let train = clusterSamples(perClass: 40, seed: 1).samples
    let validation = clusterSamples(perClass: 20, seed: 2).samples
    var seen: [Int] = []
    let result = try Trainer(configuration: config).train(
      train, validation: validation, classCount: 3, progress: { seen.append($0.epoch) })
    #expect(seen == Array(1...8))
    let last = try #require(result.history.last)
    #expect(last.loss < result.history[0].loss)
    #expect((last.validationAccuracy ?? 0) > 0.9)
  }

  @Test("two runs with one seed on one thread give bit-identical weights")
  func deterministic() throws {
    ComputeThreads.set(1)
    let train = clusterSamples(perClass: 20, seed: 3).samples
    let a = try Trainer(configuration: config).train(train, classCount: 3).network.stateDictionary()
    let b = try Trainer(configuration: config).train(train, classCount: 3).network.stateDictionary()
    #expect(a == b)
    var other = config
    other.seed = 8
    let c = try Trainer(configuration: other).train(train, classCount: 3).network.stateDictionary()
    #expect(a != c)
  }

  @Test("early stopping stops after patience and restores the best epoch")
  func earlyStopping() throws {
    ComputeThreads.set(1)
    var stopping = config
    stopping.epochs = 200
    stopping.patience = 3
    stopping.restoreBest = true
    stopping.learningRate = 0.05
    let train = clusterSamples(perClass: 10, seed: 4).samples
    let validation = clusterSamples(perClass: 10, seed: 5).samples
    let result = try Trainer(configuration: stopping).train(train, validation: validation, classCount: 3)
    #expect(result.history.count < 200)
    #expect(result.history.count - result.bestEpoch == 3)
    let best = try #require(result.history[result.bestEpoch - 1].validationLoss)
    #expect(result.history.compactMap(\.validationLoss).min() == best)
  }

  @Test("bad configurations throw")
  func invalid() {
    let train = clusterSamples(perClass: 4, seed: 6).samples
    for bad in [
      TrainingConfiguration(epochs: 0), TrainingConfiguration(batchSize: 0), TrainingConfiguration(learningRate: -1),
      TrainingConfiguration(labelSmoothing: 1), TrainingConfiguration(patience: 0),
    ] {
      #expect(throws: ModelError.self) { try Trainer(configuration: bad).train(train, classCount: 3) }
    }
  }

  @Test("configurations round-trip through JSON; ones stored before logVariances decode with it off")
  func configurationCodable() throws {
    let configuration = TrainingConfiguration(preset: .lda, patience: 4, maximumGradientNorm: 2, logVariances: true)
    let data = try JSONEncoder().encode(configuration)
    #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: data) == configuration)
    var object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    object["logVariances"] = nil
    let older = try JSONDecoder().decode(
      TrainingConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
    #expect(!older.logVariances && older.preset == .lda && older.patience == 4)
    #expect(configuration.logColumns(for: ["a_mean", "a_var", "tempo", "mfcc1_var"]) == [1, 3])
    #expect(older.logColumns(for: ["a_mean", "a_var"]).isEmpty)
  }

  @Test("every preset's architecture is valid for its input")
  func presets() throws {
    for preset in ArchitecturePreset.allCases {
      let network = try Sequential(
        inputShape: preset.inputShape(featureCount: 57), specs: preset.layers(classCount: 10))
      #expect(network.outputShape == [10])
    }
  }

  @Test("a table training job fits the scaler on training rows and records its facts")
  func tableTraining() throws {
    ComputeThreads.set(1)
    let table = clusterSamples(perClass: 20, seed: 9).table
    let tracks = Array(Set(table.trackNames)).sorted()
    let validation = tracks.enumerated().filter { $0.offset % 4 == 0 }.map(\.element)
    let training = tracks.filter { !validation.contains($0) }
    let recipe = FeatureRecipeFixture.sixColumns
    var job = TableTraining(
      table: table, recipe: recipe, trainingTracks: training, validationTracks: validation,
      configuration: config, dataDescription: "clusters", splitDescription: "every 4th track validates")
    let bundle = try job.run()
    let trainRows = try table.selecting(tracks: training)
    #expect(bundle.manifest.scaler == (try StandardScaler(fitting: trainRows.values, columns: 6)))
    #expect(bundle.manifest.training?.trainingRows == trainRows.rowCount)
    #expect((bundle.manifest.metrics["validation"]?.accuracy ?? 0) > 0.8)
    job.validationTracks = [training[0]]
    #expect(throws: ModelError.self) { try job.run() }
  }
}
