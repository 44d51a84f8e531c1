import AudioIO
import Features
import Foundation
import GenreModel
import NeuralNet
import TestSupport
import Testing

/// Small log-mel images (16 bands × 17 frames of 8 192-sample segments every 4 096) so the
/// melCNN preset's four 2 × 2 poolings still fit and debug builds stay fast.
private let tinyInput = LogMelSegments(melCount: 16, segmentLength: 8_192, segmentHop: 4_096)

/// One second of a tone at `frequency` plus a little pseudo-noise, at 22 050 Hz.
private func tone(_ frequency: Double, seed: UInt32) -> [Float] {
  var state = seed
  return (0..<22_050).map { i in
    state = state &* 1_664_525 &+ 1_013_904_223
    let noise = Float(Int32(bitPattern: state)) / Float(Int32.max)
    return Float(0.4 * sin(2 * Double.pi * frequency * Double(i) / 22_050)) + 0.02 * noise
  }
}

/// `root/low/*.wav` (300 Hz-ish tones) and `root/high/*.wav` (3 kHz-ish), plus a damaged file;
/// returns the training and validation split paths.
private func writeToneDataset(_ root: URL) throws -> (train: [String], validation: [String]) {
  var train: [String] = []
  var validation: [String] = []
  for (genre, base) in [("low", 300.0), ("high", 3_000.0)] {
    try FileManager.default.createDirectory(at: root.appendingPathComponent(genre), withIntermediateDirectories: true)
    for index in 0..<4 {
      let path = "\(genre)/\(genre).\(index).wav"
      let samples = tone(base * (1 + 0.1 * Double(index)), seed: UInt32(index + 1))
      try WAVEncoder.write(
        AudioBuffer(channels: [samples], sampleRate: 22_050), to: root.appendingPathComponent(path), as: .float32)
      if index < 3 { train.append(path) } else { validation.append(path) }
    }
  }
  try Data("not audio at all".utf8).write(to: root.appendingPathComponent("low/low.broken.wav"))
  return (train + ["low/low.broken.wav"], validation)
}

@Suite("Log-mel models")
struct LogMelTrainingTests {
  @Test("dataset: per-track segments, damaged files skipped with a message, cache reused")
  func dataset() throws {
    let root = try TestData.temporaryDirectory("logmel-data")
    let cache = try TestData.temporaryDirectory("logmel-cache")
    let (train, _) = try writeToneDataset(root)
    var messages: [String] = []
    let first = try LogMelDataset(
      root: root, paths: train, input: tinyInput, cacheDirectory: cache, log: { messages.append($0) })
    // 22 050 samples: 1 + (22 050 − 8 192) / 4 096 = 4 segments per track, 6 decodable tracks.
    #expect(first.count == 24)
    #expect(first.values.count == 24 * 16 * 17)
    #expect(first.tracks.filter { $0 == "high.0.wav" }.count == 4)
    #expect(first.skipped.map(\.path) == ["low/low.broken.wav"])
    #expect(messages.count == 1 && messages[0].contains("low.broken.wav"))
    let onlyHigh = try LogMelDataset(root: root, paths: train, genres: ["high"], input: tinyInput)
    #expect(Set(onlyHigh.labels) == ["high"] && onlyHigh.count == 12)

    // The second load reads the cache (one entry per decodable track) and gives the same images.
    let again = try LogMelDataset(root: root, paths: train, input: tinyInput, cacheDirectory: cache)
    #expect(again.values == first.values && again.labels == first.labels)
    let entries = try FileManager.default.subpathsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".logmel") }
    #expect(entries.count == 6)
    // A cached entry whose file changed (size or modification time) is recomputed, not reused.
    let changed = root.appendingPathComponent("high/high.0.wav")
    try WAVEncoder.write(AudioBuffer(channels: [tone(500, seed: 7)], sampleRate: 22_050), to: changed, as: .float32)
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: changed.path)
    let recomputed = try LogMelDataset(root: root, paths: train, input: tinyInput, cacheDirectory: cache)
    let fresh = try LogMelDataset(root: root, paths: train, input: tinyInput)
    #expect(recomputed.values == fresh.values && fresh.values != first.values)
  }

  @Test("train → bundle → reload → predict audio: the melCNN preset separates low from high tones")
  func trainAndPredict() throws {
    let root = try TestData.temporaryDirectory("logmel-train")
    let (trainPaths, validationPaths) = try writeToneDataset(root)
    let train = try LogMelDataset(root: root, paths: trainPaths, input: tinyInput)
    let validation = try LogMelDataset(root: root, paths: validationPaths, input: tinyInput)
    ComputeThreads.set(1)
    let configuration = TrainingConfiguration(
      preset: .melCNN, epochs: 8, batchSize: 8, learningRate: 3e-3, seed: 1, patience: 8, restoreBest: true)
    let job = LogMelTraining(
      input: tinyInput, configuration: configuration, dataDescription: "tones", splitDescription: "test")
    let bundle = try job.run(training: train, validation: validation)
    #expect(bundle.manifest.logMel == tinyInput)
    #expect(bundle.manifest.inputShape == [1, 16, 17])
    #expect(bundle.manifest.labels == ["high", "low"])
    let validationMetrics = try #require(bundle.manifest.metrics["validation"])
    #expect(validationMetrics.songAccuracy == 1)

    let directory = try TestData.temporaryDirectory("logmel-bundle")
    try bundle.write(to: directory)
    let predictor = try GenrePredictor(contentsOf: directory)
    // (LayerSpec decoding spells out default pooling strides, so compare the parts, not ==.)
    #expect(predictor.manifest.logMel == tinyInput && predictor.manifest.scaler == bundle.manifest.scaler)
    #expect(predictor.manifest.recipe == bundle.manifest.recipe)
    for path in validationPaths {
      let prediction = try predictor.predict(file: root.appendingPathComponent(path))
      #expect(prediction.timeline.count == 4)
      #expect(prediction.ranked.first?.label == String(path.split(separator: "/")[0]))
      // Song level = mean of the segments' probabilities.
      let first = prediction.ranked[0]
      let index = try #require(predictor.labels.firstIndex(of: first.label))
      let mean = prediction.timeline.map { Double($0.probabilities[index]) }.reduce(0, +) / 4
      expectClose(first.probability, mean, absolute: 1e-5)
    }
    // A clip shorter than one segment is padded and flagged.
    let short = try predictor.predict(samples: Array(tone(300, seed: 9).prefix(4_000)), sampleRate: 22_050)
    #expect(short.inputShorterThanWindow && short.timeline.count == 1)
    #expect(throws: ModelError.self) { try predictor.predict(samples: [], sampleRate: 22_050) }

    // Streaming the same model: one-segment windows every hop, each equal to offline prediction
    // on its samples (full windows from cached mel frames, partial ones in full); a low tone
    // then a high one ends on "high".
    let stream = tone(300, seed: 3) + tone(3_000, seed: 4)
    let classifier = try StreamingClassifier(
      predictor: predictor, configuration: StreamingConfiguration(hopSeconds: 0.1, smoothingSeconds: 0))
    #expect(classifier.windowLength == tinyInput.segmentLength && classifier.hopLength == 2_048)
    var updates: [StreamingUpdate] = []
    var start = 0
    var size = 1
    while start < stream.count {
      let end = min(stream.count, start + size)
      updates += try classifier.push(interleaved: Array(stream[start..<end]), channelCount: 1, sampleRate: 22_050)
      start = end
      size = size * 7 % 5_003 + 1
    }
    updates += try classifier.finish()
    #expect(updates.count > 15)
    for update in updates {
      let offline = try predictor.predict(samples: Array(stream[update.sampleRange]), sampleRate: 22_050)
      expectClose(update.window.probabilities, offline.timeline[0].probabilities, absolute: 1e-5)
    }
    let counts = classifier.windowCounts
    #expect(counts.incremental >= 15 && counts.incremental + counts.full == updates.count)
    // (The first updates are partial windows, zero-padded to a segment as offline pads a
    // short clip: the tiny model has never seen such images, so only full windows are judged.)
    let full = updates.filter { !$0.isPartial }
    #expect(full.first?.window.label == "low" && full.last?.window.label == "high")
    #expect(updates.last?.currentLabel == "high" && updates.compactMap(\.change).last?.to == "high")
  }

  @Test("manifest: a log-mel model needs a 1-column scaler, its image shape and its front end")
  func manifestValidation() throws {
    let specs = ArchitecturePreset.melCNN.layers(classCount: 2)
    var manifest = ModelManifest(
      labels: ["a", "b"], recipe: tinyInput.recipe, scaler: StandardScaler(mean: [0], scale: [1]),
      inputShape: tinyInput.imageShape, architecture: specs, logMel: tinyInput)
    try manifest.validate()
    let decoded = try JSONDecoder().decode(ModelManifest.self, from: JSONEncoder().encode(manifest))
    #expect(decoded.logMel == tinyInput && decoded.recipe == manifest.recipe)
    try decoded.validate()
    // A manifest without the key (every feature-column bundle) decodes with no log-mel input.
    var table = try JSONSerialization.jsonObject(with: JSONEncoder().encode(manifest)) as? [String: Any] ?? [:]
    table["logMel"] = nil
    let withoutKey = try JSONDecoder().decode(ModelManifest.self, from: JSONSerialization.data(withJSONObject: table))
    #expect(withoutKey.logMel == nil)

    var wrong = manifest
    wrong.scaler = StandardScaler(mean: [0, 0], scale: [1, 1])
    #expect(throws: ModelError.self) { try wrong.validate() }
    wrong = manifest
    wrong.inputShape = [1, 16, 18]
    #expect(throws: ModelError.self) { try wrong.validate() }
    wrong = manifest
    wrong.recipe = LogMelSegments().recipe
    #expect(throws: ModelError.self) { try wrong.validate() }
    manifest.logMel?.melCount = 0
    #expect(throws: ModelError.self) { try manifest.validate() }
  }
}
