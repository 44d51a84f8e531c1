import DSP
import Foundation
import TestSupport

/// Fixture lookup for this target.
enum TestDataLookup {
  static func fixture(_ name: String) -> URL { TestData.fixture(name, in: Bundle.module) }
}

/// The shared front end of the GTZAN recipe (reflect padding), for per-feature tests.
enum FrontEnd {
  static let stft = try! ShortTimeFourierTransform(fftSize: 2048, hopLength: 512, padMode: .reflect)
  static let mel = try! MelFilterbank(sampleRate: 22_050, fftSize: 2048, melCount: 128)
  static let dct = try! DiscreteCosineTransform(inputCount: 128, outputCount: 20)

  static func power(_ x: [Float]) -> Spectrogram { try! stft.power(x) }

  static func magnitude(_ x: [Float]) -> Spectrogram {
    var s = power(x)
    for i in s.values.indices { s.values[i] = s.values[i].squareRoot() }
    return s
  }
}

extension Spectrogram {
  /// The values of frames `frames`, concatenated (each frame's `binCount` values).
  func rows(_ frames: [Int]) -> [Float] { frames.flatMap { Array(frame($0)) } }
}

extension Array where Element == Float {
  func at(_ frames: [Int]) -> [Float] { frames.map { self[$0] } }
}

extension SyntheticReference {
  /// A feature's reference values at the sampled frames, flattened.
  func flat(_ feature: String) -> [Double] { (features[feature] ?? []).flatMap { $0 } }
}
