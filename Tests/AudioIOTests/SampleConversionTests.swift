import Testing

@testable import AudioIO

@Suite("Sample conversion kernels")
struct SampleConversionTests {
  /// Converts raw bytes of one channel with the given layout.
  func convert(
    _ bytes: [UInt8], _ encoding: SampleEncoding, bigEndian: Bool = false, stride: Int? = nil,
    count: Int
  ) -> [Float] {
    var out = [Float](repeating: .nan, count: count)
    bytes.withUnsafeBytes { raw in
      out.withUnsafeMutableBufferPointer { dst in
        SampleConversion.convert(
          raw.baseAddress!, stride: stride ?? encoding.bytesPerSample, count: count, encoding: encoding,
          bigEndian: bigEndian, into: dst.baseAddress!)
      }
    }
    return out
  }

  @Test("the SIMD 16-bit path agrees with x / 32768 for every count and misaligned starts")
  func int16Contiguous() {
    let values = (0..<100).map { ($0 * 2654) % 65_536 - 32_768 }
    let bytes = ByteBuilder.samples(values, width: 2)
    for count in [0, 1, 15, 16, 17, 31, 32, 33, 99] {
      #expect(
        convert(bytes, .signedInteger(bits: 16), count: count)
          == values.prefix(count).map { Float($0) / 32768 })
    }
    // Start one byte in: unaligned loads.
    let shifted = [0x55] + bytes
    shifted.withUnsafeBytes { raw in
      var out = [Float](repeating: 0, count: 40)
      out.withUnsafeMutableBufferPointer { dst in
        SampleConversion.convert(
          raw.baseAddress! + 1, stride: 2, count: 40, encoding: .signedInteger(bits: 16),
          bigEndian: false, into: dst.baseAddress!)
      }
      #expect(out == values.prefix(40).map { Float($0) / 32768 })
    }
  }

  @Test("strided reads pick one channel out of interleaved frames, both byte orders")
  func strided() {
    // Three channels of 24-bit, big-endian; pick channel 1.
    let values = [1, -2, 3, -4_194_304, 8_388_607, -8_388_608]
    let bytes = ByteBuilder.samples(values, width: 3, bigEndian: true)
    let picked = bytes.withUnsafeBytes { raw -> [Float] in
      var out = [Float](repeating: 0, count: 2)
      out.withUnsafeMutableBufferPointer { dst in
        SampleConversion.convert(
          raw.baseAddress! + 3, stride: 9, count: 2, encoding: .signedInteger(bits: 24),
          bigEndian: true, into: dst.baseAddress!)
      }
      return out
    }
    #expect(picked == [-2, 8_388_607].map { Float($0) / 8_388_608 })
  }

  @Test("32-bit PCM rounds to Float like libsndfile: Float(x) · 2^−31")
  func int32Rounding() {
    let values = [2_147_483_647, -2_147_483_648, 16_777_217, 123_456_789]
    let out = convert(ByteBuilder.samples(values, width: 4), .signedInteger(bits: 32), count: 4)
    #expect(out == values.map { Float($0) / 2_147_483_648 })
    #expect(out[0] == 1)  // 2^31 − 1 rounds up to 2^31 in Float
  }

  @Test("float64 rounds to the nearest Float; NaN and infinities pass through")
  func float64() {
    let values = [0.1, -1e-40, .infinity, 3.4e39]
    let out = convert(
      ByteBuilder.floats(values, width: 8, bigEndian: true), .float64, bigEndian: true, count: 4)
    #expect(out == values.map { Float($0) })
    #expect(out[3] == .infinity)
  }
}
