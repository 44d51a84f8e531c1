import DSP
import Foundation

/// The autocorrelation tempogram of sliding windows with its columns memoised by absolute
/// position (internal to ``StreamingFeatureExtractor``).
///
/// Column `j` of a window's tempogram depends only on the `win_length` padded envelope values
/// it reads. Each column is stored with those values; a later window reuses it when its column
/// at the same stream position reads exactly the same values (interior columns), and
/// recomputes it otherwise (columns that reach the window's edges, or whose envelope values
/// changed because the window's dB floor moved). The arithmetic is that of
/// ``FrameFeatures/tempo(onsetEnvelope:sampleRate:hopLength:startBPM:standardDeviationBPM:autocorrelationSeconds:maximumTempo:)``
/// step by step, so the mean tempogram and the tempo are the same.
final class TempogramMemo {
  let sampleRate: Int
  let hopLength: Int
  let winLength: Int
  let kernel: TempogramColumns

  /// Memo for absolute columns `base ..< base + valid.count`.
  var base = 0
  var valid: [Bool] = []
  var segments: [Float] = []
  var columns: [Float] = []
  /// Columns recomputed by the last call (for tests and benchmarks).
  var recomputed = 0

  init(sampleRate: Int, hopLength: Int) throws(FeatureError) {
    self.sampleRate = sampleRate
    self.hopLength = hopLength
    let winLength = Int((8 * Double(sampleRate) / Double(hopLength)).rounded(.down))
    self.winLength = winLength
    guard winLength >= 2, winLength <= 1 << 16 else {
      throw .invalidParameter(name: "ac_size", value: "8", valid: "giving 2...65536 envelope frames")
    }
    kernel = try TempogramColumns(winLength: winLength)
  }

  /// Drops memoised columns before absolute column `column`.
  func discard(before column: Int) {
    let drop = min(max(0, column - base), valid.count)
    guard drop > 0, drop >= valid.count / 4 else { return }
    valid.removeFirst(drop)
    segments.removeFirst(drop * winLength)
    columns.removeFirst(drop * winLength)
    base += drop
  }

  /// The tempo of a window whose onset envelope is `envelope` and whose column 0 sits at
  /// absolute column `start`.
  func tempo(envelope: [Float], start: Int) -> Double {
    let ac = meanTempogram(envelope, start: start)
    var best = 0
    var bestScore = -Double.infinity
    for k in 1..<winLength {
      let bpm = 60 * Double(sampleRate) / (Double(hopLength) * Double(k))
      if !(bpm < 320) { continue }
      let prior = -0.5 * pow((log2(bpm) - log2(120.0)) / 1, 2)
      let score = Double(log1p(1e6 * ac[k])) + prior
      if score > bestScore {
        bestScore = score
        best = k
      }
    }
    if best == 0 { return .infinity }
    return 60 * Double(sampleRate) / (Double(hopLength) * Double(best))
  }

  /// The mean of the window's max-normalised autocorrelation columns (`winLength` lags).
  func meanTempogram(_ envelope: [Float], start: Int) -> [Float] {
    let n = envelope.count
    let padded = kernel.padded(envelope)
    // Make room in the memo for this window's columns.
    if valid.isEmpty { base = start }
    let memoEnd = start + n
    if start >= base, memoEnd > base + valid.count {
      let grow = memoEnd - base - valid.count
      valid += [Bool](repeating: false, count: grow)
      segments += [Float](repeating: 0, count: grow * winLength)
      columns += [Float](repeating: 0, count: grow * winLength)
    }
    let memoised = start >= base
    var stale: [Int] = []
    let memoValid = valid
    let base = self.base
    let winLength = self.winLength
    padded.withUnsafeBufferPointer { x in
      segments.withUnsafeBufferPointer { seg in
        for j in 0..<n {
          let c = start + j - base
          guard memoised, memoValid[c] else {
            stale.append(j)
            continue
          }
          // Bitwise equality: the same input bits give the same column bits (a stricter test
          // than `==`, which would also reuse across ±0; memcmp runs vectorised).
          let a = x.baseAddress! + j
          let b = seg.baseAddress! + c * winLength
          if memcmp(a, b, winLength * MemoryLayout<Float>.stride) != 0 { stale.append(j) }
        }
      }
    }
    recomputed = stale.count
    var fresh = [Float](repeating: 0, count: stale.count * winLength)
    computeColumns(padded, stale, into: &fresh)
    if memoised {
      segments.withUnsafeMutableBufferPointer { seg in
        columns.withUnsafeMutableBufferPointer { col in
          for (i, j) in stale.enumerated() {
            let c = start + j - base
            for k in 0..<winLength {
              seg[c * winLength + k] = padded[j + k]
              col[c * winLength + k] = fresh[i * winLength + k]
            }
          }
        }
      }
      for j in stale { valid[start + j - base] = true }
    }
    var sum = [Double](repeating: 0, count: winLength)
    var next = 0
    // Local views of the memo: no per-element exclusivity checks on the class's storage.
    columns.withUnsafeBufferPointer { memo in
      fresh.withUnsafeBufferPointer { computed in
        sum.withUnsafeMutableBufferPointer { acc in
          for j in 0..<n {
            let column: UnsafePointer<Float>
            if next < stale.count, stale[next] == j {
              column = computed.baseAddress! + next * winLength
              next += 1
            } else {
              column = memo.baseAddress! + (start + j - base) * winLength
            }
            for k in 0..<winLength { acc[k] += Double(column[k]) }
          }
        }
      }
    }
    return sum.map { Float($0 / Double(n)) }
  }

  /// Normalised autocorrelation columns at envelope positions `positions` (of the padded
  /// envelope), as `FrameFeatures.meanTempogram` computes them (one shared kernel).
  private func computeColumns(_ padded: [Float], _ positions: [Int], into out: inout [Float]) {
    let winLength = self.winLength
    padded.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { o in
        kernel.forEachColumn(of: x.baseAddress!, count: positions.count, position: { positions[$0] }) {
          index, lags, scale in
          let dst = o.baseAddress! + index * winLength
          for k in 0..<winLength { dst[k] = lags[k] * scale }
        }
      }
    }
  }
}
