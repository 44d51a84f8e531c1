import DSP
import Foundation
import TestSupport
import Testing

@Suite("Resampler")
struct ResamplerTests {
  // Tolerance 2e-6 absolute on signals of amplitude ≤ 1: the taps are the same float32 values
  // as scipy's; only the float32 summation order of ~40–140 products differs.
  @Test(
    "equals librosa.resample(res_type='polyphase') (scipy resample_poly + fix_length)",
    arguments: [
      ("noise", 44_100, 22_050), ("chirp", 22_050, 16_000), ("short", 48_000, 22_050),
      ("tone", 22_050, 44_100),
    ])
  func matchesLibrosa(signal: String, source: Int, target: Int) throws {
    let name = "resample_\(signal)_\(source)_\(target)"
    let meta = Reference.meta(name)
    let input = Array(Reference.signal(signal).prefix(meta["input_count"] as! Int))
    let resampler = try Resampler(from: source, to: target)
    let output = try resampler.resample(input)
    let expected = Reference.floats(name)
    #expect(output.count == resampler.outputCount(forInputCount: input.count))
    expectClose(output, expected, absolute: 2e-6, "\(name): \(discrepancy(output, expected))")
  }

  @Test("a low tone passes with unit gain; a tone above the new Nyquist is removed")
  func bandLimiting() throws {
    let resampler = try Resampler(from: 44_100, to: 22_050)
    let n = 44_100
    let low = (0..<n).map { Float(sin(2 * Double.pi * 1000 * Double($0) / 44_100)) }
    let high = (0..<n).map { Float(sin(2 * Double.pi * 15_000 * Double($0) / 44_100)) }
    let lowOut = try resampler.resample(low)
    let highOut = try resampler.resample(high)
    #expect(lowOut.count == 22_050 && highOut.count == 22_050)
    // Away from the edges (filter transients), compare with the ideal 1 kHz tone at 22 050 Hz.
    let ideal = (0..<22_050).map { Float(sin(2 * Double.pi * 1000 * Double($0) / 22_050)) }
    expectClose(Array(lowOut[500..<21_500]), Array(ideal[500..<21_500]), absolute: 2e-3)
    let leak = highOut[500..<21_500].map { abs($0) }.max()!
    #expect(leak < 1e-3, "15 kHz leaked at \(leak)")
  }

  @Test("equal rates return the input; bad rates and samples throw")
  func edgeCases() throws {
    #expect(try Resampler(from: 22_050, to: 22_050).resample([1, 2, 3]) == [1, 2, 3])
    #expect(try Resampler(from: 44_100, to: 22_050).up == 1)
    #expect(try Resampler(from: 48_000, to: 22_050).down == 320)
    #expect(throws: DSPError.invalidSampleRate(0)) { try Resampler(from: 0, to: 22_050) }
    #expect(throws: DSPError.invalidSampleRate(-5)) { try Resampler(from: 8000, to: -5) }
    #expect(throws: DSPError.emptySignal) { try Resampler(from: 8000, to: 16_000).resample([]) }
    #expect(throws: DSPError.nonFiniteSample(index: 1)) {
      try Resampler(from: 8000, to: 16_000).resample([0, .infinity])
    }
    #expect(throws: DSPError.self) { try Resampler(from: 1_000_003, to: 999_983) }
  }
}
