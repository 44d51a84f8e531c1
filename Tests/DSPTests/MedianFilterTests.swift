import DSP
import TestSupport
import Testing

@Suite("MedianFilter")
struct MedianFilterTests {
  /// A fixture matrix (bins × frames, librosa layout) as a frames-major spectrogram.
  static func spectrogram(_ name: String) -> Spectrogram {
    let shape = Reference.shape(name)
    return Spectrogram(
      frameCount: shape[1], binCount: shape[0],
      values: Reference.transpose(Reference.floats(name), rows: shape[0], columns: shape[1]))
  }

  // A median selects one of its inputs, so the result must be bit-identical to scipy's.
  @Test(
    "equals scipy.ndimage.median_filter(mode='reflect') along time and frequency",
    arguments: [31, 4, 1], ["", "_tiny"])
  func matchesScipy(size: Int, label: String) throws {
    let input = Self.spectrogram("median_in" + label)
    let time = try MedianFilter.apply(input, size: size, along: .frames)
    #expect(time == Self.spectrogram("median_time_\(size)\(label)"), "time, size \(size)\(label)")
    let freq = try MedianFilter.apply(input, size: size, along: .bins)
    #expect(freq == Self.spectrogram("median_freq_\(size)\(label)"), "frequency, size \(size)\(label)")
  }

  @Test("1-D: reflect edges repeat the edge sample; even sizes take the upper middle")
  func oneDimensional() throws {
    // Window 3 at index 0 sees [x0, x0, x1] (reflect repeats x0).
    #expect(try MedianFilter.apply([5, 1, 3, 9, 2], size: 3) == [5, 3, 3, 3, 2])
    // Size 2 covers [i-1, i]: rank 1 is the larger of the pair.
    #expect(try MedianFilter.apply([4, 1, 3], size: 2) == [4, 4, 3])
    #expect(try MedianFilter.apply([7], size: 31) == [7])
    #expect(throws: DSPError.invalidCount(name: "size", value: 0, valid: "in 1...4097")) {
      try MedianFilter.apply([1, 2], size: 0)
    }
    #expect(throws: DSPError.self) { try MedianFilter.apply([1, 2], size: 1_000_000) }
  }
}
