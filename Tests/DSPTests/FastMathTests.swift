import Foundation
import TestSupport
import Testing

@testable import DSP

@Suite("FastMath")
struct FastMathTests {
  /// Normal floats spread over the whole exponent range, plus awkward mantissas.
  static let sweep: [Float] =
    (0...3000).map { Float(pow(10, -37.9 + Double($0) / 40)) }
    + [
      1, 2, 4, 0.25, 1.414_213_5, 1.414_213_7, 0.999_999_9, Float.leastNormalMagnitude,
      Float.greatestFiniteMagnitude,
    ]

  @Test("vector square root equals Float.squareRoot on every lane; negative lanes give NaN")
  func squareRootIsExact() {
    var values = Self.sweep + [0, 0, 0, Float.leastNormalMagnitude / 64, .infinity, 7, 0, 9, 2, -4, 3]
    let input = values
    let expected = input.map { $0.squareRoot() }
    values.withUnsafeMutableBufferPointer { squareRootInPlace($0.baseAddress!, count: $0.count) }
    let negative = values.count - 2
    for i in values.indices where i != negative {
      #expect(values[i].bitPattern == expected[i].bitPattern, "√\(input[i]) at \(i)")
    }
    #expect(values[negative].isNaN)
    #expect(values[Self.sweep.count + 4] == .infinity)
  }

  // 10·log10 via exponent split and an atanh series: within 2e-7 relative (about 2 float32
  // ulps) of Double log10, or 2e-6 dB near 0 dB.
  @Test("tenLog10 matches 10·log10 over the normal range")
  func logarithmAccuracy() {
    var i = 0
    let values = Self.sweep
    var worst = 0.0
    while i + 4 <= values.count {
      let v = SIMD4(values[i], values[i + 1], values[i + 2], values[i + 3])
      let db = tenLog10(v)
      for j in 0..<4 {
        let exact = 10 * log10(Double(values[i + j]))
        worst = max(worst, abs(Double(db[j]) - exact) / max(abs(exact), 10))
      }
      i += 4
    }
    #expect(worst < 2e-7, "worst scaled error \(worst)")
  }
}
