import Features
import Foundation
import Testing

@Suite("FeatureRecipe")
struct FeatureRecipeTests {
  /// The header of the public GTZAN table (features_30_sec.csv) between `length` and `label`.
  static let tableHeader = [
    "chroma_stft_mean", "chroma_stft_var", "rms_mean", "rms_var", "spectral_centroid_mean",
    "spectral_centroid_var", "spectral_bandwidth_mean", "spectral_bandwidth_var", "rolloff_mean",
    "rolloff_var", "zero_crossing_rate_mean", "zero_crossing_rate_var", "harmony_mean", "harmony_var",
    "perceptr_mean", "perceptr_var", "tempo", "mfcc1_mean", "mfcc1_var", "mfcc2_mean", "mfcc2_var",
    "mfcc3_mean", "mfcc3_var", "mfcc4_mean", "mfcc4_var", "mfcc5_mean", "mfcc5_var", "mfcc6_mean",
    "mfcc6_var", "mfcc7_mean", "mfcc7_var", "mfcc8_mean", "mfcc8_var", "mfcc9_mean", "mfcc9_var",
    "mfcc10_mean", "mfcc10_var", "mfcc11_mean", "mfcc11_var", "mfcc12_mean", "mfcc12_var",
    "mfcc13_mean", "mfcc13_var", "mfcc14_mean", "mfcc14_var", "mfcc15_mean", "mfcc15_var",
    "mfcc16_mean", "mfcc16_var", "mfcc17_mean", "mfcc17_var", "mfcc18_mean", "mfcc18_var",
    "mfcc19_mean", "mfcc19_var", "mfcc20_mean", "mfcc20_var"
  ]

  @Test("gtzan57 columns are the public table's 57 columns, in its order")
  func gtzan57MatchesTheTableHeader() {
    #expect(Self.tableHeader.count == 57)
    #expect(FeatureRecipe.gtzan57.columnNames == Self.tableHeader)
    #expect(FeatureRecipe.gtzan57ThreeSecond.columnNames == Self.tableHeader)
  }

  @Test("the presets window as the tables were made: 661 794 samples, and 66 149 every 66 150")
  func presetSegmentation() {
    #expect(FeatureRecipe.gtzan57.segmentation.length == 661_794)
    #expect(FeatureRecipe.gtzan57ThreeSecond.segmentation == Segmentation(length: 66_149, hop: 66_150, tail: .drop))
    #expect(FeatureRecipe.gtzan57.padMode == .reflect)
    #expect(FeatureRecipe.gtzan57.sampleRate == 22_050)
  }

  @Test("a recipe survives a JSON round trip unchanged")
  func codableRoundTrip() throws {
    let data = try JSONEncoder().encode(FeatureRecipe.gtzan57)
    let decoded = try JSONDecoder().decode(FeatureRecipe.self, from: data)
    #expect(decoded == FeatureRecipe.gtzan57)
    let json = String(decoding: data, as: UTF8.self)
    #expect(json.contains("\"padMode\":\"reflect\""))
    #expect(json.contains("\"window\":\"hann\""))
  }

  @Test("feature kinds encode as their table names and parse back; bad names are refused")
  func kindNames() throws {
    let kinds: [FeatureKind] = [
      .chromaSTFT, .chroma(3), .rms, .spectralCentroid, .spectralBandwidth, .spectralRolloff,
      .spectralFlatness, .spectralContrast(7), .zeroCrossingRate, .onsetStrength, .harmonic,
      .percussive, .tempo, .mfcc(20), .mfccDelta(4),
    ]
    for kind in kinds { #expect(FeatureKind(name: kind.name) == kind) }
    for bad in ["mfcc0", "mfcc21", "mfcc07", "chroma13", "contrast8", "mfcc", "delta_mfcc", "loudness"] {
      #expect(FeatureKind(name: bad) == nil, "\(bad)")
    }
    let json = String(decoding: try JSONEncoder().encode(FeatureColumn(.mfcc(7), .variance)), as: UTF8.self)
    #expect(json.contains("\"mfcc7\""))
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(FeatureKind.self, from: Data("\"mfcc99\"".utf8))
    }
  }

  @Test("segmentation windows: the 3 s table's ten segments, and whole files for the 30 s table")
  func windows() throws {
    let three = FeatureRecipe.gtzan57ThreeSecond.segmentation.windows(signalLength: 661_794)
    #expect(three.count == 10)
    #expect(three[9] == 595_350 ..< 661_499)
    let thirty = FeatureRecipe.gtzan57.segmentation
    #expect(thirty.windows(signalLength: 675_808) == [0 ..< 675_808])  // tail absorbed
    #expect(thirty.windows(signalLength: 661_504) == [0 ..< 661_504])  // shorter: whole
    #expect(thirty.windows(signalLength: 661_794 + 110_250) == [0 ..< 661_794, 110_250 ..< 772_044])
    let legacy = Data(#"{"length": 100, "hop": 50}"#.utf8)
    #expect(try JSONDecoder().decode(Segmentation.self, from: legacy).tail == .absorb)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Segmentation.self, from: Data(#"{"length": 0, "hop": 50}"#.utf8))
    }
  }

  @Test("the seed preset has 41 per-frame columns and every preset is reachable by name")
  func presets() {
    #expect(FeatureRecipe.seed.columns.count == 41)
    #expect(FeatureRecipe.seed.columns.allSatisfy { $0.statistic == .frame })
    #expect(FeatureRecipe.presets["gtzan57"] == .gtzan57)
    #expect(FeatureRecipe.presets["gtzan57-3s"] == .gtzan57ThreeSecond)
    #expect(FeatureRecipe.presets["seed"] == .seed)
  }
}
