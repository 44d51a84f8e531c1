@testable import DSP
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

  /// The rank-`n/2` value of each reflect-extended window, by sorting (the definition).
  static func naiveMedian(_ x: [Float], size n: Int) -> [Float] {
    let length = x.count
    func reflect(_ j: Int) -> Int {
      let period = 2 * length
      let m = ((j % period) + period) % period
      return m < length ? m : period - 1 - m
    }
    return (0..<length).map { i in
      (0..<n).map { x[reflect(i - n / 2 + $0)] }.sorted()[n / 2]
    }
  }

  @Test("running median equals sorting for every short length and small size, with ties")
  func pairedWindowsMatchSorting() throws {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Float {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let r = Int(state >> 33) % 7
      return r < 4 ? Float(r) : Float(state >> 40) / Float(1 << 24)  // many ties
    }
    for size in 1...9 {
      for length in 1...23 {
        let x = (0..<length).map { _ in next() }
        #expect(try MedianFilter.apply(x, size: size) == Self.naiveMedian(x, size: size), "size \(size), length \(length)")
      }
    }
    // Lanes: 6 bins filtered along time (one full group of four and a partial one).
    let frames = 17
    let values = (0..<(frames * 6)).map { _ in next() }
    let s = Spectrogram(frameCount: frames, binCount: 6, values: values)
    let out = try MedianFilter.apply(s, size: 5, along: .frames)
    for bin in 0..<6 {
      let line = (0..<frames).map { values[$0 * 6 + bin] }
      #expect((0..<frames).map { out.values[$0 * 6 + bin] } == Self.naiveMedian(line, size: 5), "bin \(bin)")
    }
  }
  /// Random values with many ties (a few small integers), as bit patterns for exact equality.
  static func tiedValues(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let r = Int(state >> 33) % 5
      return r < 2 ? Float(r) : Float(state >> 40) / Float(1 << 20)
    }
  }

  @Test("sizes 2T − 1 (sorting networks) equal the running filter bit for bit, both axes",
    arguments: [3, 7, 15, 31, 63, 127])
  func networkEqualsRunning(size: Int) throws {
    #expect(MedianFilter.networkHalf(size: size) == (size + 1) / 2)
    // Lengths below, at and above the tile and window sizes, and a 30 s spectrogram's shape.
    let shapes = [(1, 1), (2, 5), (5, 3), (17, 6), (33, 9), (64, 4), (100, 13), (47, 65)]
    for (index, (frames, bins)) in (shapes + (size == 31 ? [(130, 300)] : [])).enumerated() {
      let values = Self.tiedValues(frames * bins, seed: UInt64(size * 1000 + index))
      let s = Spectrogram(frameCount: frames, binCount: bins, values: values)
      for axis in [MedianFilter.Axis.frames, .bins] {
        let network = try MedianFilter.apply(s, size: size, along: axis)
        let running = MedianFilter.runningFilter(s, size: size, along: axis)
        #expect(
          network.values.map(\.bitPattern) == running.values.map(\.bitPattern),
          "size \(size), \(frames)×\(bins), \(axis)")
      }
    }
  }

  @Test("sizes 15 and 31 equal sorting each window, with ties")
  func networkEqualsSorting() throws {
    for size in [15, 31] {
      for length in [1, 2, 7, 16, 31, 32, 45, 80] {
        let x = Self.tiedValues(length, seed: UInt64(length))
        #expect(try MedianFilter.apply(x, size: size) == Self.naiveMedian(x, size: size), "size \(size), length \(length)")
      }
    }
    #expect(MedianFilter.networkHalf(size: 29) == nil && MedianFilter.networkHalf(size: 32) == nil)
  }

  @Test("the frame-by-frame stream equals the filter along frames",
    arguments: [(31, 40, 9), (31, 150, 6), (4, 7, 5), (1, 3, 4), (9, 4, 1), (32, 50, 13), (15, 3, 6), (7, 21, 1)])
  func frameStream(_ size: Int, _ frames: Int, _ bins: Int) throws {
    var state: UInt32 = 3
    let values: [Float] = (0..<(frames * bins)).map { _ in
      state = state &* 1_664_525 &+ 1_013_904_223
      return Float(state >> 20) / 4096
    }
    let s = Spectrogram(frameCount: frames, binCount: bins, values: values)
    let whole = try MedianFilter.apply(s, size: size, along: .frames)
    let stream = MedianFilter.FrameStream(frameCount: frames, binCount: bins, size: size)
    var rows: [Float] = []
    var row = [Float](repeating: 0, count: bins)
    values.withUnsafeBufferPointer { source in
      for _ in 0..<frames {
        row.withUnsafeMutableBufferPointer { stream.next(source: source.baseAddress!, into: $0.baseAddress!) }
        rows += row
      }
    }
    #expect(rows == whole.values)
    // The rows in the stream's own memory: each block's rows stay valid until the block ends.
    let shared = MedianFilter.FrameStream(frameCount: frames, binCount: bins, size: size)
    #expect(shared.blockLength == (MedianFilter.networkHalf(size: size).map { MedianFilter.networkBlock(half: $0) } ?? 1))
    var blockRows: [UnsafePointer<Float>] = []
    var fromPointers: [Float] = []
    values.withUnsafeBufferPointer { source in
      for t in 0..<frames {
        blockRows.append(shared.next(source: source.baseAddress!))
        if blockRows.count == shared.blockLength || t == frames - 1 {
          for row in blockRows { fromPointers += UnsafeBufferPointer(start: row, count: bins) }
          blockRows = []
        }
      }
    }
    #expect(fromPointers == whole.values)
  }
  @Test("groups of up to four frames filtered along bins equal the whole filter",
    arguments: [(31, 11, 70), (4, 6, 9), (1, 5, 3), (7, 3, 2)])
  func frameGroups(_ size: Int, _ frames: Int, _ bins: Int) throws {
    let values = Self.tiedValues(frames * bins, seed: UInt64(size))
    let whole = try MedianFilter.apply(
      Spectrogram(frameCount: frames, binCount: bins, values: values), size: size, along: .bins)
    let filter = MedianFilter.FrameGroupFilter(binCount: bins, size: size)
    var out = [Float](repeating: .nan, count: values.count)
    values.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { y in
        var frame = 0
        while frame < frames {
          let count = min(frame % 3 + 2, 4, frames - frame)  // groups of 2, 3 and 4 frames
          filter.filter(x.baseAddress! + frame * bins, count: count, into: y.baseAddress! + frame * bins)
          frame += count
        }
      }
    }
    #expect(out.map(\.bitPattern) == whole.values.map(\.bitPattern))
  }

  @Test("along bins equals along frames of the transpose",
    arguments: [(31, 9, 40), (4, 5, 7), (3, 8, 33), (31, 6, 1025), (7, 4, 4)])
  func binsAreTransposedFrames(_ size: Int, _ frames: Int, _ bins: Int) throws {
    var state: UInt32 = 5
    let values: [Float] = (0..<(frames * bins)).map { _ in
      state = state &* 1_664_525 &+ 1_013_904_223
      return Float(state >> 22) / 1024
    }
    let s = Spectrogram(frameCount: frames, binCount: bins, values: values)
    var transposed = [Float](repeating: 0, count: values.count)
    for t in 0..<frames { for k in 0..<bins { transposed[k * frames + t] = values[t * bins + k] } }
    let alongBins = try MedianFilter.apply(s, size: size, along: .bins)
    let alongFrames = try MedianFilter.apply(
      Spectrogram(frameCount: bins, binCount: frames, values: transposed), size: size, along: .frames)
    var back = [Float](repeating: 0, count: values.count)
    for t in 0..<frames { for k in 0..<bins { back[t * bins + k] = alongFrames.values[k * frames + t] } }
    #expect(alongBins.values == back)
  }
}
