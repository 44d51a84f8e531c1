import DSP
import TestSupport
import Testing

@Suite("Window")
struct WindowTests {
  static let names: [(Window, String)] = [(.hann, "hann"), (.hamming, "hamming"), (.blackman, "blackman")]

  // Tolerance: our window is computed in Double and rounded once to Float, scipy's float64 value
  // is rounded once to float32 in the fixture; both roundings of nearly equal doubles agree to
  // one float32 ulp (≤ 6e-8 for values ≤ 1).
  @Test(
    "periodic and symmetric windows equal scipy/librosa get_window to one float32 ulp",
    arguments: [1, 2, 7, 16, 1000, 2048])
  func matchesScipy(length: Int) throws {
    for (window, name) in Self.names where length != 2048 || window == .hann {
      let periodic = try window.samples(length: length, periodic: true)
      expectClose(
        periodic, Reference.floats("window_\(name)_periodic_\(length)"), absolute: 6e-8,
        "\(name) periodic \(length)")
      let symmetric = try window.samples(length: length, periodic: false)
      expectClose(
        symmetric, Reference.floats("window_\(name)_symmetric_\(length)"), absolute: 6e-8,
        "\(name) symmetric \(length)")
    }
  }

  @Test("known values: periodic Hann of 4 is [0, 0.5, 1, 0.5]; symmetric Hann ends in zeros")
  func knownValues() throws {
    #expect(try Window.hann.samples(length: 4) == [0, 0.5, 1, 0.5])
    let symmetric = try Window.hann.samples(length: 5, periodic: false)
    #expect(symmetric == [0, 0.5, 1, 0.5, 0])
    #expect(try Window.rectangular.samples(length: 3) == [1, 1, 1])
    #expect(try Window.hamming.samples(length: 1) == [1])
  }

  @Test("padCentered places the window as librosa.util.pad_center (left = (size - n) / 2)")
  func padCenteredMatchesLibrosa() throws {
    for n in [800, 801] {
      let padded = try Window.padCentered(Window.hann.samples(length: n), to: 1024)
      expectClose(padded, Reference.floats("window_hann_padded_\(n)_1024"), absolute: 6e-8)
    }
    #expect(try Window.padCentered([1, 2, 3], to: 6) == [0, 1, 2, 3, 0, 0])
  }

  @Test("bad lengths throw invalidWindowLength")
  func badLengths() {
    #expect(throws: DSPError.invalidWindowLength(windowLength: 0, fftSize: 0)) {
      try Window.hann.samples(length: 0)
    }
    #expect(throws: DSPError.invalidWindowLength(windowLength: 4, fftSize: 3)) {
      try Window.padCentered([1, 1, 1, 1], to: 3)
    }
  }
}
