import Foundation

/// Runs the `genre` executable built beside the test bundle and captures its output.
struct CLIRunner {
  /// What one invocation produced.
  struct Result {
    var status: Int32
    var standardOutput: String
    var standardError: String
  }

  /// The built `genre` binary: SwiftPM puts products next to the test bundle.
  static var executable: URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    // On Linux the test bundle is a single file in the products folder; elsewhere it is a
    // bundle directory whose executable sits a few levels down.
    while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("genre").path),
      directory.pathComponents.count > 1
    {
      directory.deleteLastPathComponent()
    }
    return directory.appendingPathComponent("genre")
  }

  /// Runs `genre` with `arguments`, optionally feeding `input` on standard input and in
  /// `directory` (relative paths in `arguments` are then relative to it).
  static func run(_ arguments: [String], input: Data? = nil, in directory: URL? = nil) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    let inputPipe = Pipe()
    if input != nil { process.standardInput = inputPipe }
    try process.run()
    if let input {
      inputPipe.fileHandleForWriting.write(input)
      try inputPipe.fileHandleForWriting.close()
    }
    // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
    let errorData = LockedData()
    let errorDone = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errorData.set(error.fileHandleForReading.readDataToEndOfFile())
      errorDone.signal()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    errorDone.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus,
      standardOutput: String(decoding: outputData, as: UTF8.self),
      standardError: String(decoding: errorData.value, as: UTF8.self))
  }
}

/// A `Data` value handed from a reader thread to the test, guarded by a lock.
private final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data: Data?

  func set(_ value: Data) { lock.withLock { data = value } }
  var value: Data { lock.withLock { data ?? Data() } }
}
