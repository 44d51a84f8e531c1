import DSP

/// The columns of `librosa.feature.tempogram` (autocorrelation, `norm=inf`, `center=True`):
/// the envelope's linear-ramp padding and the max-normalised autocorrelation of each Hann-windowed
/// `winLength` stretch, four stretches per FFT pass.
///
/// Shared by the offline tempo (``FrameFeatures``) and the streaming memo, so that a column
/// computed by either is the same bits.
struct TempogramColumns {
  /// Lags per column (`win_length`, 384 frames for 8 s at 22 050 Hz / 512).
  let winLength: Int
  /// The FFT size: the smallest power of two ≥ 2 · `winLength` (no circular wrap-around).
  let size: Int
  private let bins: Int
  private let plan: RealFFTPlan
  private let workspace: FFTWorkspace
  private let fullWindow: [Float]

  /// A plan for `winLength`-lag columns.
  ///
  /// - Throws: `FeatureError` when `winLength` is below 2 or too large for an FFT plan.
  init(winLength: Int) throws(FeatureError) {
    guard winLength >= 2, winLength <= 1 << 16 else {
      throw .invalidParameter(name: "win_length", value: "\(winLength)", valid: "2...65536 envelope frames")
    }
    self.winLength = winLength
    var size = 1
    while size < 2 * winLength { size <<= 1 }
    self.size = size
    bins = size / 2 + 1
    plan = try dsp { () throws(DSPError) in try RealFFTPlan(size: size) }
    workspace = plan.makeWorkspace()
    let window = try dsp { () throws(DSPError) in try Window.hann.samples(length: winLength, periodic: true) }
    fullWindow = window + [Float](repeating: 0, count: size - winLength)
  }

  /// `envelope` padded as librosa's tempogram pads it (`np.pad(mode='linear_ramp',
  /// end_values=0)`, `winLength / 2` on each side), followed by `size` zeros so that every
  /// column's FFT frame stays inside the buffer (the window is zero past `winLength`).
  ///
  /// - Precondition: `envelope` is not empty.
  func padded(_ envelope: [Float]) -> [Float] {
    precondition(!envelope.isEmpty, "an onset envelope needs at least one frame")
    let n = envelope.count
    let half = winLength / 2
    var padded = [Float](repeating: 0, count: n + 2 * half + size)
    let first = Double(envelope[0])
    let last = Double(envelope[n - 1])
    for j in 0..<half {
      padded[j] = Float(first * Double(j) / Double(half))
      padded[n + 2 * half - 1 - j] = Float(last * Double(j) / Double(half))
    }
    for i in 0..<n { padded[half + i] = envelope[i] }
    return padded
  }

  /// Computes the columns whose stretches start at `position(0) ..< position(count - 1)` of
  /// `padded` (a buffer from ``padded(_:)``) and hands each to `body(index, lags, scale)`:
  /// column `index` is `lags[k] * scale` for `k < winLength` (the autocorrelation divided by its
  /// largest magnitude; 1 / N of the inverse transform cancels there).
  ///
  /// The autocorrelation is the inverse FFT of the windowed stretch's power spectrum, taken as
  /// the real part of the forward FFT of its even extension.
  /// - Complexity: O(count · size log size); no allocation per column.
  func forEachColumn(
    of padded: UnsafePointer<Float>, count: Int, position: (Int) -> Int,
    _ body: (_ index: Int, _ lags: UnsafePointer<Float>, _ scale: Float) -> Void
  ) {
    guard count > 0 else { return }
    let (bins, size, winLength) = (self.bins, self.size, self.winLength)
    var power = [Float](repeating: 0, count: 4 * bins)
    var even = [Float](repeating: 0, count: 4 * size)
    var re = [Float](repeating: 0, count: 4 * bins)
    var im = [Float](repeating: 0, count: 4 * bins)
    fullWindow.withUnsafeBufferPointer { w in
      power.withUnsafeMutableBufferPointer { pw in
        even.withUnsafeMutableBufferPointer { ev in
          re.withUnsafeMutableBufferPointer { r in
            im.withUnsafeMutableBufferPointer { i in
              let (pw, ev, r, i) = (pw.baseAddress!, ev.baseAddress!, r.baseAddress!, i.baseAddress!)
              var g = 0
              // Four columns per pass: the FFT kernel transforms four lanes at once.
              while g < count {
                let lanes = min(4, count - g)
                func frame(_ j: Int) -> UnsafePointer<Float> { padded + position(g + min(j, lanes - 1)) }
                plan.powerSpectra(
                  frames: (frame(0), frame(1), frame(2), frame(3)), count: lanes, window: w.baseAddress!,
                  rows: (pw, pw + bins, pw + 2 * bins, pw + 3 * bins), workspace: workspace)
                for j in 0..<lanes {
                  let p = pw + j * bins
                  let e = ev + j * size
                  e.update(from: p, count: bins)
                  // The mirrored half, four values per reversed store (one at a time it stayed scalar).
                  var k = 1
                  while k + 4 <= size / 2 {
                    let v = UnsafeRawPointer(p + k).loadUnaligned(as: SIMD4<Float>.self)
                    UnsafeMutableRawPointer(e + size - k - 3).storeBytes(
                      of: SIMD4(v[3], v[2], v[1], v[0]), as: SIMD4<Float>.self)
                    k += 4
                  }
                  while k < size / 2 {
                    e[size - k] = p[k]
                    k += 1
                  }
                }
                func lane(_ j: Int) -> UnsafePointer<Float> { UnsafePointer(ev + min(j, lanes - 1) * size) }
                plan.spectra(
                  frames: (lane(0), lane(1), lane(2), lane(3)), count: lanes, window: nil,
                  real: (r, r + bins, r + 2 * bins, r + 3 * bins),
                  imaginary: (i, i + bins, i + 2 * bins, i + 3 * bins), workspace: workspace)
                for j in 0..<lanes {
                  let a = r + j * bins
                  // The largest |a[k]|, four lanes at a time (a maximum is exact in any order).
                  var lanes4 = SIMD4<Float>()
                  var k = 0
                  while k + 4 <= winLength {
                    let v = UnsafeRawPointer(a + k).loadUnaligned(as: SIMD4<Float>.self)
                    let magnitude = v.replacing(with: -v, where: v .< 0)
                    lanes4 = lanes4.replacing(with: magnitude, where: magnitude .> lanes4)
                    k += 4
                  }
                  var peak = max(max(lanes4[0], lanes4[1]), max(lanes4[2], lanes4[3]))
                  while k < winLength {
                    peak = max(peak, abs(a[k]))
                    k += 1
                  }
                  body(g + j, UnsafePointer(a), peak < Float.leastNormalMagnitude ? 1 : 1 / peak)
                }
                g += lanes
              }
            }
          }
        }
      }
    }
  }
}
