import AudioIO
import Foundation
import GenreModel
import TestSupport
import Testing

@Suite("AudioEvaluation")
struct AudioEvaluationTests {
  /// Four labelled 2 s clips (two per label) and one file that is not audio, in a fresh folder.
  private func files() throws -> [AudioEvaluation.File] {
    let directory = try TestData.temporaryDirectory("audio-evaluation")
    var result: [AudioEvaluation.File] = []
    for (index, label) in ["w", "w", "y", "z"].enumerated() {
      let url = directory.appendingPathComponent("\(label)-\(index).wav")
      let samples = testSignal(seconds: 2, rate: 22_050, seed: UInt32(7 + index))
      try WAVEncoder.write(AudioBuffer(channels: [samples], sampleRate: 22_050), to: url, as: .pcm16)
      result.append(AudioEvaluation.File(url: url, label: label))
    }
    let broken = directory.appendingPathComponent("broken.wav")
    try Data("not a RIFF file".utf8).write(to: broken)
    result.append(AudioEvaluation.File(url: broken, label: "x"))
    return result
  }

  @Test("every timeline window is a row, every classified file a song; a broken file is a named failure")
  func scoresThroughThePredictor() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    let files = try files()
    let evaluation = try AudioEvaluation(predictor: predictor, files: files, concurrency: 2, dataDescription: "clips")
    #expect(evaluation.failures.map(\.file) == [files[4].url])
    guard case .audioFile(let path, _) = evaluation.failures.first?.error else {
      Issue.record("expected an audio-file error, got \(String(describing: evaluation.failures.first?.error))")
      return
    }
    #expect(path.hasSuffix("broken.wav"))
    // The same answers as classifying each file on its own.
    let predictions = try files.prefix(4).map { try predictor.predict(file: $0.url) }
    let labels = predictor.labels
    #expect(evaluation.report.windows.count == predictions.reduce(0) { $0 + $1.timeline.count })
    #expect(evaluation.report.songs.count == 4)
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
    for (file, prediction) in zip(files, predictions) {
      confusion[labels.firstIndex(of: file.label)!][labels.firstIndex(of: prediction.label)!] += 1
    }
    #expect(evaluation.report.songs.confusion == confusion)
    #expect(evaluation.report.dataDescription == "clips")
  }

  @Test("a label the model lacks, no files, or no classifiable file are typed errors")
  func errors() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    let files = try files()
    var unknown = files
    unknown[0].label = "polka"
    #expect(throws: ModelError.unknownLabel("polka", known: predictor.labels)) {
      try AudioEvaluation(predictor: predictor, files: unknown, dataDescription: "x")
    }
    #expect(throws: ModelError.self) { try AudioEvaluation(predictor: predictor, files: [], dataDescription: "x") }
    #expect(throws: ModelError.self) {
      try AudioEvaluation(predictor: predictor, files: [files[4]], dataDescription: "x")
    }
    #expect(throws: ModelError.self) {
      try AudioEvaluation(predictor: predictor, files: files, concurrency: 0, dataDescription: "x")
    }
  }
}
