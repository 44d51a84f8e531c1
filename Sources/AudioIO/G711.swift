/// ITU-T G.711 µ-law and A-law expansion (8-bit code → linear sample), as lookup tables.
///
/// Both laws code a sign, a 3-bit segment (exponent) `e` and a 4-bit step (mantissa) `q`:
/// - µ-law: the code is transmitted with all bits inverted; the decoded magnitude, in 14-bit units,
///   is `((2q + 33) << e) - 33` (0 … 8 031), and a set sign bit (after inversion) means negative.
/// - A-law: the code is transmitted with the even bits inverted (XOR `0x55`); the decoded magnitude,
///   in 13-bit units, is `2q + 1` in segment 0 and `(2q + 33) << (e - 1)` above (1 … 4 032); a set
///   sign bit (after the XOR) means positive.
///
/// The 16-bit linear value is the magnitude shifted to the top of 16 bits (× 4 for µ-law, × 8 for
/// A-law; µ-law spans ±32 124, A-law ±32 256), and the `Float` sample is that value / 32 768, which
/// is what libsndfile (and so Python's soundfile) returns.
enum G711 {
  /// Decodes one µ-law code to its 16-bit linear value.
  static func muLawToLinear(_ code: UInt8) -> Int16 {
    let u = ~code
    let exponent = Int((u >> 4) & 0x07)
    let mantissa = Int(u & 0x0F)
    // 4 × (((2q + 33) << e) − 33), written with the bias 0x84 = 4 × 33.
    let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return Int16(u & 0x80 != 0 ? -magnitude : magnitude)
  }

  /// Decodes one A-law code to its 16-bit linear value.
  static func aLawToLinear(_ code: UInt8) -> Int16 {
    let a = code ^ 0x55
    let exponent = Int((a >> 4) & 0x07)
    let mantissa = Int(a & 0x0F)
    // 8 × (2q + 1) in segment 0, 8 × ((2q + 33) << (e − 1)) above.
    let magnitude =
      exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1)
    return Int16(a & 0x80 != 0 ? magnitude : -magnitude)
  }

  /// The 256 µ-law codes decoded to `Float` (linear value / 32 768), indexed by code.
  static let muLawTable: [Float] = (0...255).map { Float(muLawToLinear(UInt8($0))) / 32768 }

  /// The 256 A-law codes decoded to `Float` (linear value / 32 768), indexed by code.
  static let aLawTable: [Float] = (0...255).map { Float(aLawToLinear(UInt8($0))) / 32768 }
}
