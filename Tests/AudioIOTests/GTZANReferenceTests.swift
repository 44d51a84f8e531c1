import AudioIO
import Foundation
import TestSupport
import Testing

/// One clip's reference values from `Scripts/audio_reference.py gtzan` (soundfile, dtype float32).
struct GTZANReference: Decodable {
  var file: String
  var frames: Int
  var sampleRate: Int
  var channels: Int
  var sum: Double
  var sumOfSquares: Double
  var positions: [Int]
  var samples: [Double]
}

private struct GTZANReferenceFile: Decodable {
  var files: [GTZANReference]
}

@Suite("Real GTZAN clips decode exactly as soundfile does")
struct GTZANReferenceTests {
  static func references() throws -> [GTZANReference] {
    let url = TestData.fixture("gtzan_reference.json", in: .module)
    return try JSONDecoder().decode(GTZANReferenceFile.self, from: Data(contentsOf: url)).files
  }

  @Test("the committed reference covers the 10-clip sample")
  func fixtureShape() throws {
    let references = try Self.references()
    #expect(references.count == 10)
    #expect(references.allSatisfy { $0.positions.count == $0.samples.count && $0.samples.count == 300 })
  }

  @Test(
    "frames, rate, channels, sums and 300 samples per clip match soundfile",
    .requiresGTZAN)
  func matchesSoundfile() throws {
    let directory = try #require(TestData.gtzanAudioDirectory)
    for reference in try Self.references() {
      let url = directory.appendingPathComponent(reference.file)
      let decoded = try AudioDecoder.decode(contentsOf: url)
      #expect(decoded.info.frameCount == reference.frames, "\(reference.file)")
      #expect(decoded.info.sampleRate == reference.sampleRate, "\(reference.file)")
      #expect(decoded.info.channelCount == reference.channels, "\(reference.file)")
      #expect(try AudioDecoder.formatInfo(contentsOf: url) == decoded.info, "\(reference.file)")
      var sum = 0.0
      var sumOfSquares = 0.0
      for channel in decoded.buffer.channels {
        for x in channel {
          sum += Double(x)
          sumOfSquares += Double(x) * Double(x)
        }
      }
      // The samples are identical; only the summation order differs from numpy's (pairwise).
      expectClose(sum, reference.sum, absolute: 1e-6, relative: 1e-9, "sum of \(reference.file)")
      expectClose(sumOfSquares, reference.sumOfSquares, relative: 1e-9, "sum of squares of \(reference.file)")
      let picked = reference.positions.map { decoded.buffer.channels[0][$0] }
      expectClose(picked, reference.samples, absolute: 0, "samples of \(reference.file)")
    }
  }
}
