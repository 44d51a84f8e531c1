import AudioIO
import Features
import Foundation
import GenreModel
import NeuralNet
import TestSupport
import Testing

/// Synthetic WAVs and a small model (cheap features, 10 s windows sliding by 5 s) for
/// `genre classify`; the shipped 30 s model is exercised on one short clip only (its HPSS is
/// slow in debug builds).
struct ClassifyFixture {
  let directory: URL
  let model: URL

  init() throws {
    directory = try TestData.temporaryDirectory("classify-cli")
    model = directory.appendingPathComponent("cheap-model", isDirectory: true)
    let columns = [FeatureKind.rms, .zeroCrossingRate, .spectralCentroid, .spectralRolloff].flatMap {
      [FeatureColumn($0, .mean), FeatureColumn($0, .variance)]
    }
    let recipe = FeatureRecipe(
      name: "cheap8", columns: columns, segmentation: Segmentation(length: 220_500, hop: 110_250))
    let specs: [LayerSpec] = [.dense(units: 8), .relu, .dense(units: 5)]
    let network = try Sequential(inputShape: [8], specs: specs, seed: 7)
    let manifest = ModelManifest(
      labels: ["ambient", "beat", "chirp", "drone", "echo"], recipe: recipe,
      scaler: StandardScaler(
        mean: [0.1, 0.01, 0.1, 0.01, 2000, 1e6, 4000, 1e6],
        scale: [0.1, 0.01, 0.1, 0.01, 1000, 1e6, 2000, 1e6]),
      inputShape: [8], architecture: specs)
    try ModelBundle(manifest: manifest, network: network).write(to: model)
  }

  /// Writes `seconds` of a chirp with noise (`seed` varies it) as 16-bit PCM at `rate`.
  func wav(_ name: String, seconds: Double, rate: Int = 22_050, channels: Int = 1, seed: UInt32 = 1) throws
    -> String
  {
    var state = seed
    let samples = (0..<Int(seconds * Double(rate))).map { i -> Float in
      state = state &* 1_664_525 &+ 1_013_904_223
      let t = Double(i) / Double(rate)
      let f = 150 + 40 * Double(seed) + 200 * t / seconds
      return Float(0.4 * sin(2 * .pi * f * t)) + 0.1 * Float(Int32(bitPattern: state)) / Float(Int32.max)
    }
    let url = directory.appendingPathComponent(name)
    let buffer = AudioBuffer(channels: Array(repeating: samples, count: channels), sampleRate: rate)
    try WAVEncoder.write(buffer, to: url, as: .pcm16)
    return url.path
  }
}

/// `label probability` pairs of one text line `file: a 0.50, b 0.30`.
private func rankedPairs(_ line: Substring, file: String) throws -> [(String, Double)] {
  #expect(line.hasPrefix("\(file): "))
  return try line.dropFirst(file.count + 2).split(separator: " (")[0].components(separatedBy: ", ").map {
    pair in
    let parts = pair.split(separator: " ")
    #expect(parts.count == 2, "pair \(pair)")
    return (String(parts[0]), try #require(Double(parts[1])))
  }
}

@Suite("genre classify")
struct ClassifyCommandTests {
  @Test("text: one line per file in argument order, labels ranked, --top of them, all of them sum to 1")
  func text() throws {
    let fixture = try ClassifyFixture()
    let a = try fixture.wav("a.wav", seconds: 35, seed: 1)
    let b = try fixture.wav("b.wav", seconds: 12, rate: 44_100, channels: 2, seed: 3)
    let result = try CLIRunner.run(["classify", a, b, "--model", fixture.model.path])
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    try #require(lines.count == 2)
    for (line, file) in zip(lines, [a, b]) {
      let pairs = try rankedPairs(line, file: file)
      #expect(pairs.count == 3)
      #expect(zip(pairs, pairs.dropFirst()).allSatisfy { $0.1 >= $1.1 })
      #expect(!line.contains("shorter"))
    }
    let all = try CLIRunner.run(["classify", a, "--model", fixture.model.path, "--top", "5"])
    let pairs = try rankedPairs(all.standardOutput.split(separator: "\n")[0], file: a)
    #expect(Set(pairs.map(\.0)) == ["ambient", "beat", "chirp", "drone", "echo"])
    expectClose(pairs.map(\.1).reduce(0, +), 1, absolute: 0.03)  // five values rounded to 0.01
    #expect(pairs.prefix(3).map(\.0) == (try rankedPairs(lines[0], file: a)).map(\.0))
  }

  @Test("--segments prints the timeline: 35 s in 10 s windows every 5 s")
  func segments() throws {
    let fixture = try ClassifyFixture()
    let a = try fixture.wav("a.wav", seconds: 35)
    let result = try CLIRunner.run(["classify", a, "--model", fixture.model.path, "--segments"])
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    try #require(lines.count == 7)
    let starts = lines.dropFirst().map {
      Double($0.split(separator: "–")[0].trimmingCharacters(in: .whitespaces))
    }
    #expect(starts == [0, 5, 10, 15, 20, 25])
    #expect(lines.dropFirst().allSatisfy { $0.contains(" s  ") })
  }

  @Test("--json: one self-describing object per file")
  func json() throws {
    let fixture = try ClassifyFixture()
    let a = try fixture.wav("a.wav", seconds: 35)
    let short = try fixture.wav("short.wav", seconds: 4, seed: 2)
    let result = try CLIRunner.run(["classify", "--json", a, short, "--model", fixture.model.path])
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n")
    try #require(lines.count == 2)
    var objects: [[String: Any]] = []
    for line in lines {
      objects.append(try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]))
    }
    for (object, file) in zip(objects, [a, short]) {
      #expect(object["file"] as? String == file)
      #expect(object["model"] as? String == "cheap-model")
      #expect(object["recipe"] as? String == "cheap8")
      #expect(object["windowSeconds"] as? Double == 10)
      #expect(object["hopSeconds"] as? Double == 5)
      let ranked = try #require(object["ranked"] as? [[String: Any]])
      #expect(ranked.count == 5)
      let p = ranked.compactMap { $0["probability"] as? Double }
      expectClose(p.reduce(0, +), 1, absolute: 1e-5)
      #expect(zip(p, p.dropFirst()).allSatisfy { $0 >= $1 })
      #expect(object["label"] as? String == ranked[0]["label"] as? String)
      let timeline = try #require(object["timeline"] as? [[String: Any]])
      for window in timeline {
        let probabilities = try #require(window["probabilities"] as? [String: Double])
        #expect(Set(probabilities.keys) == ["ambient", "beat", "chirp", "drone", "echo"])
        expectClose(probabilities.values.reduce(0, +), 1, absolute: 1e-5)
        #expect(window["label"] as? String == probabilities.max { $0.value < $1.value }?.key)
      }
    }
    #expect((objects[0]["timeline"] as? [Any])?.count == 6)
    #expect(objects[0]["inputShorterThanWindow"] as? Bool == false)
    #expect((objects[1]["timeline"] as? [[String: Any]])?.first?["end"] as? Double == 4)
    #expect(objects[1]["inputShorterThanWindow"] as? Bool == true)
  }

  @Test("bad files: one stderr line each naming it, the others still classified, non-zero exit")
  func badFiles() throws {
    let fixture = try ClassifyFixture()
    let a = try fixture.wav("a.wav", seconds: 12)
    let b = try fixture.wav("b.wav", seconds: 12, seed: 4)
    let damaged = fixture.directory.appendingPathComponent("damaged.wav").path
    try Data("RIFF\u{4}\0\0\0WAVEjunk".utf8).write(to: URL(fileURLWithPath: damaged))
    let missing = fixture.directory.appendingPathComponent("missing.wav").path
    let result = try CLIRunner.run(["classify", a, damaged, missing, b, "--model", fixture.model.path])
    #expect(result.status != 0)
    let lines = result.standardOutput.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines.first?.hasPrefix("\(a): ") == true && lines.last?.hasPrefix("\(b): ") == true)
    let errors = result.standardError.split(separator: "\n")
    #expect(errors.count == 3)
    #expect(errors.first?.contains(damaged) == true)
    #expect(errors.dropFirst().first?.contains(missing) == true)
    #expect(errors.last?.contains("2 of 4") == true)

    let noModel = try CLIRunner.run([
      "classify", a, "--model", fixture.directory.appendingPathComponent("nope").path,
    ])
    #expect(noModel.status != 0)
    #expect(noModel.standardError.contains("model.json"))
    #expect(try CLIRunner.run(["classify", a, "--top", "0"]).status != 0)
  }

  @Test("the shipped default model: 10 genres; a 3 s clip is classified whole and flagged")
  func defaultModel() throws {
    let fixture = try ClassifyFixture()
    let clip = try fixture.wav("clip.wav", seconds: 3)
    let result = try CLIRunner.run(["classify", clip, "--top", "10"])
    #expect(result.status == 0, "\(result.standardError)")
    let line = try #require(result.standardOutput.split(separator: "\n").first)
    let pairs = try rankedPairs(line, file: clip)
    #expect(
      Set(pairs.map(\.0)) == [
        "blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock",
      ])
    expectClose(pairs.map(\.1).reduce(0, +), 1, absolute: 0.05)
    #expect(line.contains("shorter than the model's window"))
  }
}
