import Foundation

/// Deterministic test audio shaped like music: a few partials with vibrato plus seeded noise.
enum SyntheticClip {
  /// GTZAN's clip length: 661 794 samples at 22 050 Hz (30.01 s), peak ≈ 0.6.
  static let thirtySeconds: [Float] = make(count: 661_794, sampleRate: 22_050)

  static func make(count: Int, sampleRate: Int) -> [Float] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var samples = [Float](repeating: 0, count: count)
    let rate = Double(sampleRate)
    for i in 0..<count {
      let t = Double(i) / rate
      let vibrato = 3 * sin(2 * Double.pi * 5 * t)
      var value = 0.25 * sin(2 * Double.pi * (220 + vibrato) * t)
      value += 0.15 * sin(2 * Double.pi * 440 * t) + 0.1 * sin(2 * Double.pi * 1_320 * t)
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      value += 0.1 * (Double(state >> 40) / Double(1 << 24) - 0.5)
      samples[i] = Float(value)
    }
    return samples
  }
}
