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
}
