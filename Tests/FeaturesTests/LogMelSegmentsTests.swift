import Foundation
import Testing
import TestSupport

@testable import Features

/// The reference written by Scripts/logmel_reference.py.
private struct LogMelReference: Decodable {
  struct Case: Decodable {
    var length: Int
    var maximum: [[Double]]
    var unity: [[Double]]?
  }
  var sampleRate: Int
  var fftSize: Int
  var hopLength: Int
  var melCount: Int
  var segmentLength: Int
  var segmentHop: Int
  var frames: Int
  var long: Case
  var short: Case

  static func load() throws -> LogMelReference {
    try JSONDecoder().decode(
      LogMelReference.self, from: Data(contentsOf: TestDataLookup.fixture("logmel-segments.json")))
  }

  func input(_ reference: LogMelSegments.Reference) -> LogMelSegments {
    LogMelSegments(
      sampleRate: sampleRate, fftSize: fftSize, hopLength: hopLength, melCount: melCount,
      segmentLength: segmentLength, segmentHop: segmentHop, reference: reference)
  }

  /// The script's closed-form signal, computed in Double and rounded to Float as numpy does.
  func signal(_ n: Int) -> [Float] {
    (0..<n).map { i in
      let t = Double(i) / Double(sampleRate)
      var x = 0.4 * sin(2 * .pi * 440 * t) * (1 + 0.5 * sin(2 * .pi * 3 * t))
      x += 0.2 * sin(2 * .pi * (200 * t + 3000 * t * t))
      return Float(x)
    }
  }
}

@Suite struct LogMelSegmentsTests {
  @Test func defaultsGiveThe128By130ImagesOfThreeSecondSegments() {
    let input = LogMelSegments()
    #expect(input.frameCount == 130)
    #expect(input.imageShape == [1, 128, 130])
    #expect(input.segmentCount(signalLength: 661_500) == 19)
    #expect(input.segmentCount(signalLength: 1_000) == 1)
    #expect(input.recipe.segmentation.length == 66_150)
    #expect(input.recipe.columns.isEmpty)
  }

  @Test(arguments: [LogMelSegments.Reference.maximum, .unity])
  func matchesLibrosaPerSegment(_ reference: LogMelSegments.Reference) throws {
    let fixture = try LogMelReference.load()
    let plan = try LogMelSegmentPlan(fixture.input(reference))
    let batch = try plan.segments(of: fixture.signal(fixture.long.length), sampleRate: fixture.sampleRate)
    let expected = reference == .maximum ? fixture.long.maximum : try #require(fixture.long.unity)
    #expect(batch.count == expected.count)
    #expect(!batch.isShorterThanSegment)
    let size = fixture.melCount * fixture.frames
    #expect(batch.values.count == expected.count * size)
    for (segment, image) in expected.enumerated() {
      expectClose(
        Array(batch.values[(segment * size)..<((segment + 1) * size)]), image, absolute: 2e-3, relative: 1e-4,
        "segment \(segment), \(reference)")
    }
    let hop = Double(fixture.segmentHop) / Double(fixture.sampleRate)
    expectClose(batch.spans.map(\.lowerBound), [0, hop], absolute: 1e-12)
  }

  @Test func zeroPadsASignalShorterThanOneSegment() throws {
    let fixture = try LogMelReference.load()
    let plan = try LogMelSegmentPlan(fixture.input(.maximum))
    let batch = try plan.segments(of: fixture.signal(fixture.short.length), sampleRate: fixture.sampleRate)
    #expect(batch.count == 1)
    #expect(batch.isShorterThanSegment)
    expectClose(batch.values, fixture.short.maximum[0], absolute: 2e-3, relative: 1e-4)
    expectClose(batch.spans[0].upperBound, Double(fixture.short.length) / Double(fixture.sampleRate), absolute: 1e-12)
  }

  @Test func rejectsBadInputWithTypedErrors() throws {
    let plan = try LogMelSegmentPlan(LogMelSegments(segmentLength: 4_096, segmentHop: 2_048))
    #expect(throws: FeatureError.emptySignal) { try plan.segments(of: [], sampleRate: 22_050) }
    #expect(throws: FeatureError.nonFiniteSample(index: 2)) {
      try plan.segments(of: [0, 0.1, .nan, 0], sampleRate: 22_050)
    }
    #expect(throws: FeatureError.invalidSampleRate(0)) { try plan.segments(of: [0.1], sampleRate: 0) }
    #expect(throws: FeatureError.self) { try LogMelSegmentPlan(LogMelSegments(fftSize: 1_000_001)) }
    #expect(throws: FeatureError.self) { try LogMelSegmentPlan(LogMelSegments(melCount: 0)) }
    #expect(throws: FeatureError.self) { try LogMelSegmentPlan(LogMelSegments(segmentHop: 0)) }
  }

  @Test func resamplesOtherRatesToTheAnalysisRate() throws {
    let plan = try LogMelSegmentPlan(LogMelSegments(segmentLength: 4_096, segmentHop: 4_096))
    let signal = (0..<16_000).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / 44_100)) }
    let batch = try plan.segments(of: signal, sampleRate: 44_100)
    // 16 000 samples at 44.1 kHz are 8 000 at 22.05 kHz: one whole 4 096-sample segment.
    #expect(batch.count == 1)
    let finite = batch.values.allSatisfy { $0.isFinite }
    #expect(finite)
    // ref=np.max puts the loudest bin at 0 dB (up to the float log10).
    expectClose(try #require(batch.values.max()), 0, absolute: 1e-4)
  }
}
