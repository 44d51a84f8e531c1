import DSP
import Foundation
import TestSupport
import Testing

@Suite("RealFFTPlan")
struct RealFFTPlanTests {
  static let sizes = [
    8, 16, 32, 64, 128, 256, 512, 1024, 2048, 2, 4, 6, 10, 12, 18, 30, 100,
    1000, 1764, 2018,
  ]

  /// The largest |X[k]| of a split spectrum.
  static func maxMagnitude(_ re: [Float], _ im: [Float]) -> Double {
    zip(re, im).map { Double($0 * $0 + $1 * $1).squareRoot() }.max() ?? 0
  }

  // Tolerance: 1e-6 of the spectrum's largest magnitude. The reference is numpy's float64 rfft
  // of the same float32 input (stored as float32, ≤ 6e-8 relative); a float32 radix-4 FFT of
  // size ≤ 4096 accumulates O(ε·log N) error, measured ≤ 1.9e-7 of the largest bin here.
  @Test("bins match numpy.fft.rfft (float64) for power-of-two and other even sizes", arguments: sizes)
  func matchesNumpy(size: Int) throws {
    let plan = try RealFFTPlan(size: size)
    #expect(plan.usesFastPath == (size >= 8 && size & (size - 1) == 0))
    let input = Reference.floats("fft_in_\(size)")
    let expected = Reference.floats("fft_out_\(size)")
    let (re, im) = plan.forward(input)
    let expRe = stride(from: 0, to: expected.count, by: 2).map { expected[$0] }
    let expIm = stride(from: 1, to: expected.count, by: 2).map { expected[$0] }
    #expect(re.count == size / 2 + 1)
    let tol = 1e-6 * Self.maxMagnitude(expRe, expIm)
    expectClose(re, expRe, absolute: tol, "real, size \(size)")
    expectClose(im, expIm, absolute: tol, "imaginary, size \(size)")
  }

  /// A naive O(N²) DFT in Double, bins 0...N/2.
  static func naiveDFT(_ x: [Float]) -> (re: [Double], im: [Double]) {
    let n = x.count
    var re = [Double](repeating: 0, count: n / 2 + 1)
    var im = re
    for k in 0...(n / 2) {
      for (j, v) in x.enumerated() {
        let angle = -2 * Double.pi * Double((j * k) % n) / Double(n)
        re[k] += Double(v) * cos(angle)
        im[k] += Double(v) * sin(angle)
      }
    }
    return (re, im)
  }

  // Odd factors (3, 5, 7, 11, 13, large primes) go through the general path; a direct DFT in
  // Double is the independent reference. Same tolerance reasoning as above (Double internally,
  // so the error is the final float32 rounding: far below the bound).
  @Test(
    "general even sizes with odd factors match a naive DFT",
    arguments: [14, 22, 26, 42, 66, 198, 254, 2 * 257, 770])
  func matchesNaiveDFT(size: Int) throws {
    var generator = SplitMix(seed: UInt64(size))
    let x = (0..<size).map { _ in generator.nextFloat() }
    let (re, im) = try RealFFTPlan(size: size).forward(x)
    let (nre, nim) = Self.naiveDFT(x)
    let scale = zip(nre, nim).map { ($0 * $0 + $1 * $1).squareRoot() }.max()!
    expectClose(re, nre, absolute: 1e-6 * scale, "real, size \(size)")
    expectClose(im, nim, absolute: 1e-6 * scale, "imaginary, size \(size)")
  }

  @Test("the fast path matches a naive DFT too (independent of numpy)", arguments: [8, 32, 128, 512])
  func fastPathMatchesNaiveDFT(size: Int) throws {
    var generator = SplitMix(seed: 99)
    let x = (0..<size).map { _ in generator.nextFloat() }
    let (re, im) = try RealFFTPlan(size: size).forward(x)
    let (nre, nim) = Self.naiveDFT(x)
    let scale = zip(nre, nim).map { ($0 * $0 + $1 * $1).squareRoot() }.max()!
    expectClose(re, nre, absolute: 1e-6 * scale)
    expectClose(im, nim, absolute: 1e-6 * scale)
  }

  // Parseval for a real DFT: Σ x² = (|X₀|² + |X_{N/2}|² + 2 Σ_{0<k<N/2} |X_k|²) / N.
  // Tolerance 1e-5 relative: float32 sums of a few thousand positive terms.
  @Test("Parseval's identity holds for the power spectrum", arguments: [16, 2048, 4096, 1000, 30])
  func parseval(size: Int) throws {
    var generator = SplitMix(seed: 5)
    let x = (0..<size).map { _ in generator.nextFloat() }
    let plan = try RealFFTPlan(size: size)
    let workspace = plan.makeWorkspace()
    var power = [Float](repeating: -1, count: plan.binCount)
    x.withUnsafeBufferPointer { input in
      power.withUnsafeMutableBufferPointer { plan.powerSpectrum(input, into: $0, workspace: workspace) }
    }
    let energy = x.reduce(0.0) { $0 + Double($1) * Double($1) }
    var spectral = Double(power[0]) + Double(power[size / 2])
    for k in 1..<(size / 2) { spectral += 2 * Double(power[k]) }
    expectClose(spectral / Double(size), energy, relative: 1e-5)
  }

  @Test("power spectrum equals re² + im² of the complex spectrum")
  func powerMatchesComplex() throws {
    let plan = try RealFFTPlan(size: 2048)
    let x = Reference.floats("fft_in_2048")
    let (re, im) = plan.forward(x)
    var power = [Float](repeating: 0, count: plan.binCount)
    x.withUnsafeBufferPointer { input in
      power.withUnsafeMutableBufferPointer {
        plan.powerSpectrum(input, into: $0, workspace: plan.makeWorkspace())
      }
    }
    let expected = zip(re, im).map { $0 * $0 + $1 * $1 }
    expectClose(power, expected, absolute: 1e-6 * Double(expected.max()!))
  }

  @Test("a shared plan gives identical results from many threads at once")
  func threadSafety() async throws {
    let plan = try RealFFTPlan(size: 2048)
    let x = Reference.floats("fft_in_2048")
    let expected = plan.forward(x)
    let results = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<8 {
        group.addTask {
          let workspace = plan.makeWorkspace()
          var re = [Float](repeating: 0, count: plan.binCount)
          var im = re
          for _ in 0..<50 {
            x.withUnsafeBufferPointer { input in
              re.withUnsafeMutableBufferPointer { r in
                im.withUnsafeMutableBufferPointer { i in
                  plan.forward(input, real: r, imaginary: i, workspace: workspace)
                }
              }
            }
          }
          return re == expected.real && im == expected.imaginary
        }
      }
      return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(results.count == 8 && results.allSatisfy { $0 })
  }

  @Test(
    "odd, zero, negative and huge sizes throw invalidFFTSize",
    arguments: [0, 1, 3, 2047, -2, 1 << 21, (1 << 18) + 2, Int.max - 1])
  func badSizes(size: Int) {
    #expect(throws: DSPError.invalidFFTSize(size)) { try RealFFTPlan(size: size) }
  }
}
