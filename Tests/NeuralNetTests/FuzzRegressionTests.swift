import NeuralNet
import Testing

/// Inputs found by the libFuzzer targets in Fuzz/ (see Scripts/fuzz.sh), replayed as tests.
@Suite("Fuzz regressions: NeuralNet specs")
struct NeuralNetFuzzRegressionTests {
  @Test("FuzzModelManifest: flattening filters near Int.max throws instead of trapping on overflow")
  func flattenOverflow() throws {
    let shape = try LayerSpec.conv1D(filters: 1 << 62, kernel: 1).outputShape(for: [1, 57])
    #expect(shape == [1 << 62, 57])
    #expect(throws: NeuralNetError.self) { try LayerSpec.flatten.outputShape(for: shape) }
    #expect(try LayerSpec.flatten.outputShape(for: [1 << 31, 1 << 31]) == [1 << 62])
  }

  @Test("FuzzModelManifest: kernels and strides near Int.max throw instead of trapping (same and valid)")
  func windowOverflow() {
    for padding in [ConvolutionPadding.same, .valid] {
      #expect(throws: NeuralNetError.self) {
        try LayerSpec.conv1D(filters: 4, kernel: .max, padding: padding).outputShape(for: [1, 57])
      }
      #expect(throws: NeuralNetError.self) {
        try LayerSpec.conv1D(filters: 4, kernel: 3, stride: .max, padding: padding).outputShape(for: [1, 57])
      }
      #expect(throws: NeuralNetError.self) {
        try LayerSpec.conv2D(filters: 4, kernel: Extent2D(1, .max), padding: padding)
          .outputShape(for: [1, 8, 57])
      }
    }
    #expect(throws: NeuralNetError.self) { try LayerSpec.maxPool1D(size: 2, stride: .max).outputShape(for: [1, 57]) }
  }
}
