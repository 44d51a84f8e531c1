import Foundation
import TestSupport
import Testing

/// `genre train --audio`: argument checks that fail before any audio is read.
@Suite("genre train --audio")
struct TrainAudioCommandTests {
  @Test("--audio refuses a table, a preset without log-mel input and a missing --out")
  func argumentChecks() throws {
    let directory = try TestData.temporaryDirectory("cli-train-audio")
    let both = try CLIRunner.run(
      ["train", "--audio", directory.path, "--table", "x.csv", "--split-dir", directory.path, "--out", "b"])
    #expect(both.status != 0 && both.standardError.contains("either --table or --audio"))
    let mlp = try CLIRunner.run(
      ["train", "--audio", directory.path, "--preset", "mlp", "--split-dir", directory.path, "--out", "b"])
    #expect(mlp.status != 0 && mlp.standardError.contains("use melCNN"))
    let noOut = try CLIRunner.run(["train", "--audio", directory.path, "--preset", "melCNN"])
    #expect(noOut.status != 0 && noOut.standardError.contains("--out"))
  }
}
