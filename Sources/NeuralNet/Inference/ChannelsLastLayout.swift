/// Where the samples of a channels-last (`[N, H, W, C]`) activation live inside an inference
/// buffer: a zero border of `padTop`/`padLeft` rows and columns (and enough below and to the right
/// for whole Winograd tiles), and the channel axis rounded up to a multiple of 4 so transforms run
/// on `SIMD4` lanes without remainders (or stored exactly, "compact", for the direct path's 1–2
/// channel inputs). Border elements and padded channels are always zero.
struct ChannelsLastLayout: Equatable {
  /// Logical extents of one sample.
  var channels: Int, height: Int, width: Int
  /// Zero rows above and columns to the left of the logical sample.
  var padTop: Int = 0, padLeft: Int = 0
  /// Stored rows and columns per sample (≥ logical extent + padding).
  var paddedHeight: Int, paddedWidth: Int
  /// Channels as stored: `channels` rounded up to a multiple of 4, or exactly `channels` if compact.
  let channelStride: Int

  /// A layout without a border.
  init(channels: Int, height: Int, width: Int) {
    self.channels = channels
    self.height = height
    self.width = width
    paddedHeight = height
    paddedWidth = width
    channelStride = (channels + 3) / 4 * 4
  }

  /// A layout with a zero border around a logical `height × width` sample.
  init(
    channels: Int, height: Int, width: Int, padTop: Int, padLeft: Int, paddedHeight: Int,
    paddedWidth: Int, compact: Bool = false
  ) {
    precondition(
      paddedHeight >= height + padTop && paddedWidth >= width + padLeft,
      "padded extent \(paddedHeight)×\(paddedWidth) cannot hold \(height)×\(width) at (\(padTop), \(padLeft))")
    self.channels = channels
    self.height = height
    self.width = width
    self.padTop = padTop
    self.padLeft = padLeft
    self.paddedHeight = paddedHeight
    self.paddedWidth = paddedWidth
    channelStride = compact ? channels : (channels + 3) / 4 * 4
  }
  /// Floats between one stored row and the next.
  var rowStride: Int { paddedWidth * channelStride }
  /// Floats per sample.
  var sampleSize: Int { paddedHeight * rowStride }

  /// The offset of logical element `(sample, y, x, 0)`.
  @inline(__always)
  func offset(sample: Int, y: Int, x: Int) -> Int {
    (sample &* paddedHeight &+ y &+ padTop) &* rowStride &+ (x &+ padLeft) &* channelStride
  }

  /// Writes NCHW samples `x` (`[samples, C, H, W]`) into `buffer` laid out as `self`; the border
  /// and padded channels are left untouched (zero).
  ///
  /// - Complexity: O(samples · C · H · W).
  func store(nchw x: UnsafePointer<Float>, samples: Int, into buffer: UnsafeMutablePointer<Float>) {
    let plane = height * width
    for n in 0..<samples {
      for c in 0..<channels {
        let source = x + (n * channels + c) * plane
        for y in 0..<height {
          let row = source + y * width
          let target = buffer + offset(sample: n, y: y, x: 0) + c
          let step = channelStride
          if step == 1 {
            target.update(from: row, count: width)
          } else {
            for xIndex in 0..<width { target[xIndex * step] = row[xIndex] }
          }
        }
      }
    }
  }

  /// Reads `samples` samples of `buffer` (laid out as `self`) back as NCHW `[samples, C, H, W]`.
  ///
  /// - Complexity: O(samples · C · H · W).
  func load(from buffer: UnsafePointer<Float>, samples: Int, nchw y: UnsafeMutablePointer<Float>) {
    let plane = height * width
    for n in 0..<samples {
      for c in 0..<channels {
        let target = y + (n * channels + c) * plane
        for row in 0..<height {
          let source = buffer + offset(sample: n, y: row, x: 0) + c
          let step = channelStride
          for xIndex in 0..<width { target[row * width + xIndex] = source[xIndex * step] }
        }
      }
    }
  }

  /// The mean over H × W of every channel of `samples` samples, written as `[samples, C]`.
  /// Matches `GlobalAveragePooling` on the NCHW view.
  ///
  /// - Complexity: O(samples · C · H · W).
  func globalAverage(of buffer: UnsafePointer<Float>, samples: Int, into y: UnsafeMutablePointer<Float>) {
    let stride = channelStride
    let scale = 1 / Float(height * width)
    withUnsafeTemporaryAllocation(of: Float.self, capacity: stride) { sums in
      let sums = sums.baseAddress!
      for n in 0..<samples {
        sums.update(repeating: 0, count: stride)
        for row in 0..<height {
          let source = buffer + offset(sample: n, y: row, x: 0)
          for xIndex in 0..<width {
            let pixel = source + xIndex * stride
            var c = 0
            while c + 4 <= stride {
              let s = UnsafeRawPointer(sums + c).loadUnaligned(as: SIMD4<Float>.self)
              let v = UnsafeRawPointer(pixel + c).loadUnaligned(as: SIMD4<Float>.self)
              UnsafeMutableRawPointer(sums + c).storeBytes(of: s + v, as: SIMD4<Float>.self)
              c += 4
            }
            while c < stride {
              sums[c] += pixel[c]
              c += 1
            }
          }
        }
        for c in 0..<channels { y[n * channels + c] = sums[c] * scale }
      }
    }
  }
}
