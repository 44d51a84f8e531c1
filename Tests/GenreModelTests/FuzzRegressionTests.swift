import Foundation
@testable import GenreModel
import NeuralNet
import Testing

/// Inputs found by the libFuzzer targets in Fuzz/ (see Scripts/fuzz.sh), replayed as tests.
@Suite("Fuzz regressions: GenreModel parsers")
struct GenreModelFuzzRegressionTests {
  @Test("FuzzSplitList: CRLF line ends separate paths (\\r\\n is one Swift Character)")
  func splitListCRLF() throws {
    let split = try SplitList(text: "jazz/jazz.00002.wav\r\npop/pop.00003.wav\r\n")
    #expect(split.paths == ["jazz/jazz.00002.wav", "pop/pop.00003.wav"])
    let mixed = try SplitList(text: "# c\ra.wav\r\rb.wav\n\r\nc.wav")
    #expect(mixed.paths == ["a.wav", "b.wav", "c.wav"])
  }

  @Test("FuzzSplitList: whitespace other than space and tab inside a path is rejected with its line")
  func splitListOtherWhitespace() {
    for text in ["a.wav\nb\u{A0}c.wav\n", "a.wav\r\nb\u{3000}.wav", "a.wav\nb\u{2003}.wav"] {
      #expect(throws: ModelError.self) { try SplitList(text: text) }
      do {
        _ = try SplitList(text: text)
      } catch {
        guard case .malformedSplit(_, let line, _) = error else {
          Issue.record("unexpected error \(error)")
          continue
        }
        #expect(line == 2)
      }
    }
  }
}

@Suite("Fuzz regressions: model.json")
struct ManifestFuzzRegressionTests {
  /// The small bundle's manifest with `edit` applied, encoded and decoded again as `model.json` is.
  func manifest(_ edit: (inout ModelManifest) -> Void) throws -> ModelManifest {
    var manifest = try makeSmallBundle().manifest
    edit(&manifest)
    return try JSONDecoder().decode(ModelManifest.self, from: JSONEncoder().encode(manifest))
  }

  @Test("FuzzModelManifest: an input shape whose product overflows Int is inconsistent, not a trap")
  func inputShapeOverflow() throws {
    let huge = try manifest { $0.inputShape = [1 << 32, 1 << 32] }
    #expect(throws: ModelError.self) { try huge.validate() }
    let wrapping = try manifest { $0.inputShape = [1 << 62, 4, 4] }  // 2^66 wraps to 0 without checks
    #expect(throws: ModelError.self) { try wrapping.validate() }
  }

  @Test("FuzzModelManifest: a conv1D with 2^62 filters before flatten is inconsistent, not a trap")
  func flattenOverflow() throws {
    let hostile = try manifest {
      $0.inputShape = [1, 4]
      $0.architecture = [.conv1D(filters: 1 << 62, kernel: 1), .flatten, .dense(units: 3)]
    }
    #expect(throws: ModelError.self) { try hostile.validate() }
  }
}

@Suite("Fuzz regressions: model bundles")
struct BundleFuzzRegressionTests {
  @Test("FuzzModelManifest: a 2^34-unit layer is rejected against the stored weights before allocating")
  func hugeLayerNotAllocated() throws {
    let small = try makeSmallBundle()
    var manifest = small.manifest
    manifest.architecture = [.dense(units: 1 << 34), .relu, .dense(units: 3)]
    try manifest.validate()  // the shapes alone are consistent
    #expect(throws: ModelError.self) { try ModelBundle(manifest: manifest, weights: small.weights) }
    manifest.architecture = [.dense(units: 1 << 62), .dense(units: 3)]  // 4 × 2^62 overflows
    #expect(throws: ModelError.self) { try ModelBundle(manifest: manifest, weights: small.weights) }
    // The real bundle still loads: its kernels (4·5 + 5·3) fit the stored 20 + 5 + 15 + 3 scalars.
    #expect(ModelBundle.kernelScalarCount(small.manifest) == 35)
    _ = try ModelBundle(manifest: small.manifest, weights: small.weights)
  }
}

@Suite("Fuzz regressions: split lists and combining marks")
struct SplitListCombiningFuzzRegressionTests {
  @Test("FuzzSplitList: a comma, space or '#' followed by a combining mark is still seen")
  func combiningMarks() throws {
    // The fuzzer's input: "," + U+064B ARABIC FATHATAN + U+0008 is one Character, not ",".
    #expect(throws: ModelError.self) { try SplitList(text: ",\u{064B}\u{08}") }
    #expect(throws: ModelError.self) { try SplitList(text: "a.wav\nb \u{0301}c.wav") }
    let split = try SplitList(text: "#\u{0301} comment, with spaces\nblues.00000.wav\n")
    #expect(split.paths == ["blues.00000.wav"])
  }
}
