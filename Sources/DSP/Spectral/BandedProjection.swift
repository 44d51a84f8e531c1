/// A matrix applied to spectrum frames whose rows are each nonzero over one contiguous band of
/// input bins: the shared kernel of the mel and chroma filterbanks and the DCT.
///
/// Row `r` holds `counts[r]` weights starting at `weights[offsets[r]]`, applied to input bins
/// `starts[r] ..< starts[r] + counts[r]`. A dense matrix is the case `starts[r] = 0`,
/// `counts[r] = inputCount`.
struct BandedProjection: Sendable {
  /// Input values per frame.
  let inputCount: Int
  /// First input bin of each row's band.
  let starts: [Int]
  /// Length of each row's band (0 for an all-zero row).
  let counts: [Int]
  /// Offset of each row's weights in `weights`.
  let offsets: [Int]
  /// The band weights of all rows, concatenated.
  let weights: [Float]

  /// Output values per frame (the number of rows).
  var outputCount: Int { starts.count }

  /// A projection from banded rows.
  init(inputCount: Int, starts: [Int], counts: [Int], offsets: [Int], weights: [Float]) {
    precondition(
      starts.count == counts.count && counts.count == offsets.count,
      "banded rows disagree: \(starts.count) starts, \(counts.count) counts, \(offsets.count) offsets")
    self.inputCount = inputCount
    self.starts = starts
    self.counts = counts
    self.offsets = offsets
    self.weights = weights
  }

  /// A projection from a dense `rows × inputCount` row-major matrix.
  init(denseRows weights: [Float], rowCount: Int, inputCount: Int) {
    precondition(weights.count == rowCount * inputCount, "dense matrix is not \(rowCount) × \(inputCount)")
    self.init(
      inputCount: inputCount, starts: [Int](repeating: 0, count: rowCount),
      counts: [Int](repeating: inputCount, count: rowCount),
      offsets: (0..<rowCount).map { $0 * inputCount }, weights: weights)
  }

  /// Projects one frame: `output[r] = Σⱼ weights[offsets[r] + j] · input[starts[r] + j]`.
  ///
  /// - Complexity: O(stored weights); no allocation.
  func apply(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
    weights.withUnsafeBufferPointer { w in
      for r in 0..<outputCount {
        output[r] = dot(w.baseAddress! + offsets[r], input + starts[r], count: counts[r])
      }
    }
  }

  /// Projects every frame of a frames-major matrix of `inputCount` values per frame.
  ///
  /// - Precondition: `spectrogram.binCount == inputCount` (callers check and throw first).
  /// - Complexity: O(frames × stored weights); four frames share each weight load.
  func apply(to spectrogram: Spectrogram) -> Spectrogram {
    precondition(spectrogram.binCount == inputCount, "\(spectrogram.binCount) bins, expected \(inputCount)")
    let rows = outputCount
    let frames = spectrogram.frameCount
    var out = [Float](repeating: 0, count: frames * rows)
    weights.withUnsafeBufferPointer { w in
      spectrogram.values.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
          let w = w.baseAddress!
          let s = s.baseAddress!
          let o = o.baseAddress!
          var t = 0
          while t + 4 <= frames {
            var r = 0
            while r < rows {
              // Two rows over the same bins share each frame load (the dense chroma rows).
              if r + 1 < rows, starts[r] == starts[r + 1], counts[r] == counts[r + 1] {
                let (a, b) = dot4x2(
                  w + offsets[r], w + offsets[r + 1], s + t * inputCount + starts[r], stride: inputCount,
                  count: counts[r])
                for j in 0..<4 {
                  o[(t + j) * rows + r] = a[j]
                  o[(t + j) * rows + r + 1] = b[j]
                }
                r += 2
                continue
              }
              let sums = dot4(w + offsets[r], s + t * inputCount + starts[r], stride: inputCount, count: counts[r])
              for j in 0..<4 { o[(t + j) * rows + r] = sums[j] }
              r += 1
            }
            t += 4
          }
          while t < frames {
            apply(s + t * inputCount, into: o + t * rows)
            t += 1
          }
        }
      }
    }
    return Spectrogram(frameCount: frames, binCount: rows, values: out)
  }
}
