extension MedianFilter {
  /// The median filter along bins (librosa's percussive filter) applied to up to four frames at a
  /// time, for callers that form a spectrogram's frames in groups: frame `i` of the result equals
  /// frame `i` of ``apply(_:size:along:)`` with ``Axis/bins``, value for value, and no
  /// spectrogram-sized output is stored.
  ///
  /// Not `Sendable`: scratch state for one caller.
  package final class FrameGroupFilter {
    let bins: Int
    let size: Int
    /// The network kernel's scratch for sizes `2T − 1`.
    let network: NetworkWorkspace?
    /// The running filter's scratch for other sizes (`bins + size − 1` and `size + 1` vectors).
    let extended: UnsafeMutablePointer<SIMD4<Float>>
    let sorted: UnsafeMutablePointer<SIMD4<Float>>

    /// - Precondition: `size` in `1...maximumSize`, at least one bin.
    package init(binCount: Int, size: Int) {
      precondition(size >= 1 && size <= MedianFilter.maximumSize && binCount >= 1,
        "median filter along \(binCount) bins with size \(size)")
      bins = binCount
      self.size = size
      if let t = MedianFilter.networkHalf(size: size) {
        let line = MedianFilter.networkLineCount(bins: binCount, half: t)
        let ws = NetworkWorkspace(half: t, inputCount: line, lineLength: line)
        MedianFilter.fillLineSources(ws, bins: binCount)
        network = ws
        extended = .allocate(capacity: 0)
        sorted = .allocate(capacity: 0)
      } else {
        network = nil
        extended = .allocate(capacity: binCount + size - 1)
        sorted = .allocate(capacity: size + 1)
      }
    }

    deinit {
      network?.deallocate()
      extended.deallocate()
      sorted.deallocate()
    }

    /// Filters `count` consecutive frames along bins.
    ///
    /// - Parameters:
    ///   - x: `count` rows of ``bins`` values.
    ///   - count: 1 to 4 frames.
    ///   - y: `count` rows for the result (not overlapping `x`).
    package func filter(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
      precondition(count >= 1 && count <= 4, "a frame group has 1 to 4 frames, got \(count)")
      if size == 1 {
        y.update(from: x, count: count * bins)
      } else if let network {
        MedianFilter.networkFrames(x, count: count, bins: bins, workspace: network, into: y)
      } else {
        MedianFilter.runningLines(
          x, count: count, length: bins, step: 1, next: bins, size: size, extended: extended, sorted: sorted,
          into: y)
      }
    }
  }
}
