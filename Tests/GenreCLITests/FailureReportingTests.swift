import AudioIO
import Features
import Foundation
import TestSupport
import Testing

/// How every `genre` subcommand reports bad input: one stderr line per failure naming the file
/// and the problem, a non-zero exit status, and (for batches) the good files still processed with
/// a summary line at the end.
@Suite("genre failure reporting")
struct FailureReportingTests {
  /// A scratch folder with a cheap recipe, two good WAVs, a damaged one and a table.
  struct Fixture {
    let directory: URL
    let recipe: String

    init() throws {
      directory = try TestData.temporaryDirectory("cli-failures")
      let columns = [FeatureColumn(.rms, .mean), FeatureColumn(.zeroCrossingRate, .mean)]
      let cheap = FeatureRecipe(name: "cheap2", columns: columns, segmentation: Segmentation(length: 22_050, hop: 22_050))
      let url = directory.appendingPathComponent("cheap2.json")
      try JSONEncoder().encode(cheap).write(to: url)
      recipe = url.path
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// One second of a 440 Hz tone as 16-bit PCM.
    func wav(_ name: String) throws -> String {
      let samples = (0..<22_050).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / 22_050)) }
      try WAVEncoder.write(AudioBuffer(channels: [samples], sampleRate: 22_050), to: URL(fileURLWithPath: path(name)), as: .pcm16)
      return path(name)
    }

    func write(_ text: String, to name: String) throws -> String {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
      return path(name)
    }
  }

  /// The lines of a stream, without empty ones.
  func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }

  @Test("features: a batch continues past bad files, names each, summarises, exits non-zero")
  func featuresBatch() throws {
    let fixture = try Fixture()
    let good1 = try fixture.wav("one.wav")
    let good2 = try fixture.wav("two.wav")
    let truncated = try fixture.write("RIFF\u{24}\0\0\0WAVEfmt ", to: "truncated.wav")
    let text = try fixture.write("not audio at all", to: "notes.wav")
    let missing = fixture.path("missing.wav")
    let result = try CLIRunner.run(["features", good1, truncated, missing, good2, text, "--recipe", fixture.recipe])
    #expect(result.status != 0)
    let rows = lines(result.standardOutput)
    #expect(rows.count == 3, "header + one row per good file: \(rows)")
    #expect(rows.dropFirst().map { $0.split(separator: ",")[0] } == ["one.wav", "two.wav"])
    let errors = lines(result.standardError)
    #expect(errors.count == 4, "\(errors)")
    for (line, file) in zip(errors, [truncated, missing, text]) {
      #expect(line.contains(file), "\(line) should name \(file)")
    }
    #expect(errors.last?.contains("3 of 5") == true)
  }

  @Test("features: a bad recipe or shard is one clear line before any work")
  func featuresOptions() throws {
    let fixture = try Fixture()
    let good = try fixture.wav("one.wav")
    let noRecipe = try CLIRunner.run(["features", good, "--recipe", fixture.path("nope.json")])
    #expect(noRecipe.status != 0 && noRecipe.standardOutput.isEmpty)
    #expect(noRecipe.standardError.contains("nope.json"))
    let badJSON = try fixture.write("{\"name\": 3}", to: "bad-recipe.json")
    let malformed = try CLIRunner.run(["features", good, "--recipe", badJSON])
    #expect(malformed.status != 0 && malformed.standardError.contains("bad-recipe.json"))
    let shard = try CLIRunner.run(["features", good, "--recipe", fixture.recipe, "--shard", "3/2"])
    #expect(shard.status != 0 && shard.standardError.contains("--shard"))
  }

  @Test("train: a missing or malformed table or split names the file (and line); no bundle is written")
  func train() throws {
    let fixture = try Fixture()
    let splits = fixture.directory.appendingPathComponent("splits").path
    try FileManager.default.createDirectory(atPath: splits, withIntermediateDirectories: true)
    let table = try fixture.write(
      "filename,length,a,b,label\nblues.00000.wav,1,0.5,1.5,blues\nrock.00000.wav,1,zz,2.5,rock\n", to: "table.csv")
    let out = fixture.path("bundle")
    let cases: [(arguments: [String], mentions: [String])] = [
      (["--table", fixture.path("absent.csv")], ["absent.csv"]),
      (["--table", table], ["table.csv", "line 3", "zz"]),
    ]
    for (arguments, mentions) in cases {
      let result = try CLIRunner.run(["train", "--split-dir", splits, "--epochs", "1", "--out", out] + arguments)
      #expect(result.status != 0)
      let errors = lines(result.standardError)
      #expect(errors.count == 1, "\(errors)")
      for word in mentions { #expect(errors.first?.contains(word) == true, "\(errors) should mention \(word)") }
      #expect(!FileManager.default.fileExists(atPath: out))
    }
    let goodTable = try fixture.write(
      "filename,length,a,label\nblues.00000.wav,1,0.5,blues\nrock.00000.wav,1,1.5,rock\n", to: "good.csv")
    let noSplit = try CLIRunner.run(["train", "--table", goodTable, "--split-dir", splits, "--epochs", "1", "--out", out])
    #expect(noSplit.status != 0)
    #expect(noSplit.standardError.contains("train_filtered.txt"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test("evaluate: a missing model, a malformed table or a missing split is one line naming it")
  func evaluate() throws {
    let fixture = try Fixture()
    let table = try fixture.write("filename,length,a,label\nx.wav,1,nan?,blues\n", to: "broken.csv")
    let columns = try #require(FeatureRecipe.presets["gtzan57"]).columnNames
    let gtzanTable = try fixture.write(
      (["filename,length"] + columns + ["label"]).joined(separator: ",") + "\nblues.00000.wav,661794,"
        + Array(repeating: "0.5", count: columns.count).joined(separator: ",") + ",blues\n",
      to: "gtzan57.csv")
    let cases: [(arguments: [String], mention: String)] = [
      (["--model", fixture.path("no-model"), "--table", table], "model.json"),
      (["--model", "default", "--table", table], "broken.csv"),
      (["--model", "default", "--table", fixture.path("gone.csv")], "gone.csv"),
      (["--model", "default", "--table", gtzanTable, "--split", fixture.path("gone.txt")], "gone.txt"),
    ]
    for (arguments, mention) in cases {
      let result = try CLIRunner.run(["evaluate"] + arguments)
      #expect(result.status != 0)
      let errors = lines(result.standardError)
      #expect(errors.count == 1 && errors.first?.contains(mention) == true, "\(errors) should name \(mention)")
      #expect(result.standardOutput.isEmpty)
    }
  }
}
