import DSP
import TestSupport
import Testing

@Suite("Framing")
struct FramingTests {
  // Framing copies samples, so frames must equal numpy's padding + librosa.util.frame exactly,
  // including pads longer than the 300-sample signal (768 / 2 = 384 > 299).
  @Test(
    "frames equal np.pad(mode) + librosa.util.frame for every pad mode",
    arguments: PadMode.allCases, [(64, 16), (768, 256), (63, 10)])
  func matchesLibrosa(mode: PadMode, shape: (Int, Int)) throws {
    let (length, hop) = shape
    let framing = try Framing(frameLength: length, hopLength: hop, padMode: mode)
    let frames = try framing.frames(Reference.signal("short"))
    let name = "frames_\(mode.rawValue)_\(length)_\(hop)"
    #expect(Reference.shape(name) == [frames.frameCount, length])
    #expect(frames.values == Reference.floats(name), "\(name)")
  }

  @Test("frame counts, streaming callback order, and errors")
  func countsAndErrors() throws {
    let framing = try Framing(frameLength: 2048, hopLength: 512)
    #expect(try framing.frameCount(signalLength: 661_794) == 1293)
    var seen: [Int] = []
    try [Float](repeating: 0.5, count: 5000).withUnsafeBufferPointer { x in
      try framing.forEachFrame(in: x) { t, frame in
        seen.append(t)
        #expect(frame.count == 2048)
      }
    }
    #expect(seen == Array(0..<10))
    let plain = try Framing(frameLength: 8, hopLength: 4, center: false)
    #expect(throws: DSPError.signalTooShort(length: 7, required: 8)) {
      try plain.frames([Float](repeating: 0, count: 7))
    }
    #expect(throws: DSPError.emptySignal) { try framing.frames([]) }
    #expect(throws: DSPError.nonFiniteSample(index: 2)) { try framing.frames([0, 0, .nan]) }
    #expect(throws: DSPError.invalidHopLength(0)) { try Framing(hopLength: 0) }
    #expect(throws: DSPError.self) { try Framing(frameLength: 0) }
  }
}
