import Foundation
import GenreModel
import TestSupport
import Testing

/// Degenerate but valid audio through the shipped model end to end: silence, full-scale clipping,
/// DC offset, 8 kHz and 192 kHz input. Each must give a well-formed prediction (never NaN, never a
/// crash); rates must not change the answer for content the lowest rate can carry. Clips are 4 s
/// (classified whole and flagged) to keep the debug-build HPSS cheap.
@Suite("hostile audio content through the default model")
struct HostileContentTests {
  static let seconds = 4.0

  /// Three tones below 4 kHz (so 8 kHz sampling carries them), sampled at `rate`.
  static func tones(rate: Int) -> [Float] {
    (0..<Int(seconds * Double(rate))).map { i in
      let t = Double(i) / Double(rate)
      return Float(0.3 * sin(2 * .pi * 440 * t) + 0.2 * sin(2 * .pi * 1250 * t) + 0.1 * sin(2 * .pi * 2600 * t))
    }
  }

  /// Checks what every prediction must satisfy and returns its song-level probabilities.
  func checkWellFormed(_ prediction: GenrePrediction, labels: [String]) -> [Float] {
    #expect(prediction.inputShorterThanWindow)
    #expect(prediction.timeline.count == 1)
    let window = prediction.timeline[0]
    #expect(window.start == 0)
    expectClose(window.end, Self.seconds, absolute: 1e-9)
    #expect(window.probabilities.count == labels.count)
    #expect(window.probabilities.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
    expectClose(Double(window.probabilities.reduce(0, +)), 1, absolute: 1e-5)
    #expect(prediction.ranked.map(\.probability) == prediction.ranked.map(\.probability).sorted(by: >))
    return window.probabilities
  }

  @Test("silence, full-scale square clipping, pure DC and a tone on a DC offset give well-formed predictions")
  func degenerateSignals() throws {
    let predictor = try GenrePredictor.default
    let n = Int(Self.seconds * 22_050)
    let signals: [(String, [Float])] = [
      ("silence", [Float](repeating: 0, count: n)),
      ("clipped square", (0..<n).map { (($0 / 50) % 2 == 0) ? 1 : -1 }),
      ("DC 0.5", [Float](repeating: 0.5, count: n)),
      ("tone on DC 0.4", (0..<n).map { 0.4 + Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / 22_050)) }),
    ]
    for (name, samples) in signals {
      let prediction = try predictor.predict(samples: samples, sampleRate: 22_050)
      let p = checkWellFormed(prediction, labels: predictor.labels)
      #expect(prediction.label == predictor.labels[p.indices.max { p[$0] < p[$1] }!], "\(name)")
    }
  }

  @Test("8 kHz and 192 kHz input is resampled: same top genre, probabilities within 0.03 of 22.05 kHz")
  func sampleRates() throws {
    let predictor = try GenrePredictor.default
    let reference = checkWellFormed(
      try predictor.predict(samples: Self.tones(rate: 22_050), sampleRate: 22_050), labels: predictor.labels)
    for rate in [8_000, 192_000] {
      let prediction = try predictor.predict(samples: Self.tones(rate: rate), sampleRate: rate)
      let p = checkWellFormed(prediction, labels: predictor.labels)
      let top = reference.indices.max { reference[$0] < reference[$1] }!
      #expect(prediction.label == predictor.labels[top], "\(rate) Hz")
      let worst = zip(p, reference).map { abs($0 - $1) }.max()!
      #expect(worst < 0.03, "\(rate) Hz: max |Δp| \(worst)")
    }
  }
}
