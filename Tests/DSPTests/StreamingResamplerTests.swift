import DSP
import Foundation
import TestSupport
import Testing

@Suite("StreamingResampler")
struct StreamingResamplerTests {
  /// A deterministic signal: two tones and pseudo-noise.
  static func signal(_ count: Int, seed: UInt32 = 7) -> [Float] {
    var x = seed
    return (0..<count).map { n in
      x = 1_664_525 &* x &+ 1_013_904_223
      let t = Double(n) / 44_100
      return Float(0.4 * sin(2 * .pi * 440 * t) + 0.2 * sin(2 * .pi * 9_000 * t))
        + 0.1 * Float(Double(x >> 8) / 16_777_216 - 0.5)
    }
  }

  @Test(
    "random chunks give exactly the whole-signal resampling",
    arguments: [
      (44_100, 22_050), (48_000, 22_050), (96_000, 22_050), (16_000, 22_050), (8_000, 22_050),
      (22_050, 16_000), (44_100, 48_000), (22_050, 22_050),
    ])
  func chunkingIsInvisible(source: Int, target: Int) throws {
    let input = Self.signal(30_011)
    let whole = try Resampler(from: source, to: target).resample(input)
    var streaming = try StreamingResampler(from: source, to: target)
    var generator = SplitMix(seed: UInt64(source + target))
    var output: [Float] = []
    var start = 0
    while start < input.count {
      // Chunks from 0 samples (allowed) to a few thousand.
      let size = min(input.count - start, Int(generator.next() % 3_000))
      output += try streaming.process(Array(input[start..<(start + size)]))
      start += size
      #expect(output.count <= whole.count)
    }
    output += streaming.finish()
    #expect(streaming.inputCount == input.count)
    #expect(output.count == whole.count)
    #expect(output == whole)
  }

  @Test("outputs are emitted as soon as their inputs have arrived, and memory stays bounded")
  func latencyAndMemory() throws {
    var streaming = try StreamingResampler(from: 44_100, to: 22_050)
    var emitted = 0
    for _ in 0..<50 {
      emitted += try streaming.process(Self.signal(4_410)).count
    }
    // 220 500 inputs → 110 250 outputs; output i needs inputs up to 2i + half, where half (182
    // inputs) is the look-ahead: 4.13 ms: 91 outputs wait for input that has not come yet.
    let half = Int((streaming.resampler.lookAheadSeconds * 44_100).rounded())
    #expect(half == 182)
    #expect(emitted == (220_500 - half + 1) / 2)
    #expect(emitted == 110_250 - 91)
    #expect(streaming.retainedInputCount < 4 * 4_410)
  }

  @Test("a NaN is refused with its index in the stream")
  func nonFinite() throws {
    var streaming = try StreamingResampler(from: 44_100, to: 22_050)
    _ = try streaming.process([0, 0, 0])
    #expect(throws: DSPError.nonFiniteSample(index: 4)) { try streaming.process([0, .nan]) }
  }
}
