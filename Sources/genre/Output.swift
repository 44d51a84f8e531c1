import ArgumentParser
import Foundation

/// Writes one line to standard error, prefixed with the tool's name.
func printError(_ message: String) {
  FileHandle.standardError.write(Data("genre: \(message)\n".utf8))
}

extension ExitCode {
  /// `genre features`, `genre classify` and `genre info` after some files failed and every other file was
  /// processed (each failure named on standard error): 3, distinct from 1 (an error that stopped
  /// the whole run, e.g. an unreadable model) and 64 (bad arguments), so a job array can accept a
  /// shard with a few bad files and retry only real failures.
  static let someFilesFailed = ExitCode(3)
}

/// The genres of a `--genres a,b,c` option (empty entries dropped).
func genreSet(_ list: String) -> Set<String> {
  Set(list.split(separator: ",").map(String.init))
}
