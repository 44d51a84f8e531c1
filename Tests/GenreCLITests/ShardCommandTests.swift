import Features
import Foundation
import GenreModel
import TestSupport
import Testing

/// `--shard i/n` on `genre features` and `genre classify`: the shards of one list, merged, equal
/// the unsharded run, and every file is processed by exactly the shard `Shard` assigns it to.
@Suite("genre --shard")
struct ShardCommandTests {
  static let genres = ["blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"]

  /// Ten 2 s clips in GTZAN's `<genre>/<genre>.00000.wav` layout, named relative to the fixture
  /// directory (the shard depends on the path text, so relative names make the split fixed:
  /// 1, 2 and 7 files in shards 0, 1, 2 of 3).
  private static func clips(_ fixture: ClassifyFixture) throws -> [String] {
    try genres.enumerated().map { index, genre in
      let path = "\(genre)/\(genre).00000.wav"
      try FileManager.default.createDirectory(
        at: fixture.directory.appendingPathComponent(genre), withIntermediateDirectories: true)
      _ = try fixture.wav(path, seconds: 2, seed: UInt32(index + 1))
      return path
    }
  }

  /// A recipe of 8 cheap columns as a JSON file for `genre features --recipe`.
  private static func cheapRecipe(in directory: URL) throws -> String {
    let columns = [FeatureKind.rms, .zeroCrossingRate, .spectralCentroid, .spectralRolloff].flatMap {
      [FeatureColumn($0, .mean), FeatureColumn($0, .variance)]
    }
    let recipe = FeatureRecipe(name: "cheap8", columns: columns, segmentation: Segmentation(length: 22_050, hop: 22_050))
    let url = directory.appendingPathComponent("cheap8.json")
    try JSONEncoder().encode(recipe).write(to: url)
    return url.path
  }

  @Test("features and classify: shards 0/3, 1/3, 2/3 merged equal the unsharded run")
  func shardsMergeToTheWhole() throws {
    let fixture = try ClassifyFixture()
    let files = try Self.clips(fixture)
    let recipe = try Self.cheapRecipe(in: fixture.directory)
    let model = fixture.model.path
    let expectedShard = files.map { Shard.index(ofPath: $0, count: 3) }
    for i in 0..<3 { try #require(expectedShard.contains(i), "shard \(i) of the fixture is empty") }

    func features(_ extra: [String], input: Data? = nil) throws -> [Substring] {
      let result = try CLIRunner.run(["features", "--recipe", recipe] + extra, input: input, in: fixture.directory)
      #expect(result.status == 0, "\(result.standardError)")
      return result.standardOutput.split(separator: "\n")
    }
    func classify(_ extra: [String]) throws -> [Substring] {
      let result = try CLIRunner.run(["classify", "--json", "--model", model] + extra, in: fixture.directory)
      #expect(result.status == 0, "\(result.standardError)")
      return result.standardOutput.split(separator: "\n")
    }

    // Features: one header, then a row per window (2 s in 1 s windows: two rows per file).
    let whole = try features(files)
    try #require(whole.count == 1 + 2 * files.count)
    #expect(whole[0].hasPrefix("filename,length,rms_mean,") && whole[0].hasSuffix(",label"))
    var merged: [Substring] = []
    for i in 0..<3 {
      let part = try features(files + ["--shard", "\(i)/3"])
      #expect(part.first == whole[0], "shard \(i) header")
      merged += part.dropFirst()
      let names = Set(part.dropFirst().map { String($0.split(separator: ",")[0]) })
      let expectedNames = files.indices.filter { expectedShard[$0] == i }.map {
        URL(fileURLWithPath: files[$0]).lastPathComponent
      }
      #expect(names == Set(expectedNames), "shard \(i) files")
    }
    #expect(merged.sorted() == whole.dropFirst().sorted())

    // --full-paths names each row by the path as given (here: relative, with the genre folder).
    let paths = try features(files + ["--full-paths"]).dropFirst().map { String($0.split(separator: ",")[0]) }
    #expect(Set(paths) == Set(files))

        // The same list from standard input gives the same shard.
    let list = Data(files.joined(separator: "\n").utf8)
    #expect(try features(["--files-from", "-", "--shard", "2/3"], input: list) == features(files + ["--shard", "2/3"]))

    // Classify: one JSON line per file, each naming its file.
    let all = try classify(files)
    try #require(all.count == files.count)
    var seen: [String] = []
    var lines: [Substring] = []
    for i in 0..<3 {
      let part = try classify(files + ["--shard", "\(i)/3"])
      lines += part
      for line in part {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let file = try #require(object["file"] as? String)
        #expect(expectedShard[try #require(files.firstIndex(of: file))] == i, "\(file) in shard \(i)")
        seen.append(file)
      }
    }
    #expect(seen.sorted() == files.sorted(), "every file in exactly one shard")
    #expect(lines.sorted() == all.sorted())
  }

  @Test("exit status: 3 when some files failed and the rest were done, 1 when the run stopped")
  func exitStatus() throws {
    let fixture = try ClassifyFixture()
    let good = try fixture.wav("good.wav", seconds: 2)
    let damaged = fixture.directory.appendingPathComponent("damaged.wav").path
    try Data("RIFF\u{4}\0\0\0WAVEjunk".utf8).write(to: URL(fileURLWithPath: damaged))
    let recipe = try Self.cheapRecipe(in: fixture.directory)

    let features = try CLIRunner.run(["features", "--recipe", recipe, damaged, good])
    #expect(features.status == 3, "\(features.standardError)")
    #expect(features.standardOutput.split(separator: "\n").count == 3)  // header + 2 windows of good.wav
    let classify = try CLIRunner.run(["classify", "--json", "--model", fixture.model.path, good, damaged])
    #expect(classify.status == 3, "\(classify.standardError)")
    #expect(classify.standardOutput.split(separator: "\n").count == 1)
    #expect(try CLIRunner.run(["classify", "--json", "--model", fixture.model.path, good]).status == 0)

    let noModel = try CLIRunner.run(["classify", "--model", fixture.directory.appendingPathComponent("none").path, good])
    #expect(noModel.status == 1, "\(noModel.standardError)")
    let noList = try CLIRunner.run(["features", "--files-from", fixture.directory.appendingPathComponent("none").path])
    #expect(noList.status == 64, "\(noList.standardError)")
  }

  @Test("a bad --shard is refused before any work, naming the option")
  func badShard() throws {
    for bad in ["3/3", "1", "x/2", "0/0"] {
      for command in ["features", "classify"] {
        let result = try CLIRunner.run([command, "missing.wav", "--shard", bad])
        #expect(result.status != 0, "\(command) --shard \(bad)")
        #expect(result.standardError.contains("--shard"), "\(command) --shard \(bad): \(result.standardError)")
      }
    }
    let none = try CLIRunner.run(["classify"])
    #expect(none.status != 0 && none.standardError.contains("--files-from"))
  }
}
