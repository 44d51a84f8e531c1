/// Running medians along time for every bin of a spectrogram whose rows arrive one at a time
/// (internal to ``StreamingFeatureExtractor``): the rank-`size/2` value of the last `size` rows,
/// as `scipy.ndimage.median_filter` along frames computes it inside its reflect-padded range.
///
/// The state is a sorted window per bin (four bins per SIMD lane group, `sorted[r]` holding
/// every lane's rank-`r` value), so it can be kept between hops and slid either way — forwards
/// over new stream frames, or from a stream position towards a window's edge over reflected
/// frames — without rebuilding the window. A median depends only on the multiset of the window,
/// so the values are exactly ``MedianFilter/apply(_:size:along:)``'s.
final class BinMedians {
  let bins: Int
  let size: Int
  let groups: Int
  /// `groups × (size + 1)` lane vectors; entry `size` of each group is +∞.
  private var sorted: [SIMD4<Float>]
  /// What the state currently holds, in the caller's terms (`nil`: nothing valid).
  var position: Int?

  init(bins: Int, size: Int) {
    precondition(bins >= 1 && size >= 1, "median state of \(bins) bins with size \(size)")
    self.bins = bins
    self.size = size
    groups = (bins + 3) / 4
    sorted = [SIMD4<Float>](repeating: SIMD4(repeating: .infinity), count: groups * (size + 1))
  }

  /// Copies another state of the same shape.
  func copy(from other: BinMedians) {
    precondition(other.bins == bins && other.size == size, "median states of different shapes")
    sorted = other.sorted
    position = other.position
  }

  @inline(__always)
  private func lanes(_ row: UnsafePointer<Float>, _ g: Int) -> SIMD4<Float> {
    if 4 * g + 4 <= bins { return UnsafeRawPointer(row + 4 * g).loadUnaligned(as: SIMD4<Float>.self) }
    var v = SIMD4<Float>(repeating: row[4 * g])
    for lane in 1..<(bins - 4 * g) { v[lane] = row[4 * g + lane] }
    return v
  }

  @inline(__always)
  private static func minimum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
    a.replacing(with: b, where: b .< a)
  }

  @inline(__always)
  private static func maximum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
    a.replacing(with: b, where: b .> a)
  }

  /// Builds the window from `size` rows of `bins` values.
  ///
  /// - Complexity: O(bins × size²) lane operations (a quarter of that in vector steps).
  func reset(rows: [UnsafePointer<Float>], position: Int) {
    precondition(rows.count == size, "\(rows.count) rows for a window of \(size)")
    let n = size
    sorted.withUnsafeMutableBufferPointer { buffer in
      for g in 0..<groups {
        let s = buffer.baseAddress! + g * (n + 1)
        for r in 0...n { s[r] = SIMD4(repeating: .infinity) }
        for row in rows {
          let v = lanes(row, g)
          var previous = SIMD4<Float>(repeating: -.infinity)
          for r in 0..<n {
            let current = s[r]
            s[r] = Self.maximum(previous, Self.minimum(current, v))
            previous = current
          }
        }
      }
    }
    self.position = position
  }

  /// Replaces one copy of row `old` (which must be in the window) by row `new`, bin by bin.
  ///
  /// - Complexity: O(bins × size) lane operations.
  func slide(removing old: UnsafePointer<Float>, inserting new: UnsafePointer<Float>) {
    let n = size
    sorted.withUnsafeMutableBufferPointer { buffer in
      for g in 0..<groups {
        let s = buffer.baseAddress! + g * (n + 1)
        let o = lanes(old, g)
        let v = lanes(new, g)
        // S′[r] = S[r] ≥ old ? S[r+1] : S[r] drops one copy of old;
        // T[r] = max(S′[r−1], min(S′[r], new)) inserts new.
        // Two ranks per iteration, each loaded once.
        var previous = SIMD4<Float>(repeating: -.infinity)
        var here = s[0]
        var r = 0
        while r + 2 <= n {
          let next = s[r + 1]
          let c0 = here.replacing(with: next, where: here .>= o)
          s[r] = Self.maximum(previous, Self.minimum(c0, v))
          let after = s[r + 2]
          let c1 = next.replacing(with: after, where: next .>= o)
          s[r + 1] = Self.maximum(c0, Self.minimum(c1, v))
          previous = c1
          here = after
          r += 2
        }
        if r < n {
          let c = here.replacing(with: s[r + 1], where: here .>= o)
          s[r] = Self.maximum(previous, Self.minimum(c, v))
        }
      }
    }
  }

  /// Writes the current medians (`bins` values) to `row`.
  func median(into row: UnsafeMutablePointer<Float>) {
    let n = size
    let rank = size / 2
    sorted.withUnsafeBufferPointer { buffer in
      for g in 0..<groups {
        let m = buffer[g * (n + 1) + rank]
        for lane in 0..<min(4, bins - 4 * g) { row[4 * g + lane] = m[lane] }
      }
    }
  }
}
