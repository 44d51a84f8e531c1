import Foundation
import NeuralNet
import Testing

@Suite("LayerSpec")
struct LayerSpecTests {
  static let all: [LayerSpec] = [
    .conv2D(filters: 32, kernel: 3, stride: 1, padding: .same, initializer: .heNormal),
    .conv2D(filters: 8, kernel: Extent2D(3, 5), stride: Extent2D(1, 2)),
    .batchNorm(), .relu, .maxPool2D(size: 2), .maxPool2D(size: Extent2D(2, 4), stride: 1),
    .averagePool2D(size: 2), .globalAveragePooling, .dropout(rate: 0.3), .dense(units: 10),
    .conv1D(filters: 16, kernel: 5, stride: 2, padding: .valid), .maxPool1D(size: 2),
    .averagePool1D(size: 3, stride: 1), .leakyReLU(slope: 0.2), .flatten, .softmax,
  ]

  @Test("every case survives a JSON round trip")
  func roundTrip() throws {
    let data = try JSONEncoder().encode(Self.all)
    let decoded = try JSONDecoder().decode([LayerSpec].self, from: data)
    // Pool strides decode as explicit values equal to the default.
    let normalised = Self.all.map { spec -> LayerSpec in
      switch spec {
      case .maxPool2D(let size, nil): return .maxPool2D(size: size, stride: size)
      case .averagePool2D(let size, nil): return .averagePool2D(size: size, stride: size)
      case .maxPool1D(let size, nil): return .maxPool1D(size: size, stride: size)
      default: return spec
      }
    }
    #expect(decoded == normalised)
  }

  @Test("the documented JSON form decodes, with defaults for omitted arguments")
  func documentedForm() throws {
    let json = """
      [{"type": "conv2D", "filters": 32, "kernel": [3, 3], "padding": "same"},
       {"type": "conv2D", "filters": 4, "kernel": 5},
       {"type": "batchNorm"}, {"type": "maxPool2D", "size": [2, 2]}, {"type": "leakyReLU"},
       {"type": "dense", "units": 10, "initializer": "heNormal"}]
      """
    let specs = try JSONDecoder().decode([LayerSpec].self, from: Data(json.utf8))
    #expect(
      specs == [
        .conv2D(filters: 32, kernel: 3, stride: 1, padding: .same, initializer: .glorotUniform),
        .conv2D(filters: 4, kernel: Extent2D(5, 5)),
        .batchNorm(momentum: 0.1, epsilon: 1e-5), .maxPool2D(size: 2, stride: nil), .leakyReLU(slope: 0.01),
        .dense(units: 10, initializer: .heNormal),
      ])
    let encoded = String(
      decoding: try JSONEncoder().encode(LayerSpec.conv1D(filters: 2, kernel: 3)), as: UTF8.self)
    #expect(encoded.contains("\"type\":\"conv1D\""))
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(LayerSpec.self, from: Data(#"{"type":"lstm"}"#.utf8))
    }
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(LayerSpec.self, from: Data(#"{"type":"dense"}"#.utf8))
    }
  }

  @Test("shape inference follows PyTorch's output sizes and rejects impossible layers")
  func shapes() throws {
    #expect(
      try LayerSpec.conv2D(filters: 32, kernel: 3, padding: .same).outputShape(for: [1, 128, 130]) == [
        32, 128, 130,
      ])
    #expect(
      try LayerSpec.conv2D(filters: 8, kernel: 3, stride: 2).outputShape(for: [1, 9, 10]) == [8, 4, 4])
    #expect(
      try LayerSpec.conv2D(filters: 8, kernel: 3, stride: 2, padding: .same).outputShape(for: [1, 9, 10]) == [
        8, 5, 5,
      ])
    #expect(try LayerSpec.maxPool2D(size: 2).outputShape(for: [32, 129, 65]) == [32, 64, 32])
    #expect(try LayerSpec.globalAveragePooling.outputShape(for: [128, 8, 8]) == [128])
    #expect(throws: NeuralNetError.self) { try LayerSpec.dense(units: 10).outputShape(for: [4, 5]) }
    #expect(throws: NeuralNetError.self) {
      try LayerSpec.conv2D(filters: 4, kernel: 5).outputShape(for: [1, 3, 8])
    }
    #expect(throws: NeuralNetError.self) { try LayerSpec.dropout(rate: 1).outputShape(for: [4]) }
    #expect(throws: NeuralNetError.self) {
      try LayerSpec.conv1D(filters: 0, kernel: 3).outputShape(for: [1, 8])
    }
  }
}
