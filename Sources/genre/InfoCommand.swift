import ArgumentParser
import Foundation
import GenreClassifier

/// `genre info FILE...`: prints each file's container, encoding, rate, channels and duration.
struct InfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Print the audio format of each file (container, encoding, rate, channels, length).",
    discussion: """
      The format is detected from the file's content, not its name. A file that cannot be read \
      prints one line on standard error naming the file and the problem; after every file has \
      been tried, the exit status is 3 if any file failed (as for classify and features).
      """
  )

  @Argument(help: "Audio files (WAV, RF64, Sun AU).")
  var files: [String]

  @Flag(help: "Print one JSON object per line instead of text.")
  var json = false

  func run() throws {
    var failures = 0
    for file in files {
      do {
        let info = try AudioDecoder.formatInfo(contentsOf: URL(fileURLWithPath: file))
        print(json ? try jsonLine(file: file, info: info) : "\(file): \(info)")
      } catch {
        failures += 1
        printError("\(file): \(error)")
      }
    }
    if failures > 0 {
      printError("\(failures) of \(files.count) file(s) could not be read")
      throw ExitCode.someFilesFailed
    }
  }

  private func jsonLine(file: String, info: AudioFormatInfo) throws -> String {
    let record = FileFormatRecord(file: file, info: info)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(record), as: UTF8.self)
  }
}

/// One line of `genre info --json`.
private struct FileFormatRecord: Encodable {
  var file: String
  var container: String
  var encoding: String
  var bitsPerSample: Int
  var sampleRate: Int
  var channels: Int
  var frames: Int
  var seconds: Double

  init(file: String, info: AudioFormatInfo) {
    self.file = file
    container = info.container.rawValue
    encoding = info.encoding.description
    bitsPerSample = info.bitsPerSample
    sampleRate = info.sampleRate
    channels = info.channelCount
    frames = info.frameCount
    seconds = info.duration
  }
}
