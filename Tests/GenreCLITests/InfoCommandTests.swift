import AudioIO
import Foundation
import TestSupport
import Testing

@Suite("genre info")
struct InfoCommandTests {
  /// Writes a short 16-bit WAV and a stereo float WAV into a fresh folder.
  private func makeFiles() throws -> (folder: URL, mono: URL, stereo: URL) {
    let folder = try TestData.temporaryDirectory("genre-info")
    let mono = folder.appendingPathComponent("tone.wav")
    let stereo = folder.appendingPathComponent("stereo-float.wav")
    let samples = (0..<2_205).map { Float(sin(Double($0) * 0.05) * 0.5) }
    try WAVEncoder.write(AudioBuffer(channels: [samples], sampleRate: 22_050), to: mono, as: .pcm16)
    try WAVEncoder.write(
      AudioBuffer(channels: [samples, samples.map { -$0 }], sampleRate: 44_100), to: stereo,
      as: .float32)
    return (folder, mono, stereo)
  }

  @Test("prints one line per file with container, encoding, rate, channels and length")
  func printsFormatLines() throws {
    let files = try makeFiles()
    defer { try? FileManager.default.removeItem(at: files.folder) }
    let result = try CLIRunner.run(["info", files.mono.path, files.stereo.path])
    #expect(result.status == 0, "stderr: \(result.standardError)")
    let lines = result.standardOutput.split(separator: "\n").map(String.init)
    #expect(
      lines == [
        "\(files.mono.path): WAV, PCM 16-bit, 22050 Hz, 1 ch, 2205 frames (0.1 s)",
        "\(files.stereo.path): WAV, float 32-bit, 44100 Hz, 2 ch, 2205 frames (0.05 s)",
      ])
    #expect(result.standardError.isEmpty)
  }

  @Test("continues past a bad file, names it on stderr and exits non-zero")
  func reportsBadFiles() throws {
    let files = try makeFiles()
    defer { try? FileManager.default.removeItem(at: files.folder) }
    let notAudio = files.folder.appendingPathComponent("notes.wav")
    try Data("these are not audio bytes".utf8).write(to: notAudio)
    let missing = files.folder.appendingPathComponent("missing.au").path

    let result = try CLIRunner.run(["info", notAudio.path, files.mono.path, missing])
    #expect(result.status == 3)
    #expect(result.standardOutput.hasPrefix("\(files.mono.path): WAV, PCM 16-bit"))
    let errors = result.standardError.split(separator: "\n").map(String.init)
    #expect(errors.count == 3, "stderr: \(result.standardError)")
    #expect(errors.first?.hasPrefix("genre: \(notAudio.path): ") == true)
    #expect(errors.dropFirst().first?.hasPrefix("genre: \(missing): ") == true)
    #expect(errors.last == "genre: 2 of 3 file(s) could not be read")
  }

  @Test("--json prints one self-describing object per file")
  func printsJSONLines() throws {
    let files = try makeFiles()
    defer { try? FileManager.default.removeItem(at: files.folder) }
    let result = try CLIRunner.run(["info", "--json", files.stereo.path])
    #expect(result.status == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    #expect(object["file"] as? String == files.stereo.path)
    #expect(object["container"] as? String == "wav")
    #expect(object["sampleRate"] as? Int == 44_100)
    #expect(object["channels"] as? Int == 2)
    #expect(object["frames"] as? Int == 2_205)
    #expect(object["bitsPerSample"] as? Int == 32)
  }
}
