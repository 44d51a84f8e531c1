import AudioIO
import Features
import Foundation
import GenreModel
import NeuralNet
import Synchronization
import TestSupport
import Testing

/// A small model (cheap features, 2 s windows) written to a temporary bundle, so the debug
/// binary streams quickly.
private func cheapStreamingModel() throws -> URL {
  let directory = try TestData.temporaryDirectory("stream-cli")
  let model = directory.appendingPathComponent("cheap-model", isDirectory: true)
  let columns = [FeatureKind.rms, .zeroCrossingRate, .spectralCentroid].flatMap {
    [FeatureColumn($0, .mean), FeatureColumn($0, .variance)]
  }
  let recipe = FeatureRecipe(
    name: "cheap6", columns: columns, segmentation: Segmentation(length: 44_100, hop: 22_050))
  let specs: [LayerSpec] = [.dense(units: 8), .relu, .dense(units: 3)]
  let manifest = ModelManifest(
    labels: ["calm", "busy", "bright"], recipe: recipe,
    scaler: StandardScaler(mean: [0.1, 0.01, 0.1, 0.01, 2000, 1e6], scale: [0.1, 0.01, 0.1, 0.01, 1000, 1e6]),
    inputShape: [6], architecture: specs)
  try ModelBundle(manifest: manifest, network: try Sequential(inputShape: [6], specs: specs, seed: 9)).write(to: model)
  return model
}

/// A WAV header as a recorder writes it to a pipe: RIFF and data sizes unknown (0xFFFFFFFF).
private func openEndedWAVHeader(rate: Int, channels: Int) -> Data {
  var d = Data()
  func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
  func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
  d.append(contentsOf: Array("RIFF".utf8)); u32(0xFFFF_FFFF)
  d.append(contentsOf: Array("WAVE".utf8))
  d.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(UInt16(channels)); u32(UInt32(rate))
  u32(UInt32(rate * channels * 2)); u16(UInt16(channels * 2)); u16(16)
  d.append(contentsOf: Array("data".utf8)); u32(0xFFFF_FFFF)
  return d
}

/// `seconds` of interleaved 16-bit audio starting at second `from`: a chirp plus noise.
private func pcm16(from: Double, seconds: Double, rate: Int, channels: Int) -> Data {
  var d = Data()
  let first = Int(from * Double(rate))
  for i in first..<(first + Int(seconds * Double(rate))) {
    let t = Double(i) / Double(rate)
    let v = 0.4 * sin(2 * .pi * (200 + 150 * t) * t) + 0.05 * sin(Double(i) * 12.9898).truncatingRemainder(dividingBy: 1)
    let s = Int16(max(-32_768, min(32_767, (v * 32_767).rounded())))
    for _ in 0..<channels { withUnsafeBytes(of: s.littleEndian) { d.append(contentsOf: $0) } }
  }
  return d
}

/// A running `genre stream -` with its standard output collected as it arrives.
private final class StreamProcess: Sendable {
  let process: Process
  let input: FileHandle
  private let output = Mutex(Data())
  private let done = DispatchSemaphore(value: 0)

  init(arguments: [String]) throws {
    let process = Process()
    process.executableURL = CLIRunner.executable
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    self.process = process
    input = stdin.fileHandleForWriting
    let reader = stdout.fileHandleForReading
    Thread.detachNewThread { [self] in
      while true {
        let chunk = reader.availableData
        if chunk.isEmpty { break }
        output.withLock { $0.append(chunk) }
      }
      done.signal()
    }
  }

  /// The complete lines written so far.
  var lines: [String] {
    let text = output.withLock { String(decoding: $0, as: UTF8.self) }
    return text.split(separator: "\n", omittingEmptySubsequences: true).dropLast(text.hasSuffix("\n") ? 0 : 1).map(String.init)
  }

  /// Waits (up to `seconds`) until at least `count` lines have arrived.
  func waitForLines(_ count: Int, seconds: Double = 120) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while lines.count < count {
      if Date() > deadline || !process.isRunning { return lines.count >= count }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return true
  }

  /// Waits for the output to close and the process to exit; its status.
  func finish() -> Int32 {
    done.wait()
    process.waitUntilExit()
    return process.terminationStatus
  }
}

private func records(_ lines: [String]) throws -> [[String: Any]] {
  try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
}

@Suite("genre stream")
struct StreamCommandTests {
  @Test("a WAV with an unknown size written progressively to a pipe: JSON lines arrive while it is written")
  func progressivePipe() throws {
    let model = try cheapStreamingModel()
    let stream = try StreamProcess(arguments: ["stream", "-", "--model", model.path, "--hop", "0.5"])
    let rate = 44_100
    stream.input.write(openEndedWAVHeader(rate: rate, channels: 2))
    var written = 0.0
    while written < 2.5 {
      stream.input.write(pcm16(from: written, seconds: 0.25, rate: rate, channels: 2))
      written += 0.25
    }
    // The pipe is still open: updates for the first 2.5 s must already be out (flushed per hop).
    #expect(stream.waitForLines(3), "no output while the writer keeps the pipe open")
    let early = stream.lines.count
    while written < 5 {
      stream.input.write(pcm16(from: written, seconds: 0.25, rate: rate, channels: 2))
      written += 0.25
    }
    try stream.input.close()
    #expect(stream.finish() == 0)
    let parsed = try records(stream.lines)
    #expect(parsed.count > early)
    // Hops of 0.5 s = 22 × 512 samples at 22 050 Hz; partial windows until 2 s, then full ones.
    let ends = parsed.map { $0["end"] as? Double ?? -1 }
    #expect(zip(ends, ends.dropFirst()).allSatisfy { $0 < $1 })
    #expect(abs(ends[0] - 11_264.0 / 22_050) < 1e-9)
    #expect(abs(ends.last! - 5) < 1e-3, "the final window ends at the end of the stream")
    #expect(parsed.last?["final"] as? Bool == true)
    #expect(parsed.first?["partial"] as? Bool == true)
    #expect(parsed.contains { $0["partial"] as? Bool == false })
    for record in parsed {
      let p = try #require(record["probabilities"] as? [String: Double])
      #expect(Set(p.keys) == ["calm", "busy", "bright"])
      #expect(abs(p.values.reduce(0, +) - 1) < 1e-4)
      #expect(p.keys.contains(record["current"] as? String ?? ""))
    }
    #expect((parsed.first?["change"] as? [String: Any])?["to"] as? String == parsed.first?["current"] as? String)
  }

  @Test("Ctrl-C (SIGINT): stops reading, writes the final update for the audio so far, exits 130")
  func interrupt() throws {
    let model = try cheapStreamingModel()
    let stream = try StreamProcess(arguments: ["stream", "--model", model.path, "--hop", "0.5"])
    stream.input.write(openEndedWAVHeader(rate: 22_050, channels: 1))
    stream.input.write(pcm16(from: 0, seconds: 3.1, rate: 22_050, channels: 1))
    // Six regular updates (the last ends at 3.02 s), then Ctrl-C with the pipe still open.
    #expect(stream.waitForLines(6))
    stream.process.interrupt()
    #expect(stream.finish() == 130)
    let parsed = try records(stream.lines)
    #expect(parsed.count == 7)
    #expect(parsed.last?["final"] as? Bool == true)
    // The final window ends at the last audio pushed: all of it but what a pending 50 ms read
    // (1 102 frames) still held.
    let end = parsed.last?["end"] as? Double ?? 0
    #expect(end <= 3.1 + 1e-9 && end > 3.1 - 0.051, "final window ends at \(end) s")
    try? stream.input.close()
  }

  @Test("a log-mel model streams one-segment windows from a file, one JSON line per hop")
  func logMelModel() throws {
    let directory = try TestData.temporaryDirectory("stream-cli-mel")
    let input = LogMelSegments(melCount: 16, segmentLength: 8_192, segmentHop: 4_096)
    let specs = ArchitecturePreset.melCNN.layers(classCount: 2)
    let manifest = ModelManifest(
      labels: ["low", "high"], recipe: input.recipe, scaler: StandardScaler(mean: [-40], scale: [20]),
      inputShape: input.imageShape, architecture: specs, logMel: input)
    let model = directory.appendingPathComponent("mel-model", isDirectory: true)
    let network = try Sequential(inputShape: input.imageShape, specs: specs, seed: 3)
    try ModelBundle(manifest: manifest, network: network).write(to: model)
    let audio = directory.appendingPathComponent("clip.wav")
    let samples = (0..<33_075).map { Float(0.4 * sin(2 * Double.pi * 440 * Double($0) / 22_050)) }
    try WAVEncoder.write(AudioBuffer(channels: [samples], sampleRate: 22_050), to: audio, as: .pcm16)
    let result = try CLIRunner.run(["stream", "--model", model.path, "--hop", "0.1", "--no-partial", audio.path])
    #expect(result.status == 0, "\(result.standardError)")
    let parsed = try records(result.standardOutput.split(separator: "\n").map(String.init))
    // Windows of 8 192 samples every 4 × 512: (33 075 − 8 192) / 2 048 + 1 = 13 full windows
    // plus the final one at the end of the stream.
    #expect(parsed.count == 14)
    for record in parsed {
      let start = try #require(record["start"] as? Double)
      let end = try #require(record["end"] as? Double)
      #expect(abs((end - start) - 8_192.0 / 22_050) < 1e-9)
      let p = try #require(record["probabilities"] as? [String: Double])
      #expect(Set(p.keys) == ["low", "high"] && abs(p.values.reduce(0, +) - 1) < 1e-4)
    }
  }

  @Test("a missing file is an error naming it")
  func missingFile() throws {
    let result = try CLIRunner.run(["stream", "/nonexistent/audio.wav"])
    #expect(result.status != 0)
    #expect(result.standardError.contains("/nonexistent/audio.wav"))
  }
}
