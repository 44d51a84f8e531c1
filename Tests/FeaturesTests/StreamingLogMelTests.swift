import DSP
@testable import Features
import TestSupport
import Testing

@Suite("StreamingLogMel")
struct StreamingLogMelTests {
  /// The melCNN input (128 bands × 130 frames of 3 s segments): windows on the hop grid (from
  /// cached mel frames), off the grid and shorter than a segment (in full) all equal the plan's
  /// image of the same samples, while the stream arrives in random chunks and is discarded
  /// behind the windows.
  @Test("window images equal LogMelSegmentPlan's image of the same samples")
  func equivalence() throws {
    let input = LogMelSegments()
    let plan = try LogMelSegmentPlan(input)
    let streaming = try StreamingLogMel(input)
    let signal = musicLikeSignal(seconds: 9)
    let segment = input.segmentLength
    let hop = 22 * 512
    // A short window, on-grid windows every 22 hops, one off the grid, one at the very end.
    let windows = ([0..<5_000] + (0..<12).map { ($0 * hop)..<($0 * hop + segment) } + [100_001..<(100_001 + segment)]
      + [(signal.count - segment)..<signal.count]).sorted { $0.upperBound < $1.upperBound }
    var generator = SplitMix(seed: 9)
    var start = 0
    var pending = windows
    var worst: Float = 0
    while start < signal.count {
      let size = min(signal.count - start, 1 + Int(generator.next() % 9_000))
      try streaming.append(Array(signal[start..<(start + size)]))
      start += size
      while let window = pending.first, window.upperBound <= streaming.sampleCount {
        pending.removeFirst()
        let image = try streaming.image(window: window)
        let expected = try plan.segments(of: Array(signal[window]), sampleRate: input.sampleRate)
        #expect(image.isShorterThanSegment == expected.isShorterThanSegment)
        for (a, e) in zip(image.values, expected.values) { worst = max(worst, abs(a - e)) }
        // Same arithmetic per frame; frames batched differently (a hop's new frames vs a whole
        // segment) agree to float rounding: measured ≤ 7.6e-6 dB on values spanning 80 dB.
        expectClose(image.values, expected.values, absolute: 1e-4, "window \(window)")
        streaming.discard(before: pending.first?.lowerBound ?? streaming.sampleCount)
      }
    }
    #expect(pending.isEmpty)
    // The 12 grid windows from cached frames; the short, off-grid and last windows in full
    // (the last one, 661 500 − 66 150, does not start on the 512-sample grid).
    #expect(streaming.incrementalCount == 12 && streaming.fullCount == 3)
    // Memory: at most about one window plus a chunk is held.
    #expect(streaming.retainedSampleCount < 2 * segment + 9_000)
    print("StreamingLogMel: worst |Δ dB| \(worst)")
  }

  @Test("windows outside the retained samples or longer than a segment are refused")
  func refusals() throws {
    let streaming = try StreamingLogMel(LogMelSegments(melCount: 16, segmentLength: 8_192, segmentHop: 4_096))
    try streaming.append([Float](repeating: 0.1, count: 20_000))
    #expect(throws: FeatureError.self) { try streaming.image(window: 0..<9_000) }
    #expect(throws: FeatureError.self) { try streaming.image(window: 15_000..<20_001) }
    streaming.discard(before: 10_000)
    #expect(throws: FeatureError.self) { try streaming.image(window: 0..<8_192) }
    #expect(throws: FeatureError.self) { try streaming.append([.nan]) }
    #expect(try streaming.image(window: 10_240..<18_432).values.count == 16 * 17)
  }
}
