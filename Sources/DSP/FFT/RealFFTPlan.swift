/// A reusable forward FFT of real input of one even size, returning bins `0...size/2`.
///
/// Matches `numpy.fft.rfft`: `X[k] = Σₙ x[n] e^{-2πink/N}` for `k = 0...N/2`, unnormalised.
/// Power-of-two sizes of at least 8 take a fast radix-4 Stockham kernel in `Float` that
/// transforms four frames at once in SIMD lanes; every other even size takes Bluestein's
/// algorithm in `Double` (exact to float32 rounding, several times slower).
///
/// The plan is immutable and `Sendable`: share one across threads, and give each thread its own
/// ``FFTWorkspace`` (``makeWorkspace()``), which holds all scratch memory so transforms do not
/// allocate.
public struct RealFFTPlan: Sendable {
  enum Kernel: Sendable {
    case quad(QuadRealFFT)
    case general(BluesteinRealFFT)
  }

  /// The transform size `N` (number of real input samples).
  public let size: Int
  let kernel: Kernel

  /// Number of output bins, `N / 2 + 1`.
  public var binCount: Int { size / 2 + 1 }

  /// Whether this size takes the fast power-of-two kernel.
  public var usesFastPath: Bool {
    if case .quad = kernel { return true }
    return false
  }

  /// The largest power-of-two size accepted (2²⁰ samples; its workspace takes about 50 MB).
  public static let maximumPowerOfTwoSize = 1 << 20
  /// The largest other even size accepted (2¹⁸ samples; Bluestein's buffers take about 32 MB).
  public static let maximumGeneralSize = 1 << 18

  /// Creates a plan for real input of `size` samples, precomputing all twiddle factors.
  ///
  /// - Parameter size: an even number of samples, at least 2 (e.g. librosa's `n_fft` 2048), at
  ///   most ``maximumPowerOfTwoSize`` for powers of two and ``maximumGeneralSize`` otherwise.
  /// - Throws: ``DSPError/invalidFFTSize(_:)`` for odd, too small or too large sizes.
  /// - Complexity: O(`size`) time and memory.
  public init(size: Int) throws(DSPError) {
    let powerOfTwo = size > 0 && size & (size - 1) == 0
    guard size >= 2, size % 2 == 0,
      size <= (powerOfTwo ? Self.maximumPowerOfTwoSize : Self.maximumGeneralSize)
    else { throw .invalidFFTSize(size) }
    self.size = size
    kernel =
      QuadRealFFT.supports(size) ? .quad(QuadRealFFT(size: size)) : .general(BluesteinRealFFT(size: size))
  }

  /// Scratch memory for one thread's transforms with this plan.
  public func makeWorkspace() -> FFTWorkspace {
    switch kernel {
    case .quad: return FFTWorkspace(size: size, convolutionSize: 0)
    case .general(let g): return FFTWorkspace(size: size, convolutionSize: g.convolutionSize)
    }
  }

  /// The spectrum of one real frame, written as split real and imaginary parts.
  ///
  /// - Parameters:
  ///   - input: `size` samples.
  ///   - real: receives `Re X[k]`, `binCount` values.
  ///   - imaginary: receives `Im X[k]`, `binCount` values.
  ///   - workspace: scratch made by this plan's ``makeWorkspace()``.
  /// - Complexity: O(`size` log `size`); no allocation.
  public func forward(
    _ input: UnsafeBufferPointer<Float>, real: UnsafeMutableBufferPointer<Float>,
    imaginary: UnsafeMutableBufferPointer<Float>, workspace: FFTWorkspace
  ) {
    precondition(input.count == size, "rfft input has \(input.count) samples, plan size is \(size)")
    precondition(
      real.count >= binCount && imaginary.count >= binCount,
      "rfft outputs hold \(real.count) and \(imaginary.count) values, \(binCount) needed")
    let p = input.baseAddress!
    spectra(
      frames: (p, p, p, p), count: 1, window: nil,
      real: (real.baseAddress!, real.baseAddress!, real.baseAddress!, real.baseAddress!),
      imaginary: (
        imaginary.baseAddress!, imaginary.baseAddress!, imaginary.baseAddress!, imaginary.baseAddress!
      ),
      workspace: workspace)
  }

  /// The spectrum of one real frame, as `numpy.fft.rfft(input)` (allocating convenience).
  ///
  /// - Parameter input: `size` samples.
  /// - Returns: real and imaginary parts, `binCount` values each.
  public func forward(_ input: [Float]) -> (real: [Float], imaginary: [Float]) {
    var re = [Float](repeating: 0, count: binCount)
    var im = [Float](repeating: 0, count: binCount)
    let workspace = makeWorkspace()
    input.withUnsafeBufferPointer { x in
      re.withUnsafeMutableBufferPointer { r in
        im.withUnsafeMutableBufferPointer { i in
          forward(x, real: r, imaginary: i, workspace: workspace)
        }
      }
    }
    return (re, im)
  }

  /// The power spectrum `|X[k]|²` of one real frame.
  ///
  /// - Parameters:
  ///   - input: `size` samples.
  ///   - power: receives `binCount` values.
  ///   - workspace: scratch made by this plan's ``makeWorkspace()``.
  /// - Complexity: O(`size` log `size`); no allocation.
  public func powerSpectrum(
    _ input: UnsafeBufferPointer<Float>, into power: UnsafeMutableBufferPointer<Float>,
    workspace: FFTWorkspace
  ) {
    precondition(input.count == size, "rfft input has \(input.count) samples, plan size is \(size)")
    precondition(power.count >= binCount, "power output holds \(power.count) values, \(binCount) needed")
    let p = input.baseAddress!
    let o = power.baseAddress!
    powerSpectra(frames: (p, p, p, p), count: 1, window: nil, rows: (o, o, o, o), workspace: workspace)
  }

  /// Power spectra of up to four frames at once (the STFT's inner step).
  ///
  /// - Parameters:
  ///   - frames: four pointers to `size` samples; lanes at or beyond `count` are computed but
  ///     not stored (pass any valid frame for them).
  ///   - count: how many of the frames to store, 1...4.
  ///   - window: `size` window samples multiplied in before the transform, or `nil`.
  ///   - rows: four output rows of `binCount` values.
  ///   - magnitude: store `|X[k]|` instead of `|X[k]|²`.
  package func powerSpectra(
    frames: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
    count: Int, window: UnsafePointer<Float>?,
    rows: (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
    ),
    magnitude: Bool = false, workspace w: FFTWorkspace
  ) {
    precondition(w.size == size, "workspace is for size \(w.size), plan size is \(size)")
    switch kernel {
    case .quad(let q):
      q.packTransform(frames.0, frames.1, frames.2, frames.3, window: window, z: w.z)
      if count == 4 && q.half >= 8 {
        if magnitude {
          q.unpackPowerRows(w.z, rows: rows, magnitude: true)
        } else {
          q.unpackPowerRows(w.z, rows: rows, magnitude: false)
        }
        return
      }
      q.unpackPower(w.z, power: w.lanesRe)
      if magnitude {
        // √ while the lanes are still in L1 (a separate pass over the output cost 1.8 ms/clip).
        UnsafeMutableRawPointer(w.lanesRe).withMemoryRebound(to: Float.self, capacity: 4 * binCount) {
          squareRootInPlace($0, count: 4 * binCount)
        }
      }
      QuadRealFFT.scatterLanes(w.lanesRe, count: binCount, rowCount: count, rows: rows)
    case .general(let g):
      for j in 0..<count {
        g.transform(
          lane(j, of: frames), window: window, workRe: &w.workRe, workIm: &w.workIm,
          outRe: w.binsRe, outIm: w.binsIm)
        let out = lane(j, of: rows)
        for k in 0..<binCount {
          let p = w.binsRe[k] * w.binsRe[k] + w.binsIm[k] * w.binsIm[k]
          out[k] = magnitude ? p.squareRoot() : p
        }
      }
    }
  }

  /// Complex spectra of up to four frames at once; see ``powerSpectra(frames:count:window:rows:workspace:)``.
  package func spectra(
    frames: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
    count: Int, window: UnsafePointer<Float>?,
    real: (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
    ),
    imaginary: (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>
    ),
    workspace w: FFTWorkspace
  ) {
    precondition(w.size == size, "workspace is for size \(w.size), plan size is \(size)")
    switch kernel {
    case .quad(let q):
      q.packTransform(frames.0, frames.1, frames.2, frames.3, window: window, z: w.z)
      q.unpackComplex(w.z, outRe: w.lanesRe, outIm: w.lanesIm)
      QuadRealFFT.scatterLanes(w.lanesRe, count: binCount, rowCount: count, rows: real)
      QuadRealFFT.scatterLanes(w.lanesIm, count: binCount, rowCount: count, rows: imaginary)
    case .general(let g):
      for j in 0..<count {
        g.transform(
          lane(j, of: frames), window: window, workRe: &w.workRe, workIm: &w.workIm,
          outRe: lane(j, of: real), outIm: lane(j, of: imaginary))
      }
    }
  }
}

/// Element `j` (0...3) of a four-tuple.
@inline(__always)
func lane<T>(_ j: Int, of tuple: (T, T, T, T)) -> T {
  switch j {
  case 0: return tuple.0
  case 1: return tuple.1
  case 2: return tuple.2
  default: return tuple.3
  }
}
