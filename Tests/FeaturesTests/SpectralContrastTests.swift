import Foundation
import DSP
import Features
import Testing
import TestSupport

@Suite("spectral_contrast")
struct SpectralContrastTests {
  /// Not the tone and chirp: most of their octave bands hold nothing but the float32 FFT's
  /// rounding floor (~1e-7 of the peak), whose quantiles are implementation noise, so the
  /// contrast there differs between any two FFTs by dBs. Noise, clicks, silence and the short
  /// clip fill every band.
  @Test("spectral_contrast matches librosa", arguments: ["noise", "clicks", "silence", "short"])
  func matchesLibrosa(_ name: String) throws {
    let ref = try SyntheticReference.load(name)
    let contrast = try FrameFeatures.spectralContrast(
      magnitude: FrontEnd.magnitude(SyntheticSignals.named(name)), sampleRate: 22_050)
    #expect(contrast.binCount == 7)
    // Differences of dB values of float32 quantile means: 1e-3 dB absolute.
    expectClose(contrast.rows(ref.frames), ref.flat("contrast"), absolute: 1e-3, relative: 1e-5, "contrast")
  }

  @Test("a tone's contrast is highest in the band holding it")
  func toneBand() throws {
    let contrast = try FrameFeatures.spectralContrast(
      magnitude: FrontEnd.magnitude(SyntheticSignals.named("tone")), sampleRate: 22_050)
    let frame = Array(contrast.frame(30))
    // 440 Hz lies in band 2 (200–400 Hz edges widened by one bin: 400–800 Hz is band 2).
    #expect(frame[2] > 40, "\(frame)")
  }

  @Test("bands above Nyquist are refused")
  func nyquist() {
    let s = FrontEnd.magnitude(SyntheticSignals.named("tone"))
    #expect(throws: FeatureError.self) {
      try FrameFeatures.spectralContrast(magnitude: s, sampleRate: 8_000)
    }
    #expect(throws: FeatureError.self) {
      try FrameFeatures.spectralContrast(magnitude: s, sampleRate: 22_050, quantile: 0)
    }
  }
  /// librosa's definition written out with full sorts: bands `[0, fmin, 2·fmin, …]`, each
  /// widened by the bin below and (but the last) losing its top bin; the mean of the `q`
  /// smallest and largest magnitudes, in sorted order; then power_to_db of each.
  static func sortedContrast(_ s: Spectrogram, quantile: Double) -> [Float] {
    let bins = s.binCount
    let freq = FrameFeatures.binFrequencies(sampleRate: 22_050, fftSize: 2 * (bins - 1))
    var edges = [0.0]
    for i in 0...6 { edges.append(200 * Double(1 << i)) }
    var peaks: [Double] = []
    var valleys: [Double] = []
    for t in 0..<s.frameCount {
      let row = Array(s.frame(t))
      for b in 0...6 {
        let inBand = freq.indices.filter { freq[$0] >= edges[b] && freq[$0] <= edges[b + 1] }
        var first = inBand.first!
        var last = inBand.last!
        if b > 0 { first = max(first - 1, 0) }
        if b == 6 { last = bins - 1 }
        let q = max(1, Int((quantile * Double(last - first + 1)).rounded(.toNearestOrEven)))
        let band = Array(row[first..<(b < 6 ? last : last + 1)]).sorted()
        valleys.append(Double(band.prefix(q).reduce(Float(0), +) / Float(q)))
        peaks.append(Double(band.reversed().prefix(q).reduce(Float(0), +) / Float(q)))
      }
    }
    func decibels(_ x: [Double]) -> [Double] {
      let db = x.map { 10 * log10(max(1e-10, $0)) }
      let floor = db.max()! - 80
      return db.map { max($0, floor) }
    }
    return zip(decibels(peaks), decibels(valleys)).map { Float($0 - $1) }
  }

  @Test("contrast equals full sorts for quantiles giving q from 1 to 22",
    arguments: [0.01, 0.015, 0.023, 0.035, 0.045, 0.05])
  func quantiles(_ quantile: Double) throws {
    let s = FrontEnd.magnitude(SyntheticSignals.named("noise"))
    let contrast = try FrameFeatures.spectralContrast(magnitude: s, sampleRate: 22_050, quantile: quantile)
    #expect(contrast.values == Self.sortedContrast(s, quantile: quantile))
  }
}
