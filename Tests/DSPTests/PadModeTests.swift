import DSP
import Testing

@Suite("PadMode")
struct PadModeTests {
  @Test("pad-mode index mapping on [a b c d]")
  func padModes() {
    let indices = { (mode: PadMode) in (-3...6).map { mode.sourceIndex($0, length: 4) } }
    #expect(indices(.constant) == [nil, nil, nil, 0, 1, 2, 3, nil, nil, nil])
    #expect(indices(.edge) == [0, 0, 0, 0, 1, 2, 3, 3, 3, 3])
    #expect(indices(.reflect) == [3, 2, 1, 0, 1, 2, 3, 2, 1, 0])
    #expect(indices(.symmetric) == [2, 1, 0, 0, 1, 2, 3, 3, 2, 1])
    #expect(PadMode.reflect.sourceIndex(-5, length: 1) == 0)
  }

  @Test("padding longer than the signal continues the numpy pattern")
  func longPadding() {
    // [a b c]: reflect period 4 (a b c b), symmetric period 6 (a b c c b a).
    #expect((-6...(-1)).map { PadMode.reflect.sourceIndex($0, length: 3)! } == [2, 1, 0, 1, 2, 1])
    #expect((-6...(-1)).map { PadMode.symmetric.sourceIndex($0, length: 3)! } == [0, 1, 2, 2, 1, 0])
    #expect(PadMode.edge.sourceIndex(1_000, length: 3) == 2)
  }
}
