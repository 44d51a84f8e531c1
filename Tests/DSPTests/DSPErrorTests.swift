import DSP
import Testing

@Suite("DSPError")
struct DSPErrorTests {
  @Test("every case describes the problem and what to do")
  func descriptions() {
    let cases: [DSPError] = [
      .emptySignal, .signalTooShort(length: 3, required: 2048), .nonFiniteSample(index: 7),
      .invalidFFTSize(3), .invalidHopLength(0), .invalidWindowLength(windowLength: 9, fftSize: 8),
      .invalidSampleRate(0), .frequencyAboveNyquist(frequency: 12_000, nyquist: 11_025),
      .invalidFrequencyRange(minimum: 5, maximum: 1),
      .invalidCount(name: "melCount", value: 0, valid: ">= 1"),
      .invalidParameter(name: "amin", value: 0, valid: "> 0"),
      .shapeMismatch(expected: "1025 bins", actual: "513"),
    ]
    for error in cases {
      #expect(error.description.count > 20, "\(error)")
    }
    #expect(DSPError.nonFiniteSample(index: 7).description.contains("7"))
    #expect(DSPError.frequencyAboveNyquist(frequency: 12_000, nyquist: 11_025).description.contains("11025"))
  }
}
