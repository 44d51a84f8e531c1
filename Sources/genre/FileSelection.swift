import ArgumentParser
import Foundation
import GenreClassifier

/// The input files of `features` and `classify`: paths as arguments and/or a list file, and an
/// optional `--shard i/n` that keeps only this shard's part (`Shard`, a stable hash of each path).
struct FileSelection: ParsableArguments {
  @Argument(help: "Audio files (WAV, RF64, Sun AU; any rate and channel count).")
  var files: [String] = []

  @Option(
    name: .customLong("files-from"),
    help: ArgumentHelp(
      "Also read paths from this file, one per line ('-': standard input).",
      discussion: "Blank lines are skipped. Use it for lists too long for a command line."))
  var filesFrom: String?

  @Option(
    help: ArgumentHelp(
      "Process only the files of shard i of n, written i/n (e.g. 0/4), for job arrays.",
      discussion: """
        A file belongs to shard fmix64(fnv1a64(path)) mod n, computed from the path exactly as \
        given: the same on every machine and independent of the other paths, so running shards \
        0/n … (n−1)/n over the same list processes every file exactly once.
        """))
  var shard: String?

  func validate() throws {
    guard !files.isEmpty || filesFrom != nil else {
      throw ValidationError("give audio files as arguments or with --files-from")
    }
    if let shard {
      do { _ = try Shard(parsing: shard) } catch { throw ValidationError("--shard: \(error)") }
    }
  }

  /// The selected paths: the arguments, then the list file's lines, filtered to the shard.
  func paths() throws -> [String] {
    var all = files
    if let filesFrom {
      // A FileHandle reads pipes and FIFOs (`<(…)`) as well as files, to the end.
      guard let handle = filesFrom == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: filesFrom)
      else { throw ValidationError("--files-from \(filesFrom): cannot open the file for reading") }
      let data = handle.readDataToEndOfFile()
      let text = String(decoding: data, as: UTF8.self)
      all += text.split(whereSeparator: \.isNewline).map(String.init).filter {
        !$0.allSatisfy(\.isWhitespace)
      }
    }
    guard let shard else { return all }
    return try Shard(parsing: shard).select(all)
  }
}
