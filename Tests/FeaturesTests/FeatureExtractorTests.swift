import AudioIO
import DSP
import Features
import Foundation
import Testing
import TestSupport

/// Per-column tolerances of a gtzan57 row against librosa, each explained.
enum RowTolerance {
  /// `(absolute, relative)` for column `name`.
  static func of(_ name: String) -> (Double, Double) {
    switch name {
    // Means of HPSS time signals are sums of ±values that nearly cancel (≈1e-5 of a signal
    // whose samples reach 0.5): float32 rounding in the overlap-add leaves ~1e-9 absolute.
    case "harmony_mean", "perceptr_mean": (1e-8, 1e-3)
    // MFCC means can sit near zero (a cancelling DCT row): absolute 1e-4 on values up to ±300.
    case let n where n.hasPrefix("mfcc") && n.hasSuffix("_mean"): (1e-4, 1e-5)
    // Roll-off chooses bins; one frame in a thousand may move by one bin (10.8 Hz) through an
    // ulp-level tie, which shifts a 65-frame mean by < 0.2 Hz and its variance by < 1e-3 relative.
    case "rolloff_mean": (0.2, 1e-5)
    case "rolloff_var": (0, 1e-3)
    // MFCC values agree to ~2e-3 absolute; a variance over few frames (the 700-sample clip has 2)
    // inherits about 2·σ·Δ of absolute error.
    case let n where n.hasPrefix("mfcc") && n.hasSuffix("_var"): (1e-5, 1e-4)
    // Bandwidth weights every bin by (f − c)²: on pure synthetic tones the float32 FFT's own
    // rounding floor in the empty bins (implementation-specific, ~1e-7 of the peak) moves it by
    // up to 1e-3 relative; on music it agrees to 1e-7 (Docs/feature-parity.md).
    case "spectral_bandwidth_mean", "spectral_bandwidth_var": (1e-9, 1e-3)
    // Everything else: float32 features summarised in Double; 1e-4 relative (≤ 1e-5 typical).
    default: (1e-9, 1e-4)
    }
  }

  static func expectRow(_ row: [Float], _ reference: [Double?], _ context: String) {
    let names = FeatureRecipe.gtzan57.columnNames
    #expect(row.count == names.count)
    for (i, name) in names.enumerated() where i < row.count {
      guard let expected = reference[i] else {
        #expect(row[i].isFinite, "\(context) \(name): librosa gives NaN, ours must be finite")
        continue
      }
      let (absolute, relative) = of(name)
      expectClose(row[i], expected, absolute: absolute, relative: relative, "\(context) \(name)")
    }
  }
}

@Suite("FeatureExtractor")
struct FeatureExtractorTests {
  static let gtzan = try! FeatureExtractor(recipe: .gtzan57)
  /// gtzan57 without HPSS (the slow part in debug builds), for tests of windowing.
  static let light = FeatureRecipe(
    name: "light", columns: FeatureRecipe.gtzan57Columns.filter { $0.feature != .harmonic && $0.feature != .percussive },
    segmentation: FeatureRecipe.gtzan57.segmentation)

  @Test("the gtzan57 row matches librosa's table recipe", arguments: SyntheticSignals.names)
  func gtzan57MatchesLibrosa(_ name: String) throws {
    let ref = try SyntheticReference.load(name)
    let row = try Self.gtzan.row(of: SyntheticSignals.named(name))
    RowTolerance.expectRow(row, ref.gtzan57, name)
  }

  @Test("summaries: a signal shorter than the window is one flagged row equal to row(of:)")
  func shortSignalIsFlagged() throws {
    let x = SyntheticSignals.named("tone")
    let m = try Self.gtzan.summaries(of: x, sampleRate: 22_050)
    #expect(m.rowCount == 1 && m.isShorterThanWindow)
    #expect(Array(m.row(0)) == (try Self.gtzan.row(of: x)))
    #expect(m.columnNames == FeatureRecipe.gtzan57.columnNames)
    expectClose(m.spans[0].upperBound, 1.5, absolute: 1e-12)
  }

  @Test("summaries follow the segmentation: full windows, then the tail rule")
  func segmentation() throws {
    var recipe = Self.light
    recipe.segmentation = Segmentation(length: 11_025, hop: 5_512, tail: .absorb)
    let extractor = try FeatureExtractor(recipe: recipe)
    let x = SyntheticSignals.named("chirp")  // 33 075 samples: windows at 0, 5512, …, 22048
    let m = try extractor.summaries(of: x, sampleRate: 22_050)
    #expect(m.rowCount == 5 && !m.isShorterThanWindow)
    expectClose(m.spans[4].upperBound, Double(x.count) / 22_050, absolute: 1e-12)
    #expect(Array(m.row(1)) == (try extractor.row(of: Array(x[5_512..<16_537]))))
    #expect(Array(m.row(4)) == (try extractor.row(of: Array(x[22_048...]))))
    recipe.segmentation.tail = .drop
    let dropped = try FeatureExtractor(recipe: recipe).summaries(of: x, sampleRate: 22_050)
    expectClose(dropped.spans[4].upperBound, Double(22_048 + 11_025) / 22_050, absolute: 1e-12)
  }

  @Test("samples at another rate are resampled first")
  func resampling() throws {
    let x = SyntheticSignals.named("tone")
    let resampled = try Resampler(from: 44_100, to: 22_050).resample(x)
    let light = try FeatureExtractor(recipe: Self.light)
    let m = try light.summaries(of: x, sampleRate: 44_100)
    #expect(Array(m.row(0)) == (try light.row(of: resampled)))
  }

  @Test("the seed recipe gives 41 columns per STFT frame, equal to the feature functions")
  func seedFrames() throws {
    let x = SyntheticSignals.named("noise")
    let m = try FeatureExtractor(recipe: .seed).frames(of: x, sampleRate: 22_050)
    #expect(m.columnCount == 41 && m.rowCount == 65)
    let ref = try SyntheticReference.load("noise")
    let t = ref.frames[3]
    let row = Array(m.row(t))
    expectClose(Array(row[0..<20]), ref.features["mfcc"]![3], absolute: 2e-3, relative: 1e-5)
    expectClose(Array(row[20..<32]), ref.features["chroma"]![3], absolute: 1e-5)
    expectClose(Array(row[32..<39]), ref.features["contrast"]![3], absolute: 1e-3)
    expectClose(row[39], ref.features["rolloff"]![3][0], absolute: 1e-3)
    expectClose(row[40], ref.features["zcr"]![3][0])
    #expect(throws: FeatureError.self) { try FeatureExtractor(recipe: .seed).summaries(of: x, sampleRate: 22_050) }
    #expect(throws: FeatureError.self) { try Self.gtzan.frames(of: x, sampleRate: 22_050) }
  }

  @Test("bad audio throws typed errors")
  func badAudio() {
    #expect(throws: FeatureError.emptySignal) { try Self.gtzan.summaries(of: [], sampleRate: 22_050) }
    #expect(throws: FeatureError.nonFiniteSample(index: 2)) {
      try Self.gtzan.summaries(of: [0, 0.1, .nan, 0], sampleRate: 22_050)
    }
    #expect(throws: FeatureError.nonFiniteSample(index: 0)) { try Self.gtzan.row(of: [.infinity]) }
    #expect(throws: FeatureError.invalidSampleRate(0)) { try Self.gtzan.summaries(of: [0.1], sampleRate: 0) }
    // The per-frame path leaves the scan to the STFT when no resampling is needed: same errors.
    let seed = try? FeatureExtractor(recipe: .seed)
    #expect(throws: FeatureError.emptySignal) { try seed?.frames(of: [], sampleRate: 22_050) }
    #expect(throws: FeatureError.nonFiniteSample(index: 3)) {
      try seed?.frames(of: [0, 0.1, 0.2, .infinity, .nan], sampleRate: 22_050)
    }
    #expect(throws: FeatureError.nonFiniteSample(index: 1)) {
      try seed?.frames(of: [0, .nan], sampleRate: 44_100)
    }
  }

  @Test("very short clips still give a finite row (librosa pads as we do)")
  func tinyClip() throws {
    let row = try Self.gtzan.row(of: [0.25, -0.5, 0.125])
    let finite = row.allSatisfy { $0.isFinite }
    #expect(finite)
  }

  @Test("bad recipes throw typed errors")
  func badRecipes() {
    func refused(_ change: (inout FeatureRecipe) -> Void) -> Bool {
      var recipe = FeatureRecipe.gtzan57
      change(&recipe)
      do {
        _ = try FeatureExtractor(recipe: recipe)
        return false
      } catch { return true }
    }
    #expect(refused { $0.fftSize = 1 })
    #expect(refused { $0.fftSize = 2047 })
    #expect(refused { $0.hopLength = 0 })
    #expect(refused { $0.sampleRate = 0 })
    #expect(refused { $0.columns = [] })
    #expect(refused { $0.columns = [FeatureColumn(.tempo, .mean)] })
    #expect(refused { $0.columns = [FeatureColumn(.rms, .value)] })
    #expect(refused { $0.columns = [FeatureColumn(.rms, .frame), FeatureColumn(.rms, .mean)] })
    #expect(refused { $0.columns = [FeatureColumn(.harmonic, .frame)] })
    #expect(refused { $0.columns = [FeatureColumn(.mfcc(0), .mean)] })
    #expect(refused { $0.columns = [FeatureColumn(.chroma(13), .mean)] })
    #expect(refused { $0.sampleRate = 8_000; $0.columns = [FeatureColumn(.spectralContrast(1), .mean)] })
    #expect(!refused { $0.columns = [FeatureColumn(.spectralFlatness, .mean)] })
  }

  @Test(
    "GTZAN sample clips: the first 3 s segment's gtzan57 row matches librosa's table recipe",
    .requiresGTZAN)
  func gtzanSample() throws {
    let directory = try #require(TestData.gtzanAudioDirectory)
    let url = TestDataLookup.fixture("gtzan-sample-gtzan57.json")
    let reference = try JSONDecoder().decode(
      [String: GTZANRow].self, from: Data(contentsOf: url))
    var checked = 0
    for (path, expected) in reference.sorted(by: { $0.key < $1.key }) {
      let file = directory.appendingPathComponent(path)
      guard FileManager.default.fileExists(atPath: file.path) else { continue }
      let audio = try AudioDecoder.decode(contentsOf: file)
      let samples = audio.buffer.mono()
      #expect(samples.count == expected.length)
      #expect(expected.segment == [0, 66_149] && audio.buffer.sampleRate == 22_050)
      let row = try FeatureExtractor(recipe: .gtzan57ThreeSecond).row(of: Array(samples[0..<66_149]))
      RowTolerance.expectRow(row, expected.gtzan57, path)
      checked += 1
    }
    #expect(checked > 0, "no sample clip found under \(directory.path)")
  }
}

struct GTZANRow: Decodable {
  var length: Int
  var segment: [Int]
  var gtzan57: [Double?]
}
