/// Scratch memory for one thread's use of a ``RealFFTPlan`` (and of the STFT built on it).
///
/// Plans are immutable and shared; a workspace holds the mutable buffers a transform needs, so
/// transforms allocate nothing. Create one per thread (or per task) with
/// ``RealFFTPlan/makeWorkspace()`` and reuse it for every call; it is deliberately not
/// `Sendable`.
public final class FFTWorkspace {
  /// The FFT size this workspace was made for.
  public let size: Int
  let half: Int
  // Quad-lane kernel buffers: `z` holds `2 * half` lane vectors (interleaved re/im);
  // `lanes*` hold `half + 1` each.
  let z: UnsafeMutablePointer<SIMD4<Float>>
  let lanesRe: UnsafeMutablePointer<SIMD4<Float>>
  let lanesIm: UnsafeMutablePointer<SIMD4<Float>>
  /// Four frames of `size` samples, for frames that need padding (STFT edges).
  let frames: UnsafeMutablePointer<Float>
  /// Two rows of `size / 2 + 1` floats for per-frame results of the general kernel.
  let binsRe: UnsafeMutablePointer<Float>
  let binsIm: UnsafeMutablePointer<Float>
  // General (Bluestein) kernel buffers.
  var workRe: [Double]
  var workIm: [Double]

  init(size: Int, convolutionSize: Int) {
    self.size = size
    half = size / 2
    let lanes = max(half, 1)
    z = .allocate(capacity: 2 * lanes)
    lanesRe = .allocate(capacity: lanes + 1)
    lanesIm = .allocate(capacity: lanes + 1)
    frames = .allocate(capacity: 4 * size)
    frames.initialize(repeating: 0, count: 4 * size)
    binsRe = .allocate(capacity: half + 1)
    binsIm = .allocate(capacity: half + 1)
    workRe = [Double](repeating: 0, count: convolutionSize)
    workIm = [Double](repeating: 0, count: convolutionSize)
  }

  deinit {
    z.deallocate()
    lanesRe.deallocate()
    lanesIm.deallocate()
    frames.deallocate()
    binsRe.deallocate()
    binsIm.deallocate()
  }
}

@available(*, unavailable, message: "an FFTWorkspace is one thread's scratch memory; make one per thread")
extension FFTWorkspace: Sendable {}
