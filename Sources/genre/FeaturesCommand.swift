import ArgumentParser
import Foundation
import GenreClassifier

/// `genre features FILE... --recipe gtzan57 [--segment 3] [--shard i/n]`: writes a feature table as CSV.
struct FeaturesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "features",
    abstract: "Compute a feature recipe's columns for each file and write them as CSV.",
    discussion: """
      The header is `filename,length,<recipe columns>[,label]`, as the public GTZAN tables \
      (features_30_sec.csv, features_3_sec.csv), so the output can be compared with them. One \
      row per window of the recipe (gtzan57: the whole file for files up to 35 s); with \
      --segment, one row per segment, named like the 3 s table (`classical.00000.3.wav`). The \
      label column is written only when every file sits in a folder named like the file's \
      prefix (GTZAN's `<genre>/<genre>.NNNNN.wav` layout): it is then that folder's name. \
      A file that cannot be read or analysed prints one line on standard error; the exit \
      status is 3 if any file failed, after every file has been tried (1 for an error that \
      stops the run). With --shard \
      i/n only that shard's files are analysed (see --shard); the shards' tables share one \
      header, so they merge by dropping the header lines after the first.
      """
  )

  @OptionGroup var input: FileSelection

  @Option(help: "A summary preset (gtzan57, gtzan57-3s) or the path of a recipe JSON file.")
  var recipe = "gtzan57"

  @Option(
    help: ArgumentHelp(
      "Cut each file into segments of this many seconds (the 3 s table: --segment 3).",
      discussion: "Segment i spans samples [i·n, i·n + n − 1) with n = round(seconds · rate), as the public 3 s table was made; samples after the last full segment are ignored."))
  var segment: Double?

  @Flag(
    help: ArgumentHelp(
      "Write each file's path as given in the filename column, not only its name.",
      discussion: "For large libraries whose file names repeat across folders."))
  var fullPaths = false

  @Option(name: .shortAndLong, help: "Write the CSV to this file instead of standard output.")
  var output: String?

  func run() throws {
    var chosen = try loadRecipe()
    if let segment {
      guard segment > 0, segment.isFinite else {
        throw ValidationError("--segment must be a positive number of seconds")
      }
      let n = Int((segment * Double(chosen.sampleRate)).rounded())
      guard n >= 2 else { throw ValidationError("--segment \(segment) is shorter than two samples") }
      chosen.segmentation = Segmentation(length: n - 1, hop: n, tail: .drop)
    }
    guard !chosen.columns.contains(where: { $0.statistic == .frame }) else {
      throw ValidationError(
        "recipe \(chosen.name) is per-frame; `genre features` writes window summaries (try gtzan57)")
    }
    let extractor: FeatureExtractor
    do {
      extractor = try FeatureExtractor(recipe: chosen)
    } catch {
      throw ValidationError("recipe \(chosen.name): \(error)")
    }
    let selected = try input.paths()
    let labels = Self.labels(for: selected)
    var sink = try CSVSink(path: output)
    var header = ["filename", "length"] + chosen.columnNames
    if labels != nil { header.append("label") }
    sink.write(header.joined(separator: ","))
    var failures = 0
    for (index, file) in selected.enumerated() {
      do {
        let decoded = try AudioDecoder.decode(contentsOf: URL(fileURLWithPath: file))
        let matrix = try extractor.summaries(of: decoded.buffer.mono(), sampleRate: decoded.buffer.sampleRate)
        let name = fullPaths ? file : URL(fileURLWithPath: file).lastPathComponent
        for r in 0..<matrix.rowCount {
          let span = matrix.spans[r]
          let length = Int(((span.upperBound - span.lowerBound) * Double(chosen.sampleRate)).rounded())
          var fields = [segment == nil ? name : Self.segmentName(name, index: r), String(length)]
          fields += matrix.row(r).map { Self.format($0) }
          if let labels { fields.append(labels[index]) }
          sink.write(fields.joined(separator: ","))
        }
      } catch {
        failures += 1
        printError("\(file): \(error)")
      }
    }
    sink.close()
    if failures > 0 {
      printError("\(failures) of \(selected.count) file(s) could not be analysed")
      throw ExitCode.someFilesFailed
    }
  }

  private func loadRecipe() throws -> FeatureRecipe {
    if let preset = FeatureRecipe.presets[recipe] { return preset }
    guard FileManager.default.fileExists(atPath: recipe) else {
      let names = FeatureRecipe.presets.keys.sorted().joined(separator: ", ")
      throw ValidationError("--recipe \(recipe) is neither a preset (\(names)) nor a recipe JSON file")
    }
    do {
      return try JSONDecoder().decode(FeatureRecipe.self, from: Data(contentsOf: URL(fileURLWithPath: recipe)))
    } catch {
      throw ValidationError("--recipe \(recipe): not a valid recipe JSON file (\(error))")
    }
  }

  /// GTZAN-style labels (the parent folder, when every file is `<folder>/<folder>.*`), else nil.
  static func labels(for files: [String]) -> [String]? {
    var labels: [String] = []
    for file in files {
      let url = URL(fileURLWithPath: file)
      let folder = url.deletingLastPathComponent().lastPathComponent
      guard !folder.isEmpty, folder != "/", url.lastPathComponent.hasPrefix(folder + ".") else { return nil }
      labels.append(folder)
    }
    return labels.isEmpty ? nil : labels
  }

  /// `classical.00000.wav`, segment 3 → `classical.00000.3.wav` (the 3 s table's names); a
  /// folder part (`--full-paths`) is kept: `jazz/a.wav` → `jazz/a.3.wav`.
  static func segmentName(_ name: String, index: Int) -> String {
    let slash = name.lastIndex(of: "/").map { name.index(after: $0) } ?? name.startIndex
    let folder = name[..<slash]
    let file = String(name[slash...])
    let url = URL(fileURLWithPath: file)
    let ext = url.pathExtension
    let stem = url.deletingPathExtension().lastPathComponent
    return String(folder) + (ext.isEmpty ? "\(stem).\(index)" : "\(stem).\(index).\(ext)")
  }

  /// The float32 value printed as the shortest `Double` text that round-trips, as Python prints
  /// `float(np.float32(x))` in the public tables.
  static func format(_ value: Float) -> String {
    let d = Double(value)
    if d == d.rounded(), abs(d) < 1e15 { return String(format: "%.1f", d) }
    return "\(d)"
  }
}

/// Buffered CSV output to a file or standard output.
private struct CSVSink {
  private var handle: FileHandle
  private var buffer = Data()

  init(path: String?) throws {
    if let path {
      guard FileManager.default.createFile(atPath: path, contents: nil) else {
        throw ValidationError("cannot create \(path)")
      }
      handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    } else {
      handle = FileHandle.standardOutput
    }
  }

  mutating func write(_ line: String) {
    buffer.append(Data((line + "\n").utf8))
    if buffer.count > 1 << 16 { flush() }
  }

  mutating func flush() {
    handle.write(buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  mutating func close() {
    flush()
    if handle !== FileHandle.standardOutput { try? handle.close() }
  }
}
