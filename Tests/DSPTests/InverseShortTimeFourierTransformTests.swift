import DSP
import Foundation
import TestSupport
import Testing

@Suite("Inverse STFT")
struct InverseShortTimeFourierTransformTests {
  /// librosa.istft written out in Double: a direct inverse real DFT per frame (imaginary parts
  /// of DC and Nyquist ignored, as numpy's irfft), windowed overlap-add, division by the summed
  /// squared window where it exceeds float32's tiny, centre trim, then cut or zero-extension to
  /// `length` (without `length`: hop·(frames − 1) samples when centred).
  static func reference(
    _ x: ComplexSpectrogram, window w: [Float], hop: Int, center: Bool, length: Int?
  ) -> [Double] {
    let n = w.count
    let full = n + hop * (x.frameCount - 1)
    var y = [Double](repeating: 0, count: full)
    var s = [Double](repeating: 0, count: full)
    for t in 0..<x.frameCount {
      let re = x.real[(t * x.binCount)...].prefix(x.binCount).map(Double.init)
      let im = x.imaginary[(t * x.binCount)...].prefix(x.binCount).map(Double.init)
      for m in 0..<n {
        let nyquistSign: Double = m % 2 == 0 ? 1 : -1
        var v: Double = re[0] + re[n / 2] * nyquistSign
        for k in 1..<(n / 2) {
          let angle: Double = 2 * Double.pi * Double(k * m) / Double(n)
          let c: Double = re[k] * cos(angle)
          let d: Double = im[k] * sin(angle)
          v += 2 * (c - d)
        }
        let wm = Double(w[m])
        y[t * hop + m] += wm * v / Double(n)
        s[t * hop + m] += wm * wm
      }
    }
    let normalised = zip(y, s).map { $1 > Double(Float.leastNormalMagnitude) ? $0 / $1 : $0 }
    let start = center ? n / 2 : 0
    let natural = Array(normalised[start..<(full - start)])
    guard let length else { return natural }
    let tail = Array(normalised[start...])
    return Array(tail.prefix(length)) + [Double](repeating: 0, count: max(0, length - tail.count))
  }

  @Test("istft equals the direct definition for any hop, centring and length",
    arguments: [(4, true), (5, false), (16, true), (20, true), (20, false)])
  func definition(_ hop: Int, _ center: Bool) throws {
    let stft = try ShortTimeFourierTransform(fftSize: 16, hopLength: hop, center: center)
    var state: UInt32 = 7
    let x: [Float] = (0..<203).map { _ in
      state = state &* 1_664_525 &+ 1_013_904_223
      return Float(Int32(bitPattern: state)) / Float(Int32.max)
    }
    let spectrum = try stft.complex(x)
    for length in [nil, 0, 50, x.count, x.count + 37] as [Int?] {
      let got = try stft.inverse(spectrum, length: length)
      let expected = Self.reference(spectrum, window: stft.window, hop: hop, center: center, length: length)
      expectClose(got, expected, absolute: 2e-6, relative: 1e-5, "hop \(hop), length \(String(describing: length))")
    }
  }

  @Test("the remainder of the analysed signal equals the inverse of the rest of the spectrum",
    arguments: [(4, true), (5, false), (16, true), (20, false)])
  func remainder(_ hop: Int, _ center: Bool) throws {
    // Hop 20 > n_fft 16 leaves samples no frame covers (window sum 0: the unnormalised branch).
    let stft = try ShortTimeFourierTransform(fftSize: 16, hopLength: hop, center: center)
    var state: UInt32 = 9
    let x: [Float] = (0..<203).map { _ in
      state = state &* 1_664_525 &+ 1_013_904_223
      return Float(Int32(bitPattern: state)) / Float(Int32.max)
    }
    let spectrum = try stft.complex(x)
    let bins = stft.binCount
    func scaled(_ f: (Int) -> Float) -> ComplexSpectrogram {
      var part = spectrum
      for i in part.real.indices {
        part.real[i] *= f(i % bins)
        part.imaginary[i] *= f(i % bins)
      }
      return part
    }
    let (a, b) = (scaled { Float($0 + 1) / Float(bins + 3) }, scaled { 0.25 * Float($0 % 3) })
    let rest = scaled { 1 - Float($0 + 1) / Float(bins + 3) - 0.25 * Float($0 % 3) }
    for length in [nil, 0, 50] as [Int?] {
      let outputs = try x.withUnsafeBufferPointer { signal in
        try stft.inverse(frameCount: spectrum.frameCount, partCount: 2, length: length, remainderOf: signal) {
          t, count, re, im in
          for (p, part) in [a, b].enumerated() {
            for j in 0..<count {
              for k in 0..<bins {
                re[(4 * p + j) * bins + k] = part.real[(t + j) * bins + k]
                im[(4 * p + j) * bins + k] = part.imaginary[(t + j) * bins + k]
              }
            }
          }
          return 0b11
        }
      }
      #expect(outputs.count == 3)
      #expect(outputs[0] == (try stft.inverse(a, length: length)))
      #expect(outputs[1] == (try stft.inverse(b, length: length)))
      // Against the definition in Double: where the window sum is small the float inverse of
      // `rest` loses digits that the signal itself keeps.
      let expected = Self.reference(rest, window: stft.window, hop: hop, center: center, length: length)
      expectClose(outputs[2], expected, absolute: 2e-6, relative: 1e-5, "hop \(hop), length \(String(describing: length))")
    }
  }
}
