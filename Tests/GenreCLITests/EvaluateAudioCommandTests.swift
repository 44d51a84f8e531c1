import AudioIO
import Features
import Foundation
import GenreModel
import NeuralNet
import TestSupport
import Testing

@Suite("genre evaluate --audio")
struct EvaluateAudioCommandTests {
  /// A folder holding a small bundle (cheap 1 s features, labels w, x, y, z) and `audio/<label>/`
  /// folders: two clips under w, one under y, and a file under x that is not audio.
  private func fixture() throws -> (bundle: String, audio: URL) {
    let directory = try TestData.temporaryDirectory("cli-evaluate-audio")
    let columns = [FeatureKind.rms, .zeroCrossingRate].flatMap { [FeatureColumn($0, .mean), FeatureColumn($0, .variance)] }
    let recipe = FeatureRecipe(name: "cheap4", columns: columns, segmentation: Segmentation(length: 22_050, hop: 22_050))
    let specs: [LayerSpec] = [.dense(units: 4)]
    let manifest = ModelManifest(
      labels: ["w", "x", "y", "z"], recipe: recipe,
      scaler: StandardScaler(mean: [0.1, 0.01, 0.1, 0.01], scale: [0.1, 0.01, 0.1, 0.01]), inputShape: [4],
      architecture: specs)
    let bundle = directory.appendingPathComponent("bundle")
    try ModelBundle(manifest: manifest, network: try Sequential(inputShape: [4], specs: specs, seed: 5)).write(to: bundle)
    let audio = directory.appendingPathComponent("audio")
    for (label, name, hertz) in [("w", "w1.wav", 220.0), ("w", "w2.wav", 330.0), ("y", "y1.wav", 2_000.0)] {
      let folder = audio.appendingPathComponent(label)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let samples = (0..<44_100).map { Float(0.3 * sin(2 * Double.pi * hertz * Double($0) / 22_050)) }
      try WAVEncoder.write(
        AudioBuffer(channels: [samples], sampleRate: 22_050), to: folder.appendingPathComponent(name), as: .pcm16)
    }
    try FileManager.default.createDirectory(at: audio.appendingPathComponent("x"), withIntermediateDirectories: true)
    try Data("not audio".utf8).write(to: audio.appendingPathComponent("x/broken.wav"))
    return (bundle.path, audio)
  }

  @Test("scores every decodable file by its folder's label, names the broken one, exits 3")
  func folder() throws {
    let (bundle, audio) = try fixture()
    let result = try CLIRunner.run(["evaluate", "--model", bundle, "--audio", audio.path, "--json", "--jobs", "2"])
    #expect(result.status == 3)
    #expect(result.standardError.contains("broken.wav"))
    let report = try JSONDecoder().decode(EvaluationReport.self, from: Data(result.standardOutput.utf8))
    #expect(report.songs.count == 3)
    #expect(report.windows.count == 6)  // 2 s clips, 1 s windows without overlap
    #expect(report.songs.perClass.map(\.support) == [2, 0, 1, 0])
  }

  @Test("a split list and --genres choose the files; a bad combination of options is refused")
  func splitAndGenres() throws {
    let (bundle, audio) = try fixture()
    let split = audio.deletingLastPathComponent().appendingPathComponent("split.txt")
    try Data("w/w2.wav\nx/broken.wav\ny/y1.wav\n".utf8).write(to: split)
    let chosen = try CLIRunner.run([
      "evaluate", "--model", bundle, "--audio", audio.path, "--split", split.path, "--genres", "w,y",
    ])
    #expect(chosen.status == 0, "\(chosen.standardError)")
    #expect(chosen.standardOutput.contains("2 files"))
    #expect(chosen.standardOutput.contains("(2 tracks)"))
    let both = try CLIRunner.run(["evaluate", "--model", bundle, "--audio", audio.path, "--table", split.path])
    #expect(both.status != 0 && both.standardError.contains("--table or --audio"))
  }
}
