import Foundation

/// The synthetic signals of Scripts/features_reference.py, re-created from the same formulas
/// (computed in `Double`, rounded to `Float`, as numpy does).
enum SyntheticSignals {
  static let sampleRate = 22_050
  static let count = 33_075

  static func named(_ name: String) -> [Float] {
    switch name {
    case "tone":
      return (0..<count).map { n in
        let t = Double(n) / Double(sampleRate)
        return Float(0.5 * sin(2 * .pi * 440 * t) + 0.25 * sin(2 * .pi * 1320 * t))
      }
    case "chirp":
      let duration = Double(count) / Double(sampleRate)
      return (0..<count).map { n in
        let t = Double(n) / Double(sampleRate)
        return Float(0.5 * sin(2 * .pi * (100 * t + (8000 - 100) / (2 * duration) * t * t)))
      }
    case "noise":
      var x: UInt32 = 12345
      return (0..<count).map { _ in
        x = 1_664_525 &* x &+ 1_013_904_223
        return Float(Double(x >> 8) / 16_777_216 - 0.5)
      }
    case "clicks":
      return (0..<count).map { $0 % 5512 == 0 ? 0.9 : 0 }
    case "silence":
      return [Float](repeating: 0, count: count)
    case "short":
      return (0..<700).map { n in Float(0.5 * sin(2 * .pi * 440 * Double(n) / Double(sampleRate))) }
    default:
      preconditionFailure("no synthetic signal \(name)")
    }
  }

  static let names = ["tone", "chirp", "noise", "clicks", "silence", "short"]
}

/// One synthetic signal's librosa reference values (synthetic-<name>.json).
struct SyntheticReference: Decodable {
  var name: String
  var length: Int
  var frameCount: Int
  /// The frame indices the per-frame features were sampled at.
  var frames: [Int]
  /// Feature name → per sampled frame → values (librosa's column at that frame).
  var features: [String: [[Double]]]
  var sampleIndices: [Int]
  var harmonic: [Double]
  var percussive: [Double]
  var tuning: Double
  /// The gtzan57 row; `nil` where librosa gives NaN or irreproducible values (HPSS of the
  /// 2-frame clip).
  var gtzan57: [Double?]

  static func load(_ name: String) throws -> SyntheticReference {
    let url = TestDataLookup.fixture("synthetic-\(name).json")
    return try JSONDecoder().decode(SyntheticReference.self, from: Data(contentsOf: url))
  }
}
