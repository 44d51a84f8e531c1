import AudioIO
import Features
import Foundation
import GenreModel
import NeuralNet
import TestSupport
import Testing

/// A small model over cheap features (RMS, zero-crossing rate, centroid: mean and variance) with
/// 1 s windows sliding by 0.5 s at 22 050 Hz, so audio tests run fast in debug builds.
func makeAudioBundle(seed: UInt64 = 3) throws -> ModelBundle {
  let columns = [FeatureKind.rms, .zeroCrossingRate, .spectralCentroid].flatMap {
    [FeatureColumn($0, .mean), FeatureColumn($0, .variance)]
  }
  let recipe = FeatureRecipe(
    name: "cheap6", columns: columns, segmentation: Segmentation(length: 22_050, hop: 11_025))
  let specs: [LayerSpec] = [.dense(units: 8), .relu, .dense(units: 4)]
  let network = try Sequential(inputShape: [6], specs: specs, seed: seed)
  let manifest = ModelManifest(
    labels: ["w", "x", "y", "z"], recipe: recipe,
    scaler: StandardScaler(
      mean: [0.1, 0.01, 0.1, 0.01, 2000, 1e6], scale: [0.1, 0.01, 0.1, 0.01, 1000, 1e6]),
    inputShape: [6], architecture: specs)
  return try ModelBundle(manifest: manifest, network: network)
}

/// A deterministic test signal: a chirp plus a little pseudo-noise, `seconds` long at `rate`.
func testSignal(seconds: Double, rate: Int, seed: UInt32 = 1) -> [Float] {
  var state = seed
  return (0..<Int(seconds * Double(rate))).map { i in
    state = state &* 1_664_525 &+ 1_013_904_223
    let noise = Float(Int32(bitPattern: state)) / Float(Int32.max)
    let t = Double(i) / Double(rate)
    return Float(0.4 * sin(2 * Double.pi * (200 + 300 * t) * t)) + 0.05 * noise
  }
}

@Suite("GenrePredictor from audio")
struct GenrePredictorAudioTests {
  @Test("windows follow the recipe; each is the model applied to the extractor's row; song = mean")
  func windows() throws {
    let bundle = try makeAudioBundle()
    let predictor = try GenrePredictor(bundle: bundle)
    let samples = testSignal(seconds: 3.2, rate: 22_050)
    let prediction = try predictor.predict(samples: samples, sampleRate: 22_050)
    // 70 560 samples: windows start at 0, 0.5, …, 2.0 s; the last absorbs the 0.2 s tail.
    #expect(prediction.timeline.map(\.start) == [0, 0.5, 1, 1.5, 2])
    #expect(prediction.timeline.dropLast().allSatisfy { $0.end - $0.start == 1 })
    expectClose(prediction.timeline.last!.end, 3.2, absolute: 1e-9)
    #expect(!prediction.inputShorterThanWindow)
    let rows = try FeatureExtractor(recipe: bundle.manifest.recipe).summaries(of: samples, sampleRate: 22_050)
    let expected = try predictor.probabilities(rows: rows.values)
    for (window, p) in zip(prediction.timeline, expected) {
      #expect(window.probabilities == p)
      expectClose(window.probabilities.reduce(0, +), 1, absolute: 1e-5)
      #expect(window.label == predictor.labels[p.firstIndex(of: p.max()!)!])
    }
    for ranked in prediction.ranked {
      let k = try #require(predictor.labels.firstIndex(of: ranked.label))
      expectClose(ranked.probability, expected.map { Double($0[k]) }.reduce(0, +) / 5, relative: 1e-6)
    }
    #expect(
      zip(prediction.ranked, prediction.ranked.dropFirst()).allSatisfy { $0.probability >= $1.probability })
    #expect(prediction.labels == predictor.labels)
  }

  @Test("a signal shorter than the window is classified whole and flagged")
  func shortInput() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    let prediction = try predictor.predict(
      samples: testSignal(seconds: 0.6, rate: 22_050), sampleRate: 22_050)
    #expect(prediction.timeline.count == 1)
    #expect(prediction.inputShorterThanWindow)
    expectClose(prediction.timeline[0].end, 0.6, absolute: 1e-9)
  }

  @Test("any rate and channel count: stereo 44.1 kHz is the channel mean, resampled; times in input seconds")
  func stereo() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    let left = testSignal(seconds: 2.5, rate: 44_100, seed: 1)
    let right = testSignal(seconds: 2.5, rate: 44_100, seed: 2).map { -0.5 * $0 }
    let buffer = AudioBuffer(channels: [left, right], sampleRate: 44_100)
    let fromBuffer = try predictor.predict(buffer: buffer)
    let fromMono = try predictor.predict(samples: buffer.mono(), sampleRate: 44_100)
    #expect(fromBuffer == fromMono)
    #expect(fromBuffer.timeline.map(\.start) == [0, 0.5, 1, 1.5])
    expectClose(fromBuffer.timeline.last!.end, 2.5, absolute: 1e-3)
  }

  @Test("bad audio is a typed error naming the input")
  func badInput() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    func reason(_ body: () throws(ModelError) -> GenrePrediction) -> String? {
      do {
        _ = try body()
        return nil
      } catch {
        guard case .invalidAudio(let source, let reason) = error else { return "wrong error \(error)" }
        #expect(source == "samples")
        return reason
      }
    }
    #expect(
      reason { () throws(ModelError) in try predictor.predict(samples: [], sampleRate: 22_050) }?
        .contains("no samples") == true)
    var samples = testSignal(seconds: 1, rate: 8_000)
    samples[123] = .nan
    #expect(
      reason { () throws(ModelError) in try predictor.predict(samples: samples, sampleRate: 8_000) }?
        .contains("sample 123") == true)
    #expect(
      reason { () throws(ModelError) in try predictor.predict(samples: [0.1, 0.2], sampleRate: 0) }?
        .contains("0 Hz") == true)
  }

  @Test("files: decoded like the samples; unreadable and damaged files name the file")
  func files() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    let directory = try TestData.temporaryDirectory("predict-files")
    let samples = testSignal(seconds: 2, rate: 16_000)
    let good = directory.appendingPathComponent("good.wav")
    try WAVEncoder.write(AudioBuffer(channels: [samples], sampleRate: 16_000), to: good, as: .float32)
    let fromFile = try predictor.predict(file: good)
    #expect(fromFile == (try predictor.predict(samples: samples, sampleRate: 16_000)))

    let missing = directory.appendingPathComponent("missing.wav")
    #expect {
      try predictor.predict(file: missing)
    } throws: { error in
      guard case ModelError.audioFile(let path, .fileNotReadable) = error else { return false }
      return path == missing.path && "\(error)".contains("missing.wav")
    }
    let damaged = directory.appendingPathComponent("damaged.wav")
    try Data("RIFF\u{4}\0\0\0WAVEjunk".utf8).write(to: damaged)
    #expect {
      try predictor.predict(file: damaged)
    } throws: { error in
      guard case ModelError.audioFile(let path, _) = error else { return false }
      return path == damaged.path
    }
  }

  @Test("batch prediction keeps input order and per-file errors, at any concurrency")
  func batch() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    let directory = try TestData.temporaryDirectory("predict-batch")
    var urls: [URL] = []
    for k in 0..<5 {
      let url = directory.appendingPathComponent("clip\(k).wav")
      let samples = testSignal(seconds: 1.2 + 0.3 * Double(k), rate: 22_050, seed: UInt32(k + 1))
      try WAVEncoder.write(AudioBuffer(channels: [samples], sampleRate: 22_050), to: url, as: .pcm16)
      urls.append(url)
    }
    urls.insert(directory.appendingPathComponent("absent.wav"), at: 2)
    let serial = predictor.predict(files: urls, concurrency: 1)
    let parallel = predictor.predict(files: urls, concurrency: 2)
    #expect(serial.count == urls.count)
    for (k, (a, b)) in zip(serial, parallel).enumerated() {
      switch (a, b) {
      case (.success(let x), .success(let y)):
        #expect(k != 2)
        #expect(x == y)
        #expect(x == (try predictor.predict(file: urls[k])))
      case (.failure(let x), .failure(let y)):
        #expect(k == 2)
        #expect(x == y)
        guard case .audioFile(let path, _) = x else {
          Issue.record("wrong error \(x)")
          continue
        }
        #expect(path.hasSuffix("absent.wav"))
      default:
        Issue.record("file \(k): serial \(a) vs parallel \(b)")
      }
    }
    #expect(predictor.predict(files: [], concurrency: 2).isEmpty)
  }

  @Test("the default model classifies audio shorter than its 30 s window whole, flagged")
  func defaultModel() throws {
    let predictor = try GenrePredictor.default
    #expect(predictor.windowSeconds == 661_794.0 / 22_050)
    #expect(predictor.hopSeconds == 5)
    let prediction = try predictor.predict(samples: testSignal(seconds: 2, rate: 22_050), sampleRate: 22_050)
    #expect(prediction.inputShorterThanWindow)
    #expect(prediction.timeline.count == 1)
    #expect(prediction.ranked.count == 10)
    expectClose(prediction.ranked.map { Double($0.probability) }.reduce(0, +), 1, absolute: 1e-5)
  }
}

@Suite("GenrePredictor on GTZAN audio", .requiresGTZAN)
struct GenrePredictorGTZANTests {
  @Test("a real clip end to end gives the model's answer on its public table row")
  func endToEnd() throws {
    // One clip keeps the debug run short (the gtzan57 recipe's HPSS takes ~20 s per 30 s clip
    // in debug); Scripts/end_to_end_check.py runs the release tool over whole test genres.
    let directory = try #require(TestData.gtzanDirectory)
    let audio = try #require(TestData.gtzanAudioDirectory)
    let clip = audio.appendingPathComponent("classical/classical.00000.wav")
    guard FileManager.default.fileExists(atPath: clip.path) else {
      Issue.record("GTZAN_DIR has no sample/classical/classical.00000.wav")
      return
    }
    let predictor = try GenrePredictor.default
    let fromAudio = try predictor.predict(file: clip)
    let table = try FeatureTable(contentsOf: directory.appendingPathComponent("tables/features_30_sec.csv"))
    try table.validateColumns(predictor.manifest.recipe.columnNames)
    let index = try #require(table.fileNames.firstIndex(of: "classical.00000.wav"))
    let fromTable = try predictor.probabilities(rows: Array(table.row(index)))[0]
    #expect(fromAudio.timeline.count == 1)
    #expect(fromAudio.label == predictor.labels[fromTable.firstIndex(of: fromTable.max()!)!])
    expectClose(fromAudio.timeline[0].probabilities, fromTable, absolute: 1e-4)
  }
}
