import Features
import Foundation
import GenreModel
import NeuralNet
import TestSupport
import Testing

@Suite("genre train on a table")
struct TrainCommandTests {
  /// A synthetic 57-column `gtzan57` table of three genres × 8 tracks (variance columns positive,
  /// genre-shifted) with train/valid split lists, in a fresh folder.
  private func fixture() throws -> (table: String, splits: String, directory: URL) {
    let directory = try TestData.temporaryDirectory("cli-train")
    let columns = FeatureRecipe.gtzan57.columnNames
    var generator = SeededGenerator(seed: 19)
    var lines = [(["filename", "length"] + columns + ["label"]).joined(separator: ",")]
    var train: [String] = []
    var valid: [String] = []
    for (g, genre) in ["blues", "metal", "pop"].enumerated() {
      for t in 0..<8 {
        let file = "\(genre).\(String(format: "%05d", t)).wav"
        let values = columns.enumerated().map { c, name in
          let v = Float(g == c % 3 ? 2 : 0) + generator.nextNormal()
          return name.hasSuffix("_var") ? Foundation.exp(v) : v
        }
        lines.append(([file, "661794"] + values.map { String($0) } + [genre]).joined(separator: ","))
        if t % 4 == 0 { valid.append("\(genre)/\(file)") } else { train.append("\(genre)/\(file)") }
      }
    }
    let table = directory.appendingPathComponent("table.csv")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: table)
    let splits = directory.appendingPathComponent("splits")
    try FileManager.default.createDirectory(at: splits, withIntermediateDirectories: true)
    try Data(train.joined(separator: "\n").utf8).write(to: splits.appendingPathComponent("train_filtered.txt"))
    try Data(valid.joined(separator: "\n").utf8).write(to: splits.appendingPathComponent("valid_filtered.txt"))
    return (table.path, splits.path, directory)
  }

  @Test("--preset lda --log-variances --refit writes a format-2 bundle with the variance columns on a log scale")
  func lda() throws {
    let (table, splits, directory) = try fixture()
    let out = directory.appendingPathComponent("bundle").path
    let result = try CLIRunner.run([
      "train", "--table", table, "--split-dir", splits, "--preset", "lda", "--log-variances", "--refit", "--out", out,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.contains("best epoch 1 of 1"))
    let bundle = try ModelBundle(contentsOf: URL(fileURLWithPath: out))
    let columns = FeatureRecipe.gtzan57.columnNames
    #expect(bundle.manifest.formatVersion == 2)
    #expect(bundle.manifest.scaler.logColumns == columns.indices.filter { columns[$0].hasSuffix("_var") })
    #expect(bundle.manifest.training?.configuration.preset == .lda)
    #expect(bundle.manifest.training?.trainingRows == 24)
    #expect(try #require(bundle.manifest.metrics["validation"]).accuracy > 0.8)
  }

  @Test("lda with --ensemble, and --ridge with --log-variances, are refused before any work")
  func refusals() throws {
    let (table, splits, directory) = try fixture()
    let out = directory.appendingPathComponent("bundle").path
    for extra in [["--preset", "lda", "--ensemble", "3"], ["--ridge", "1", "--log-variances"]] {
      let result = try CLIRunner.run(["train", "--table", table, "--split-dir", splits, "--out", out] + extra)
      #expect(result.status != 0)
      #expect(result.standardError.contains(extra[0] == "--preset" ? "--ensemble" : "--log-variances"))
      #expect(!FileManager.default.fileExists(atPath: out))
    }
  }
}
