/// The direct path of a planned 3 × 3 convolution with 1–2 input channels (see
/// `WinogradConvolution`).
extension WinogradConvolution {
  /// The direct path: per sample and `chunk` output rows, im2col (tap-major, `[9·C][pixels]`), one
  /// `sgemm` with K = 9·C, then bias, activation and pooling on the products `[pixel][Fs]`.
  func runDirect(
    _ source: UnsafePointer<Float>, samples: Int, into target: UnsafeMutablePointer<Float>,
    output: ChannelsLastLayout, columns: UnsafeMutablePointer<Float>, products: UnsafeMutablePointer<Float>
  ) {
    let (c, cs, fs) = (input.channels, input.channelStride, filterStride)
    let k = 9 * c
    let (oh, ow, rh, rw) = (outputHeight, outputWidth, resultHeight, resultWidth)
    let rowStride = input.rowStride
    let activation = activation
    directWeights.withUnsafeBufferPointer { w in
      bias.withUnsafeBufferPointer { bias in
        for n in 0..<samples {
          var firstRow = 0
          // With pooling, rows past 2·rh are never needed.
          let rows = pools ? 2 * rh : oh
          while firstRow < rows {
            let rowCount = min(chunk, rows - firstRow)
            let pixels = rowCount * ow
            // im2col, tap-major: row (i·3 + j)·C + c holds, for every output pixel (oy, ox) of the
            // chunk, the input at padded row oy + i, column ox + j, channel c — for one channel a
            // contiguous copy of part of an input row.
            for tap in 0..<9 {
              let (i, j) = (tap / 3, tap % 3)
              for channel in 0..<c {
                let row = columns + (tap &* c &+ channel) &* pixels
                for r in 0..<rowCount {
                  let from = source + ((n &* input.paddedHeight &+ firstRow &+ r &+ i) &* rowStride &+ j &* cs &+ channel)
                  let to = row + r &* ow
                  if cs == 1 {
                    to.update(from: from, count: ow)
                  } else {
                    for ox in 0..<ow { to[ox] = from[ox &* cs] }
                  }
                }
              }
            }
            gemm(transposeA: true, m: pixels, n: fs, k: k, a: columns, b: w.baseAddress!, c: products)
            let b = bias.baseAddress!
            if pools {
              for pr in 0..<(rowCount / 2) {
                let py = firstRow / 2 + pr
                let top = products + (2 &* pr &* ow) &* fs
                let bottom = top + ow &* fs
                for px in 0..<rw {
                  let left = top + 2 &* px &* fs
                  let right = left + fs
                  let lowerLeft = bottom + 2 &* px &* fs
                  let lowerRight = lowerLeft + fs
                  let out = target + output.offset(sample: n, y: py, x: px)
                  var f = 0
                  while f < fs {
                    let m = maximum(
                      maximum(load4(left + f), load4(right + f)), maximum(load4(lowerLeft + f), load4(lowerRight + f)))
                    store4(activation.apply(m + load4(b + f)), out + f)
                    f &+= 4
                  }
                }
              }
            } else {
              for r in 0..<rowCount {
                for ox in 0..<ow {
                  let value = products + (r &* ow &+ ox) &* fs
                  let out = target + output.offset(sample: n, y: firstRow + r, x: ox)
                  var f = 0
                  while f < fs {
                    store4(activation.apply(load4(value + f) + load4(b + f)), out + f)
                    f &+= 4
                  }
                }
              }
            }
            firstRow += rowCount
          }
        }
      }
    }
  }
}
