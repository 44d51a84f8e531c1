import AudioIO
import DSP
@testable import Features
import Foundation
import TestSupport
import Testing

/// A deterministic music-like signal at 22 050 Hz: chords that change every 1.7 s, a click track
/// at 126 BPM, a slow amplitude swell and a little noise, so every gtzan57 feature (tuning,
/// HPSS, tempo, the dB floor of the mel bands) moves over time.
func musicLikeSignal(seconds: Double, rate: Int = 22_050, seed: UInt32 = 11) -> [Float] {
  var x = seed
  let chords: [[Double]] = [[220, 277.2, 329.6], [196, 246.9, 293.7], [174.6, 220, 261.6], [246.9, 311.1, 370]]
  let beat = 60.0 / 126
  return (0..<Int(seconds * Double(rate))).map { n in
    x = 1_664_525 &* x &+ 1_013_904_223
    let t = Double(n) / Double(rate)
    let chord = chords[Int(t / 1.7) % chords.count]
    var v = 0.0
    for (k, f) in chord.enumerated() { v += 0.12 / Double(k + 1) * sin(2 * .pi * f * 1.003 * t) }
    let sinceBeat = t.truncatingRemainder(dividingBy: beat)
    v += 0.5 * exp(-sinceBeat * 60) * sin(2 * .pi * 3_000 * sinceBeat)
    v *= 0.6 + 0.4 * sin(2 * .pi * t / 9)
    return Float(v) + 0.02 * Float(Double(x >> 8) / 16_777_216 - 0.5)
  }
}

@Suite("StreamingFeatureExtractor")
struct StreamingFeatureExtractorTests {
  /// gtzan57's columns over 9 s windows (the incremental paths are those of the 30 s model; a
  /// shorter window keeps the debug-build reference extraction fast).
  static let recipe: FeatureRecipe = {
    var recipe = FeatureRecipe.gtzan57
    recipe.segmentation = Segmentation(length: 198_450, hop: 22_016)
    return recipe
  }()

  @Test("rows of sliding windows fed in random chunks equal the offline rows of the same samples")
  func equivalence() throws {
    try checkEquivalence(musicLikeSignal(seconds: 12))
  }

  /// Real music: a GTZAN clip's quiet high mel bands sit on the window's dB floor, so MFCC and
  /// onset flux follow the floor as the window slides.
  @Test("the same on a real GTZAN clip (dB floor and tuning move with the window)", .requiresGTZAN)
  func equivalenceOnGTZAN() throws {
    let directory = try #require(TestData.gtzanAudioDirectory)
    let file = directory.appendingPathComponent("rock/rock.00000.wav")
    let decoded = try AudioDecoder.decode(contentsOf: file)
    try checkEquivalence(Array(decoded.buffer.mono().prefix(264_600)))
  }

  @discardableResult
  func checkEquivalence(_ signal: [Float]) throws -> StreamingFeatureExtractor {
    let streaming = try StreamingFeatureExtractor(recipe: Self.recipe)
    let offline = try FeatureExtractor(recipe: Self.recipe)
    let length = Self.recipe.segmentation.length
    let hop = 3 * 22_016
    // A partial window from 0 and full windows on the 512-sample grid (windows off the grid are
    // computed in full; StreamingClassifierTests covers one).
    let windows = [0..<(2 * hop), 0..<length, hop..<(hop + length)]
    var generator = SplitMix(seed: 42)
    var start = 0
    var pending = windows
    var worst = 0.0
    while start < signal.count {
      let size = min(signal.count - start, 1 + Int(generator.next() % 20_000))
      try streaming.append(Array(signal[start..<(start + size)]))
      start += size
      while let window = pending.first, window.upperBound <= streaming.sampleCount {
        pending.removeFirst()
        let row = try streaming.row(window: window)
        let expected = try offline.row(of: Array(signal[window]))
        for (a, e) in zip(row, expected) { worst = max(worst, Double(abs(a - e)) / max(abs(Double(e)), 1e-3)) }
        expectClose(row, expected, absolute: 1e-6, relative: 1e-5, "window \(window)")
      }
      streaming.discard(before: pending.first?.lowerBound ?? streaming.sampleCount)
    }
    #expect(pending.isEmpty)
    // All three took the incremental path.
    #expect(streaming.incrementalRowCount == 3 && streaming.fullRowCount == 0)
    print("StreamingFeatureExtractor: worst relative column difference \(worst)")
    return streaming
  }

  @Test("memory stays bounded: discarded samples are freed; windows outside the retained span are refused")
  func bounded() throws {
    var recipe = FeatureRecipe.gtzan57
    recipe.segmentation = Segmentation(length: 22_050, hop: 11_025)
    let streaming = try StreamingFeatureExtractor(recipe: recipe)
    let chunk = musicLikeSignal(seconds: 0.5)
    for _ in 0..<40 {
      try streaming.append(chunk)
      streaming.discard(before: streaming.sampleCount - 22_050)
    }
    #expect(streaming.sampleCount == 40 * chunk.count)
    #expect(streaming.retainedSampleCount <= 22_050 + chunk.count)
    #expect(throws: FeatureError.self) { try streaming.row(window: 0..<1_000) }
    #expect(throws: FeatureError.self) { try streaming.row(window: (streaming.sampleCount - 10)..<(streaming.sampleCount + 1)) }
    #expect(throws: FeatureError.nonFiniteSample(index: streaming.sampleCount + 1)) {
      try streaming.append([0, .infinity])
    }
  }

  @Test("per-frame recipes are refused")
  func framewise() {
    #expect(throws: FeatureError.self) { try StreamingFeatureExtractor(recipe: .seed) }
  }
}
