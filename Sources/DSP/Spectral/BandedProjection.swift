/// A matrix applied to spectrum frames as a list of bands, each a contiguous run of input bins
/// with its weights, added into one output row: the shared kernel of the mel and chroma
/// filterbanks and the DCT.
///
/// Band `r` holds `counts[r]` weights starting at `weights[offsets[r]]`, applied to input bins
/// `starts[r] ..< starts[r] + counts[r]` and added into output `targets[r]`. Mel filters and the
/// DCT have one band per output row (`targets[r] = r`; a dense matrix is the case
/// `starts[r] = 0`, `counts[r] = inputCount`); a sparse matrix has one band per run of nonzeros.
struct BandedProjection: Sendable {
  /// Input values per frame.
  let inputCount: Int
  /// Output values per frame.
  let outputCount: Int
  /// First input bin of each band.
  let starts: [Int]
  /// Length of each band (0 for an all-zero row).
  let counts: [Int]
  /// Offset of each band's weights in `weights`.
  let offsets: [Int]
  /// The output row each band adds into.
  let targets: [Int]
  /// The weights of all bands, concatenated.
  let weights: [Float]

  /// A projection with one band per output row.
  init(inputCount: Int, starts: [Int], counts: [Int], offsets: [Int], weights: [Float]) {
    self.init(
      inputCount: inputCount, outputCount: starts.count, starts: starts, counts: counts, offsets: offsets,
      targets: Array(starts.indices), weights: weights)
  }

  /// A projection from bands and the output row of each.
  init(
    inputCount: Int, outputCount: Int, starts: [Int], counts: [Int], offsets: [Int], targets: [Int],
    weights: [Float]
  ) {
    precondition(
      starts.count == counts.count && counts.count == offsets.count && offsets.count == targets.count,
      "bands disagree: \(starts.count) starts, \(counts.count) counts, \(offsets.count) offsets, "
        + "\(targets.count) targets")
    precondition(
      targets.allSatisfy { (0..<outputCount).contains($0) }, "a band's target is outside 0..<\(outputCount)")
    self.inputCount = inputCount
    self.outputCount = outputCount
    self.starts = starts
    self.counts = counts
    self.offsets = offsets
    self.targets = targets
    self.weights = weights
  }

  /// A projection from a `rows × inputCount` row-major matrix, keeping only its runs of nonzero
  /// weights: each row becomes one band per run, runs separated by fewer than `gap` zeros are
  /// joined (a band's fixed cost is worth a few multiplications by zero).
  init(sparseRows matrix: [Float], rowCount: Int, inputCount: Int, gap: Int = 8) {
    precondition(matrix.count == rowCount * inputCount, "matrix is not \(rowCount) × \(inputCount)")
    var starts: [Int] = []
    var counts: [Int] = []
    var offsets: [Int] = []
    var targets: [Int] = []
    var weights: [Float] = []
    for r in 0..<rowCount {
      let row = matrix[(r * inputCount)..<((r + 1) * inputCount)]
      var k = row.startIndex
      while let first = row[k...].firstIndex(where: { $0 != 0 }) {
        var last = first
        var j = first + 1
        while j < row.endIndex, j - last <= gap {
          if row[j] != 0 { last = j }
          j += 1
        }
        starts.append(first - row.startIndex)
        counts.append(last - first + 1)
        offsets.append(weights.count)
        targets.append(r)
        weights.append(contentsOf: row[first...last])
        k = last + 1
      }
    }
    self.init(
      inputCount: inputCount, outputCount: rowCount, starts: starts, counts: counts, offsets: offsets,
      targets: targets, weights: weights)
  }

  /// A projection from a dense `rows × inputCount` row-major matrix.
  init(denseRows weights: [Float], rowCount: Int, inputCount: Int) {
    precondition(weights.count == rowCount * inputCount, "dense matrix is not \(rowCount) × \(inputCount)")
    self.init(
      inputCount: inputCount, starts: [Int](repeating: 0, count: rowCount),
      counts: [Int](repeating: inputCount, count: rowCount),
      offsets: (0..<rowCount).map { $0 * inputCount }, weights: weights)
  }

  /// Projects one frame: `output[targets[r]] += Σⱼ weights[offsets[r] + j] · input[starts[r] + j]`
  /// over the bands `r`, from zero.
  ///
  /// - Complexity: O(stored weights); no allocation.
  func apply(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
    output.update(repeating: 0, count: outputCount)
    weights.withUnsafeBufferPointer { w in
      for r in starts.indices {
        output[targets[r]] += dot(w.baseAddress! + offsets[r], input + starts[r], count: counts[r])
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
    let bands = starts.count
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
            while r < bands {
              // Two bands over the same bins share each frame load (the dense DCT rows).
              if r + 1 < bands, starts[r] == starts[r + 1], counts[r] == counts[r + 1] {
                let (a, b) = dot4x2(
                  w + offsets[r], w + offsets[r + 1], s + t * inputCount + starts[r], stride: inputCount,
                  count: counts[r])
                let (u, v) = (targets[r], targets[r + 1])
                for j in 0..<4 {
                  o[(t + j) * rows + u] += a[j]
                  o[(t + j) * rows + v] += b[j]
                }
                r += 2
                continue
              }
              let sums = dot4(w + offsets[r], s + t * inputCount + starts[r], stride: inputCount, count: counts[r])
              let u = targets[r]
              for j in 0..<4 { o[(t + j) * rows + u] += sums[j] }
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
