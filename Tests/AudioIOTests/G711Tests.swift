import Testing

@testable import AudioIO

@Suite("G.711 µ-law and A-law expansion")
struct G711Tests {
  /// µ-law per G.711: after inverting the code, segment e and step q give the magnitude
  /// (2q + 33)·2^e − 33 in 14-bit units; sign bit set means negative. 16-bit value = 4 × that.
  static func muLawReference(_ code: UInt8) -> Int {
    let inverted = Int(~code)
    let e = (inverted >> 4) & 7
    let q = inverted & 15
    let magnitude = (2 * q + 33) * (1 << e) - 33
    return 4 * (inverted & 0x80 != 0 ? -magnitude : magnitude)
  }

  /// A-law per G.711: after XOR 0x55, segment 0 gives 2q + 1 and segment e ≥ 1 gives
  /// (2q + 33)·2^(e−1), in 13-bit units; sign bit set means positive. 16-bit value = 8 × that.
  static func aLawReference(_ code: UInt8) -> Int {
    let a = Int(code ^ 0x55)
    let e = (a >> 4) & 7
    let q = a & 15
    let magnitude = e == 0 ? 2 * q + 1 : (2 * q + 33) * (1 << (e - 1))
    return 8 * (a & 0x80 != 0 ? magnitude : -magnitude)
  }

  @Test("every µ-law code matches the G.711 segment/step formula")
  func muLawMatchesDefinition() {
    for code in 0...255 {
      let c = UInt8(code)
      #expect(Int(G711.muLawToLinear(c)) == Self.muLawReference(c), "code \(code)")
      #expect(G711.muLawTable[code] == Float(Self.muLawReference(c)) / 32768, "code \(code)")
    }
  }

  @Test("every A-law code matches the G.711 segment/step formula")
  func aLawMatchesDefinition() {
    for code in 0...255 {
      let c = UInt8(code)
      #expect(Int(G711.aLawToLinear(c)) == Self.aLawReference(c), "code \(code)")
      #expect(G711.aLawTable[code] == Float(Self.aLawReference(c)) / 32768, "code \(code)")
    }
  }

  @Test("known values worked by hand")
  func knownValues() {
    // µ-law 0xFF: inverted 0x00 → e 0, q 0 → 33 − 33 = 0. 0x7F is "negative zero".
    #expect(G711.muLawToLinear(0xFF) == 0)
    #expect(G711.muLawToLinear(0x7F) == 0)
    // µ-law 0x00: inverted 0xFF → negative, e 7, q 15 → (63·128 − 33)·4 = 8031·4 = 32124.
    #expect(G711.muLawToLinear(0x00) == -32124)
    #expect(G711.muLawToLinear(0x80) == 32124)
    // µ-law 0xEF: inverted 0x10 → e 1, q 0 → (33·2 − 33)·4 = 132.
    #expect(G711.muLawToLinear(0xEF) == 132)
    // A-law 0xD5: XOR 0x55 → 0x80 → positive, e 0, q 0 → 1·8 = 8; 0x55 → 0x00 → −8.
    #expect(G711.aLawToLinear(0xD5) == 8)
    #expect(G711.aLawToLinear(0x55) == -8)
    // A-law 0xAA: XOR 0x55 → 0xFF → positive, e 7, q 15 → 63·64·8 = 32256; 0x2A → −32256.
    #expect(G711.aLawToLinear(0xAA) == 32256)
    #expect(G711.aLawToLinear(0x2A) == -32256)
    // A-law 0xC5: XOR 0x55 → 0x90 → positive, e 1, q 0 → 33·8 = 264.
    #expect(G711.aLawToLinear(0xC5) == 264)
  }

  @Test("positive codes increase monotonically with magnitude; signs are symmetric")
  func monotonicAndSymmetric() {
    // µ-law: inverted codes 0x00…0x7F are the positive values in increasing order.
    let muPositive = (0..<128).map { Int(G711.muLawToLinear(~UInt8($0))) }
    #expect(zip(muPositive, muPositive.dropFirst()).allSatisfy { $0 < $1 })
    // A-law: codes XOR 0x55 in 0x80…0xFF are the positive values in increasing order.
    let aPositive = (128..<256).map { Int(G711.aLawToLinear(UInt8($0) ^ 0x55)) }
    #expect(zip(aPositive, aPositive.dropFirst()).allSatisfy { $0 < $1 })
    for code in 0..<128 {
      // Flipping the sign bit negates the value.
      #expect(G711.muLawToLinear(UInt8(code)) == -G711.muLawToLinear(UInt8(code) | 0x80))
      #expect(G711.aLawToLinear(UInt8(code)) == -G711.aLawToLinear(UInt8(code) | 0x80))
    }
  }
}
