import Foundation

/// Writes one line to standard error, prefixed with the tool's name.
func printError(_ message: String) {
  FileHandle.standardError.write(Data("genre: \(message)\n".utf8))
}
