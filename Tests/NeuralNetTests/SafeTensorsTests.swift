import Foundation
import NeuralNet
import TestSupport
import Testing

@Suite("SafeTensors")
struct SafeTensorsTests {
  static let pythonTensors: [String: Tensor] = [
    "conv.weight": Tensor(shape: [2, 3, 2, 2], scalars: (0..<24).map { Float($0) * 0.5 - 3 }),
    "dense.bias": Tensor(shape: [4], scalars: [1.5, -2.25, 1e-8, 3.4e38]),
    "scalar": Tensor(shape: [], scalars: [7]),
    "empty": Tensor(zeros: [0, 3]),
  ]

  static let swiftTensors: [String: Tensor] = [
    "a.weight": Tensor(shape: [2, 3], scalars: (0..<6).map { Float($0) - 2.5 }),
    "b.bias": Tensor(shape: [3], scalars: [0.125, -1e-3, 6.5e4]),
  ]

  @Test("reads a file written by the Python safetensors package, metadata and dtypes included")
  func readsPython() throws {
    let file = try SafeTensorsFile(
      contentsOf: TestData.fixture("python_written.safetensors", in: Bundle.module))
    #expect(file.names == ["conv.weight", "dense.bias", "empty", "scalar", "steps"])
    #expect(file.metadata == ["format": "pt"])
    for (name, tensor) in Self.pythonTensors { #expect(try file.tensor(named: name) == tensor) }
    #expect(file.entries["steps"]?.dtype == "I64")
    #expect(throws: NeuralNetError.dtypeMismatch(name: "steps", expected: "F32", actual: "I64")) {
      try file.tensor(named: "steps")
    }
    #expect(throws: NeuralNetError.missingTensor(name: "nope")) { try file.tensor(named: "nope") }
  }

  @Test("our writer produces the same bytes as the Python package for F32 tensors")
  func writesLikePython() throws {
    let python = try Data(contentsOf: TestData.fixture("python_f32_only.safetensors", in: Bundle.module))
    #expect(SafeTensors.encode(Self.pythonTensors) == [UInt8](python))
  }

  @Test(
    "the committed Swift-written fixture is what we write (Scripts/torch_reference.py reads it with Python)")
  func swiftFixture() throws {
    let bytes = SafeTensors.encode(Self.swiftTensors, metadata: ["writer": "NeuralNet"])
    if ProcessInfo.processInfo.environment["NEURALNET_WRITE_FIXTURES"] == "1" {
      let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/swift_written.safetensors")
      try Data(bytes).write(to: url)
    }
    let committed = try Data(contentsOf: TestData.fixture("swift_written.safetensors", in: Bundle.module))
    #expect(bytes == [UInt8](committed))
    let reread = try SafeTensorsFile(bytes: bytes)
    #expect(try reread.tensors() == Self.swiftTensors)
    #expect(reread.metadata == ["writer": "NeuralNet"])
    let several = ["b": "2", "a": "1 \"quoted\"\n"]
    #expect(
      try SafeTensorsFile(bytes: SafeTensors.encode(Self.swiftTensors, metadata: several)).metadata == several
    )
  }

  @Test("a model's weights round-trip through a file")
  func modelRoundTrip() throws {
    let specs: [LayerSpec] = [
      .conv1D(filters: 3, kernel: 3), .batchNorm(), .relu, .flatten, .dense(units: 2),
    ]
    let a = try Sequential(inputShape: [2, 6], specs: specs, seed: 1)
    _ = a.forward(Sample.uniform([4, 2, 6], seed: 1), training: true)  // move the running stats
    let directory = try TestData.temporaryDirectory("safetensors")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("weights.safetensors")
    try a.saveWeights(to: url)
    let b = try Sequential(inputShape: [2, 6], specs: specs, seed: 2)
    #expect(a.stateDictionary() != b.stateDictionary())
    try b.loadWeights(from: SafeTensorsFile(contentsOf: url))
    #expect(a.stateDictionary() == b.stateDictionary())
    let other = try Sequential(
      inputShape: [2, 6], specs: [.conv1D(filters: 4, kernel: 3), .flatten, .dense(units: 2)])
    #expect(throws: NeuralNetError.self) { try other.loadWeights(from: SafeTensorsFile(contentsOf: url)) }
    #expect(throws: NeuralNetError.self) {
      try SafeTensorsFile(contentsOf: directory.appendingPathComponent("missing.safetensors"))
    }
  }

  /// A file from a length, a header string and a data buffer of `dataBytes` bytes.
  func file(header: String, dataBytes: Int, length: UInt64? = nil) -> [UInt8] {
    let h = Array(header.utf8)
    let n = length ?? UInt64(h.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + h
      + [UInt8](repeating: 0, count: dataBytes)
  }

  func expectMalformed(
    _ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    do {
      _ = try SafeTensorsFile(bytes: bytes)
      Issue.record("parsed a malformed file (\(fragment))", sourceLocation: sourceLocation)
    } catch {
      guard case .malformedSafeTensors(let reason) = error else {
        Issue.record("wrong error \(error)", sourceLocation: sourceLocation)
        return
      }
      #expect(reason.contains(fragment), "reason: \(reason)", sourceLocation: sourceLocation)
      #expect(error.description.contains("safetensors"), sourceLocation: sourceLocation)
    }
  }

  @Test("malformed files throw malformedSafeTensors without huge allocations")
  func malformed() {
    let ok = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
    #expect((try? SafeTensorsFile(bytes: file(header: ok, dataBytes: 8))) != nil)
    expectMalformed([1, 2, 3], "shorter than the 8-byte")
    expectMalformed(file(header: ok, dataBytes: 8, length: UInt64.max), "exceeds the limit")
    expectMalformed(file(header: ok, dataBytes: 8, length: 1 << 20), "exceeds the")
    expectMalformed(file(header: "[1, 2]", dataBytes: 0), "does not start with '{'")
    expectMalformed(file(header: "{\"a\": ", dataBytes: 0), "not a JSON object")
    expectMalformed(file(header: ok, dataBytes: 12), "cover 8 bytes but the data buffer holds 12")
    expectMalformed(
      file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}"#, dataBytes: 8), "outside")
    expectMalformed(
      file(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataBytes: 8), "needs 12 bytes"
    )
    expectMalformed(
      file(header: #"{"a":{"dtype":"Q9","shape":[2],"data_offsets":[0,8]}}"#, dataBytes: 8), "unknown dtype")
    expectMalformed(
      file(header: #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, dataBytes: 8), "negative")
    expectMalformed(
      file(
        header: #"{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}"#,
        dataBytes: 8),
      "larger than")
    expectMalformed(
      file(
        header:
          #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
        dataBytes: 12),
      "overlaps")
    expectMalformed(
      file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, dataBytes: 8), "gap")
    expectMalformed(file(header: #"{"a":{"dtype":"F32","shape":[2]}}"#, dataBytes: 8), "not a JSON object")
    expectMalformed(
      file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,9]}}"#, dataBytes: 8), "data_offsets"
    )
  }
}
