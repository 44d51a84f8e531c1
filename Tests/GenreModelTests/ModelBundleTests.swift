import Features
import Foundation
import GenreModel
import NeuralNet
import TestSupport
import Testing

/// A small valid bundle: 4 input columns, an MLP-like net, 3 labels.
func makeSmallBundle(seed: UInt64 = 1) throws -> ModelBundle {
  let recipe = FeatureRecipe(
    name: "tiny", columns: Array(FeatureRecipe.gtzan57Columns.prefix(4)),
    segmentation: Segmentation(length: 22_050, hop: 22_050))
  let specs: [LayerSpec] = [.dense(units: 5), .relu, .dense(units: 3)]
  let network = try Sequential(inputShape: [4], specs: specs, seed: seed)
  let manifest = ModelManifest(
    labels: ["a", "b", "c"], recipe: recipe, scaler: StandardScaler(mean: [0, 1, 2, 3], scale: [1, 2, 3, 4]),
    inputShape: [4], architecture: specs)
  return try ModelBundle(manifest: manifest, network: network)
}

@Suite("ModelBundle")
struct ModelBundleTests {
  @Test("write then read gives the same manifest and weights")
  func roundTrip() throws {
    let bundle = try makeSmallBundle()
    let directory = try TestData.temporaryDirectory("bundle")
    try bundle.write(to: directory)
    let read = try ModelBundle(contentsOf: directory)
    #expect(read.manifest == bundle.manifest)
    #expect(read.weights == bundle.weights)
    #expect(Set(read.weights.keys) == ["0.weight", "0.bias", "2.weight", "2.bias"])
  }

  @Test("a missing directory or weights file is a file error")
  func missingFiles() throws {
    let directory = try TestData.temporaryDirectory("bundle-missing")
    #expect(throws: ModelError.self) { try ModelBundle(contentsOf: directory.appendingPathComponent("nope")) }
    try makeSmallBundle().write(to: directory)
    try FileManager.default.removeItem(at: directory.appendingPathComponent(ModelBundle.weightsFileName))
    do {
      _ = try ModelBundle(contentsOf: directory)
      Issue.record("loading without weights succeeded")
    } catch {
      guard case .fileError(let path, _) = error else { Issue.record("wrong error \(error)"); return }
      #expect(path.hasSuffix("weights.safetensors"))
    }
  }

  /// Writes a valid bundle, lets `edit` change its JSON object, and returns the load error.
  func loadError(editingJSON edit: (inout [String: Any]) -> Void) throws -> ModelError? {
    let directory = try TestData.temporaryDirectory("bundle-json")
    try makeSmallBundle().write(to: directory)
    let url = directory.appendingPathComponent(ModelBundle.manifestFileName)
    var object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    edit(&object)
    try JSONSerialization.data(withJSONObject: object).write(to: url)
    do {
      _ = try ModelBundle(contentsOf: directory)
      return nil
    } catch {
      return error
    }
  }

  @Test("bad JSON, a missing field and a wrong version are reported as such")
  func malformedManifest() throws {
    let directory = try TestData.temporaryDirectory("bundle-bad-json")
    try makeSmallBundle().write(to: directory)
    try Data("{ not json".utf8).write(to: directory.appendingPathComponent(ModelBundle.manifestFileName))
    #expect {
      try ModelBundle(contentsOf: directory)
    } throws: { error in
      if case .malformedManifest(_, let reason) = error as? ModelError { return reason.contains("JSON") }
      return false
    }
    let missing = try loadError { $0["scaler"] = nil }
    guard case .malformedManifest(_, let reason) = missing else { Issue.record("got \(String(describing: missing))"); return }
    #expect(reason.contains("scaler"))
    let version = try loadError { $0["formatVersion"] = 99 }
    #expect(version == .unsupportedVersion(found: 99, supported: ModelManifest.supportedFormatVersions))
  }

  @Test("format version 1 bundles still load; log columns need version 2")
  func formatVersions() throws {
    #expect(try loadError { $0["formatVersion"] = 1 } == nil)
    var scaler = try #require(try loadScalerJSON())
    scaler["logColumns"] = [1, 3]
    #expect(try loadError { $0["scaler"] = scaler } == nil)
    let old = try loadError {
      $0["scaler"] = scaler
      $0["formatVersion"] = 1
    }
    guard case .inconsistentBundle(let reason) = old else { Issue.record("got \(String(describing: old))"); return }
    #expect(reason.contains("version 2"))
    scaler["logColumns"] = [4]
    guard case .malformedManifest = try loadError(editingJSON: { $0["scaler"] = scaler }) else {
      Issue.record("an out-of-range log column loaded")
      return
    }
  }

  /// The small bundle's scaler as a JSON object.
  func loadScalerJSON() throws -> [String: Any]? {
    let data = try JSONEncoder().encode(try makeSmallBundle().manifest.scaler)
    return try JSONSerialization.jsonObject(with: data) as? [String: Any]
  }

  @Test("labels that do not fit the output layer are inconsistent")
  func inconsistentLabels() throws {
    let error = try loadError { $0["labels"] = ["a", "b"] }
    guard case .inconsistentBundle(let reason) = error else { Issue.record("got \(String(describing: error))"); return }
    #expect(reason.contains("2 labels"))
  }

  @Test("a scaler that does not fit the recipe is inconsistent")
  func inconsistentScaler() throws {
    let error = try loadError { $0["scaler"] = ["mean": [0, 0], "scale": [1, 1]] }
    guard case .inconsistentBundle = error else { Issue.record("got \(String(describing: error))"); return }
  }

  /// Replaces the weights file with `tensors` and returns the load error.
  func loadError(weights tensors: [String: Tensor]) throws -> ModelError? {
    let directory = try TestData.temporaryDirectory("bundle-weights")
    try makeSmallBundle().write(to: directory)
    try SafeTensors.write(tensors, to: directory.appendingPathComponent(ModelBundle.weightsFileName))
    do {
      _ = try ModelBundle(contentsOf: directory)
      return nil
    } catch {
      return error
    }
  }

  @Test("a missing, extra or mis-shaped tensor names the first mismatch")
  func weightMismatches() throws {
    let good = try makeSmallBundle().weights
    var missing = good
    missing["2.bias"] = nil
    #expect(try loadError(weights: missing) == .weightsMismatch(.missingTensor(name: "2.bias")))
    var extra = good
    extra["9.weight"] = Tensor(zeros: [1])
    #expect(try loadError(weights: extra) == .weightsMismatch(.unexpectedTensor(name: "9.weight")))
    var wrong = good
    wrong["0.weight"] = Tensor(zeros: [4, 5])
    #expect(
      try loadError(weights: wrong)
        == .weightsMismatch(.shapeMismatch(name: "0.weight", expected: [5, 4], actual: [4, 5])))
    let corruptDirectory = try TestData.temporaryDirectory("bundle-corrupt")
    try makeSmallBundle().write(to: corruptDirectory)
    try Data([1, 2, 3]).write(to: corruptDirectory.appendingPathComponent(ModelBundle.weightsFileName))
    #expect(throws: ModelError.self) { try ModelBundle(contentsOf: corruptDirectory) }
  }

  @Test("a NaN or infinite weight is refused, naming the tensor")
  func nonFiniteWeights() throws {
    for bad in [Float.nan, .infinity, -.infinity] {
      var weights = try makeSmallBundle().weights
      weights["2.weight"]!.scalars[4] = bad
      let error = try loadError(weights: weights)
      guard case .inconsistentBundle(let reason) = error else {
        Issue.record("expected inconsistentBundle, got \(error)")
        continue
      }
      #expect(reason.contains("'2.weight'") && reason.contains("index 4"))
    }
  }

  @Test("a network whose output overflows gives a typed error, never NaN probabilities")
  func overflowingOutput() throws {
    var bundle = try makeSmallBundle()
    // Finite but huge weights: 4 inputs × 3e38 overflow the first layer's sums to infinity.
    bundle.weights["0.weight"] = Tensor(shape: [5, 4], scalars: Array(repeating: 3e38, count: 20))
    bundle.weights["2.weight"] = Tensor(shape: [3, 5], scalars: (0..<15).map { Float($0 % 2 == 0 ? 3e38 : -3e38) })
    let predictor = try GenrePredictor(bundle: bundle)
    #expect(throws: ModelError.self) { try predictor.probabilities(rows: [10, 10, 10, 10]) }
  }

  @Test("errors describe what to do")
  func descriptions() {
    #expect(ModelError.unsupportedVersion(found: 3, supported: 1...2).description.contains("version 3"))
    #expect(ModelError.unsupportedVersion(found: 3, supported: 1...2).description.contains("versions 1–2"))
    #expect(ModelError.missingTrack("x.wav").description.contains("x.wav"))
  }
}
