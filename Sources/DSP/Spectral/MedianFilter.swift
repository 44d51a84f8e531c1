/// Running median filters with `scipy.ndimage.median_filter` semantics, as used by
/// `librosa.decompose.hpss` (harmonic: along time; percussive: along frequency).
///
/// The window of size `n` at position `i` covers `i − n/2 ... i + n − 1 − n/2` (integer
/// division, scipy's `origin=0`); the result is the element of rank `n/2` of the sorted window
/// (the upper middle for even `n`, as scipy's rank filter). Edges use scipy's `reflect` mode,
/// which repeats the edge sample (`d c b a | a b c d | d c b a`), extended periodically when the
/// window is longer than the line.
public enum MedianFilter {
  /// The spectrogram axis a median filter runs along.
  public enum Axis: Sendable, Hashable {
    /// Along time, across frames for each bin (librosa's harmonic filter, `size=(1, n)`).
    case frames
    /// Along frequency, across bins within each frame (librosa's percussive filter, `size=(n, 1)`).
    case bins
  }

  /// Median-filters every line of a spectrogram along one axis.
  ///
  /// - Parameters:
  ///   - spectrogram: frames-major values (finite).
  ///   - size: window length `n ≥ 1` (librosa's `kernel_size`, default 31 there).
  ///   - axis: the axis to filter along.
  /// - Returns: the filtered spectrogram, same shape.
  /// - Throws: ``DSPError/invalidCount(name:value:valid:)`` when `size < 1`.
  /// - Complexity: O(values × typical displacement in the sorted window), at most
  ///   O(values × `size`); one small scratch allocation per call.
  public static func apply(_ spectrogram: Spectrogram, size: Int, along axis: Axis) throws(DSPError)
    -> Spectrogram
  {
    guard size >= 1 else { throw .invalidCount(name: "size", value: size, valid: ">= 1") }
    var out = spectrogram
    let frames = spectrogram.frameCount, bins = spectrogram.binCount
    if frames == 0 || bins == 0 || size == 1 { return out }
    let length = axis == .frames ? frames : bins
    let lines = axis == .frames ? bins : frames
    let stride = axis == .frames ? bins : 1
    let lineStart = axis == .frames ? 1 : bins
    var scratch = Scratch(size: size, length: length)
    spectrogram.values.withUnsafeBufferPointer { x in
      out.values.withUnsafeMutableBufferPointer { y in
        for line in 0..<lines {
          scratch.filter(
            x.baseAddress! + line * lineStart, y.baseAddress! + line * lineStart, stride: stride)
        }
      }
    }
    return out
  }

  /// Median-filters a single sequence (a 1-D `scipy.ndimage.median_filter(x, size, mode='reflect')`).
  ///
  /// - Parameters:
  ///   - values: finite samples.
  ///   - size: window length `n ≥ 1`.
  /// - Returns: the filtered values.
  /// - Throws: ``DSPError/invalidCount(name:value:valid:)`` when `size < 1`.
  public static func apply(_ values: [Float], size: Int) throws(DSPError) -> [Float] {
    try apply(Spectrogram(frameCount: values.count, binCount: 1, values: values), size: size,
      along: .frames).values
  }

  /// Working memory for one line: the reflect-extended line and the sorted window.
  private struct Scratch {
    let size: Int
    let length: Int
    var extended: [Float]
    var window: [Float]

    init(size: Int, length: Int) {
      self.size = size
      self.length = length
      extended = [Float](repeating: 0, count: length + size - 1)
      window = [Float](repeating: 0, count: size)
    }

    /// scipy 'reflect' index: whole-sample symmetric with period `2·length`.
    static func reflect(_ j: Int, length: Int) -> Int {
      let period = 2 * length
      var m = j % period
      if m < 0 { m += period }
      return m < length ? m : period - 1 - m
    }

    mutating func filter(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, stride: Int) {
      let n = size, half = size / 2, rank = size / 2
      let length = self.length
      extended.withUnsafeMutableBufferPointer { ext in
        window.withUnsafeMutableBufferPointer { win in
          for j in 0..<ext.count { ext[j] = x[Self.reflect(j - half, length: length) * stride] }
          for j in 0..<n { win[j] = ext[j] }
          // Insertion sort of the first window (n is small, e.g. 31).
          for j in 1..<n {
            let v = win[j]
            var p = j
            while p > 0 && win[p - 1] > v {
              win[p] = win[p - 1]
              p -= 1
            }
            win[p] = v
          }
          y[0] = win[rank]
          for i in 1..<length {
            let old = ext[i - 1], new = ext[i - 1 + n]
            // Locate `old` (any equal element will do) by binary search.
            var lo = 0, hi = n - 1
            while lo < hi {
              let mid = (lo + hi) / 2
              if win[mid] < old { lo = mid + 1 } else { hi = mid }
            }
            var p = lo
            if new >= old {
              while p + 1 < n && win[p + 1] < new {
                win[p] = win[p + 1]
                p += 1
              }
            } else {
              while p > 0 && win[p - 1] > new {
                win[p] = win[p - 1]
                p -= 1
              }
            }
            win[p] = new
            y[i * stride] = win[rank]
          }
        }
      }
    }
  }
}
