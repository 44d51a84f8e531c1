import DSP
import TestSupport
import Testing

@Suite("ShortTimeFourierTransform")
struct ShortTimeFourierTransformTests {
  /// The STFT described by a fixture's librosa parameters.
  static func stft(for params: [String: Any]) throws -> ShortTimeFourierTransform {
    let window: Window
    switch params["window"] as? String ?? "hann" {
    case "hamming": window = .hamming
    case "blackman": window = .blackman
    default: window = .hann
    }
    return try ShortTimeFourierTransform(
      fftSize: params["n_fft"] as! Int, hopLength: params["hop_length"] as? Int,
      windowLength: params["win_length"] as? Int, window: window,
      center: params["center"] as? Bool ?? true,
      padMode: PadMode(rawValue: params["pad_mode"] as? String ?? "constant")!)
  }

  // Cases: noise, silence and a 300-sample signal with pad_mode constant; noise, clicks and the
  // short signal with reflect (its 1024-sample padding wraps several times); win_length 800 +
  // Hamming; center=False; n_fft 1000 (general FFT path); Blackman 512.
  // Tolerance: 1e-6 of the largest |X| in the reference frames. The reference is librosa.stft on
  // the same samples in float64 (stored as float32); our float32 FFT's rounding error grows like
  // ε·log N relative to the spectrum's scale, measured ≤ 1.6e-7 here.
  @Test("complex STFT matches librosa.stft frame by frame, both pad modes", arguments: 0..<10)
  func matchesLibrosa(index: Int) throws {
    let meta = Reference.meta("stft_\(index)_re")
    let params = meta["params"] as! [String: Any]
    let signal = Reference.signal(meta["signal"] as! String)
    let frames = meta["frames"] as! [Int]
    let stft = try Self.stft(for: params)
    let result = try stft.complex(signal)
    #expect(result.frameCount == meta["frame_count"] as! Int)
    #expect(try stft.frameCount(signalLength: signal.count) == result.frameCount)
    #expect(result.binCount == stft.binCount)
    let bins = stft.binCount
    let expRe = Reference.transpose(Reference.floats("stft_\(index)_re"), rows: bins, columns: frames.count)
    let expIm = Reference.transpose(Reference.floats("stft_\(index)_im"), rows: bins, columns: frames.count)
    let ours = { (values: [Float]) in frames.flatMap { values[($0 * bins)..<(($0 + 1) * bins)] } }
    let scale = zip(expRe, expIm).map { Double($0 * $0 + $1 * $1).squareRoot() }.max()!
    let comment = Comment(rawValue: "case \(index): \(meta["signal"]!) \(params)")
    expectClose(ours(result.real), expRe, absolute: 1e-6 * scale, comment)
    expectClose(ours(result.imaginary), expIm, absolute: 1e-6 * scale, comment)

    // Power: |X|² with tolerance 2e-6 of the largest power (twice the amplitude bound; measured
    // ≤ 2.8e-7), and magnitude = √power.
    let power = try stft.power(signal)
    let expPower = zip(expRe, expIm).map { Double($0) * Double($0) + Double($1) * Double($1) }
    expectClose(ours(power.values), expPower, absolute: 2e-6 * scale * scale, comment)
    let magnitude = try stft.magnitude(signal)
    // Magnitude: the vector square root is within 2 float32 ulps (2.4e-7 relative).
    expectClose(
      magnitude.values, power.values.map { Double($0).squareRoot() }, relative: 2.4e-7, comment)
  }

  @Test("frame counts follow librosa: 1 + len/hop centred, 1 + (len - n_fft)/hop otherwise")
  func frameCounts() throws {
    let centred = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512)
    #expect(try centred.frameCount(signalLength: 661_794) == 1293)
    #expect(try centred.frameCount(signalLength: 1) == 1)
    #expect(try centred.frameCount(signalLength: 511) == 1)
    #expect(try centred.frameCount(signalLength: 512) == 2)
    let plain = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512, center: false)
    #expect(try plain.frameCount(signalLength: 2048) == 1)
    #expect(try plain.frameCount(signalLength: 2559) == 1)
    #expect(try plain.frameCount(signalLength: 2560) == 2)
    #expect(centred.hopLength == 512 && centred.binCount == 1025)
    #expect(try ShortTimeFourierTransform(fftSize: 1024, windowLength: 800).hopLength == 200)
  }

  // The padded STFT frames are exactly Framing's frames (checked against numpy above for all
  // modes), windowed and transformed: so edge and symmetric padding follow numpy too.
  @Test(
    "every pad mode: STFT rows equal the power of the windowed Framing frames", arguments: PadMode.allCases)
  func padModesAgreeWithFraming(mode: PadMode) throws {
    let signal = Reference.signal("short")
    let stft = try ShortTimeFourierTransform(fftSize: 64, hopLength: 16, padMode: mode)
    let framing = try Framing(frameLength: 64, hopLength: 16, padMode: mode)
    let power = try stft.power(signal)
    let frames = try framing.frames(signal)
    #expect(power.frameCount == frames.frameCount)
    let plan = try RealFFTPlan(size: 64)
    for t in [0, 1, power.frameCount - 1] {
      let windowed = zip(frames.frame(t), stft.window).map { $0 * $1 }
      let (re, im) = plan.forward(windowed)
      let expected = zip(re, im).map { $0 * $0 + $1 * $1 }
      expectClose(
        Array(power.frame(t)), expected, absolute: 1e-6 * Double(expected.max()!), "\(mode) frame \(t)")
    }
  }

  @Test("a one-sample signal reflect-pads to a constant, as numpy.pad does")
  func oneSampleReflect() throws {
    let stft = try ShortTimeFourierTransform(fftSize: 16, hopLength: 4, padMode: .reflect)
    let power = try stft.power([0.5])
    let plan = try RealFFTPlan(size: 16)
    let frame = stft.window.map { $0 * 0.5 }
    let (re, im) = plan.forward(frame)
    #expect(power.frameCount == 1)
    expectClose(power.values, zip(re, im).map { $0 * $0 + $1 * $1 }, absolute: 1e-6)
  }

  @Test("streaming: the power of a caller-given frame equals that frame's STFT row")
  func singleFrameMatchesRow() throws {
    let signal = Reference.signal("noise")
    let stft = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512)
    let full = try stft.power(signal)
    let workspace = stft.makeWorkspace()
    var row = [Float](repeating: 0, count: stft.binCount)
    for t in [2, 5, 9] {
      // Frame t of a centred STFT starts at t·hop − n_fft/2 in the signal.
      let start = t * 512 - 1024
      Array(signal[start..<(start + 2048)]).withUnsafeBufferPointer { frame in
        row.withUnsafeMutableBufferPointer {
          stft.powerSpectrum(ofFrame: frame, into: $0, workspace: workspace)
        }
      }
      #expect(row == Array(full.frame(t)), "frame \(t)")
    }
  }

  // The whole-signal path transforms four frames per pass and writes the four rows straight
  // from registers; the single-frame path stores one lane through a buffer. Same arithmetic
  // per lane, so the rows must agree exactly, for every lane, partial last quads and small sizes.
  @Test("every power and magnitude row equals the single-frame result", arguments: [16, 32, 256, 2048])
  func everyRowMatchesSingleFrame(fftSize: Int) throws {
    let hop = fftSize / 4 + 1
    let x: [Float] = (0..<(25 * hop + 5)).map { i in Float(i % 89) / 89 - 0.5 + Float(i % 5) * 0.02 }
    let stft = try ShortTimeFourierTransform(fftSize: fftSize, hopLength: hop, padMode: .reflect)
    let power = try stft.power(x)
    let magnitude = try stft.magnitude(x)
    let frames = try Framing(frameLength: fftSize, hopLength: hop, padMode: .reflect).frames(x)
    #expect(frames.frameCount == power.frameCount && power.frameCount % 4 != 0)
    let workspace = stft.makeWorkspace()
    var row = [Float](repeating: 0, count: stft.binCount)
    for t in 0..<frames.frameCount {
      Array(frames.frame(t)).withUnsafeBufferPointer { frame in
        row.withUnsafeMutableBufferPointer {
          stft.powerSpectrum(ofFrame: frame, into: $0, workspace: workspace)
        }
      }
      #expect(Array(power.frame(t)) == row, "power frame \(t)")
      #expect(Array(magnitude.frame(t)) == row.map { $0.squareRoot() }, "magnitude frame \(t)")
    }
  }

  @Test("streaming: the complex spectrum of a caller-given frame equals that frame's STFT column")
  func singleFrameComplexMatchesColumn() throws {
    let signal = Reference.signal("chirp")
    let stft = try ShortTimeFourierTransform(fftSize: 1024, hopLength: 256)
    let full = try stft.complex(signal)
    let workspace = stft.makeWorkspace()
    var re = [Float](repeating: 0, count: stft.binCount)
    var im = re
    let t = 7
    let start = 7 * 256 - 512
    Array(signal[start..<(start + 1024)]).withUnsafeBufferPointer { frame in
      re.withUnsafeMutableBufferPointer { r in
        im.withUnsafeMutableBufferPointer { i in
          stft.spectrum(ofFrame: frame, real: r, imaginary: i, workspace: workspace)
        }
      }
    }
    #expect(re == Array(full.real[(t * stft.binCount)..<((t + 1) * stft.binCount)]))
    #expect(im == Array(full.imaginary[(t * stft.binCount)..<((t + 1) * stft.binCount)]))
  }

  @Test("one STFT value shared by concurrent tasks gives identical spectrograms")
  func concurrentUse() async throws {
    let stft = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512, padMode: .reflect)
    let signal = Reference.signal("noise")
    let expected = try stft.power(signal)
    let matches = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<6 {
        group.addTask { (try? stft.power(signal)) == expected }
      }
      return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(matches.count == 6 && matches.allSatisfy { $0 })
  }

  @Test("bad inputs throw typed errors")
  func badInputs() throws {
    let stft = try ShortTimeFourierTransform(fftSize: 64, hopLength: 16)
    #expect(throws: DSPError.emptySignal) { try stft.power([]) }
    var signal = [Float](repeating: 0.1, count: 200)
    signal[137] = .nan
    #expect(throws: DSPError.nonFiniteSample(index: 137)) { try stft.power(signal) }
    signal[137] = 0
    signal[3] = -.infinity
    #expect(throws: DSPError.nonFiniteSample(index: 3)) { try stft.complex(signal) }
    let plain = try ShortTimeFourierTransform(fftSize: 64, hopLength: 16, center: false)
    #expect(throws: DSPError.signalTooShort(length: 63, required: 64)) {
      try plain.power([Float](repeating: 0, count: 63))
    }
    #expect(throws: DSPError.invalidFFTSize(1)) { try ShortTimeFourierTransform(fftSize: 1) }
    #expect(throws: DSPError.invalidFFTSize(0)) { try ShortTimeFourierTransform(fftSize: 0) }
    #expect(throws: DSPError.invalidHopLength(0)) { try ShortTimeFourierTransform(fftSize: 64, hopLength: 0) }
    #expect(throws: DSPError.invalidHopLength(0)) { try ShortTimeFourierTransform(fftSize: 2) }
    #expect(throws: DSPError.invalidWindowLength(windowLength: 65, fftSize: 64)) {
      try ShortTimeFourierTransform(fftSize: 64, windowLength: 65)
    }
  }
}

@Suite("ShortTimeFourierTransform limits")
struct ShortTimeFourierTransformLimitTests {
  @Test("an output above 2^28 values is refused before allocating")
  func hugeOutput() throws {
    let stft = try ShortTimeFourierTransform(fftSize: 1 << 20, hopLength: 1)
    let signal = [Float](repeating: 0, count: 600)
    #expect(throws: DSPError.self) { try stft.power(signal) }
  }
  @Test("complex STFT with power and magnitude equals the three computed separately",
    arguments: [2048, 1000])
  func complexWithPower(_ fftSize: Int) throws {
    let stft = try ShortTimeFourierTransform(fftSize: fftSize, hopLength: 300, padMode: .reflect)
    let x: [Float] = (0..<7_001).map { i in Float(i % 97) / 97 - 0.5 + Float(i % 7) * 0.01 }
    let (complex, power, magnitude) = try stft.complexWithPower(x)
    let alone = try stft.complex(x)
    #expect(complex.real == alone.real)
    #expect(complex.imaginary == alone.imaginary)
    let expected = zip(alone.real, alone.imaginary).map { $0 * $0 + $1 * $1 }
    #expect(power.values == expected)
    #expect(magnitude.values == expected.map { $0.squareRoot() })
    #expect(power.frameCount == alone.frameCount && magnitude.binCount == alone.binCount)
  }
}
