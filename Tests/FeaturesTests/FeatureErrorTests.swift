import DSP
import Features
import Testing

@Suite("FeatureError")
struct FeatureErrorTests {
  @Test("every case describes the problem and what to do")
  func descriptions() {
    let errors: [FeatureError] = [
      .emptySignal, .signalTooShort(length: 3, required: 9, feature: "delta"),
      .nonFiniteSample(index: 4), .invalidSampleRate(-1),
      .invalidParameter(name: "n_fft", value: "1", valid: "even"), .invalidRecipe("no columns"),
      .dsp(.invalidHopLength(0)),
    ]
    for error in errors {
      #expect(error.description.count > 20, "\(error)")
      #expect(error.description.contains(":"), "\(error)")
    }
  }
}
