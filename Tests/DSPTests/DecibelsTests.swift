import DSP
import Foundation
import TestSupport
import Testing

@Suite("Decibels")
struct DecibelsTests {
  // Tolerance 2e-5 dB absolute: float32 log10 of float32 values (≤ 1 ulp ≈ 6e-8 relative →
  // 2.6e-7 dB) on values up to ±100 dB whose float32 spacing is 7.6e-6.
  @Test("power_to_db matches librosa for ref 1 / max / 0.5, amin, top_db and None")
  func powerToDB() throws {
    let power = Reference.floats("db_in_power")
    expectClose(try Decibels.powerToDecibels(power), Reference.floats("db_power_ref1"), absolute: 2e-5)
    expectClose(
      try Decibels.powerToDecibels(power, reference: .maximum),
      Reference.floats("db_power_refmax"), absolute: 2e-5)
    expectClose(
      try Decibels.powerToDecibels(power, reference: .value(0.5), topDB: nil),
      Reference.floats("db_power_ref_0.5_notop"), absolute: 2e-5)
    expectClose(
      try Decibels.powerToDecibels(power, amin: 1e-4, topDB: 40),
      Reference.floats("db_power_amin_1e-4_top40"), absolute: 2e-5)
  }

  @Test("amplitude_to_db matches librosa for ref 1 and max")
  func amplitudeToDB() throws {
    let magnitude = Reference.floats("db_in_magnitude")
    expectClose(
      try Decibels.amplitudeToDecibels(magnitude), Reference.floats("db_amplitude_ref1"),
      absolute: 2e-5)
    expectClose(
      try Decibels.amplitudeToDecibels(magnitude, reference: .maximum),
      Reference.floats("db_amplitude_refmax"), absolute: 2e-5)
  }

  @Test("semantics: amin floor, ref offset, top_db clip relative to the peak")
  func semantics() throws {
    let db = try Decibels.powerToDecibels([1, 100, 0, 1e-12], topDB: nil)
    expectClose(db, [0, 20, -100, -100], absolute: 1e-5)
    let clipped = try Decibels.powerToDecibels([1, 100, 0, 1e-3], topDB: 30)
    expectClose(clipped, [0, 20, -10, -10], absolute: 1e-5)
    let relative = try Decibels.powerToDecibels([1, 100], reference: .maximum)
    expectClose(relative, [-20, 0], absolute: 1e-5)
    expectClose(try Decibels.amplitudeToDecibels([-10, 1]), [20, 0], absolute: 1e-5)
  }

  // The vector logarithm against Double log10 over 20 decades and the extremes. Tolerance
  // 2e-5 dB: one float32 ulp of values up to ±380 dB is ≤ 3e-5, and the series error is < 1e-8.
  @Test("10·log10 is accurate over the whole normal range; NaN and infinity propagate")
  func logarithmAccuracy() throws {
    var values: [Float] = (0...4000).map { Float(pow(10, -10 + Double($0) / 200)) }
    values += [
      Float.leastNormalMagnitude, 1, 2, 0.5, 1.414_213_5, 1.414_213_7, Float.greatestFiniteMagnitude,
    ]
    let db = try Decibels.powerToDecibels(values, amin: 1e-38, topDB: nil)
    let exact = values.map { 10 * log10(max(1e-38, Double($0))) }
    expectClose(db, exact, absolute: 3e-5)
    let special = try Decibels.powerToDecibels([1, 2, 3, 4, .infinity, 5, 6, 7], topDB: nil)
    #expect(special[4] == .infinity)
    expectClose(special[7], 10 * log10(7.0), absolute: 1e-5)
    let nan = try Decibels.powerToDecibels([1, .nan, 3, 4, 5], topDB: nil)
    #expect(nan[1].isNaN)
    // A denormal amin takes the scalar path and still clamps.
    expectClose(
      try Decibels.powerToDecibels([0, 0, 0, 0, 1], amin: 1e-45, topDB: nil)[0],
      10 * log10(Double(Float(1e-45))), absolute: 1e-4)
  }

  @Test("amin <= 0 and top_db < 0 throw invalidParameter")
  func badParameters() {
    #expect(throws: DSPError.invalidParameter(name: "amin", value: 0, valid: "> 0")) {
      try Decibels.powerToDecibels([1], amin: 0)
    }
    #expect(throws: DSPError.self) { try Decibels.powerToDecibels([1], topDB: -1) }
    #expect(throws: DSPError.self) { try Decibels.amplitudeToDecibels([1], amin: -1) }
  }
}
