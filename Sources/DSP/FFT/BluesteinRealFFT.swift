import Foundation

/// A real DFT of any size by Bluestein's chirp-z algorithm, computed in `Double`.
///
/// `X[k] = Σₙ x[n] e^{-2πink/N} = w[k] Σₙ (x[n] w[n]) · conj(w[k-n])` with the chirp
/// `w[m] = e^{-πim²/N}` (from `nk = (n² + k² - (k-n)²) / 2`); the sum is a circular
/// convolution of length `L ≥ 2N - 1`, a power of two, done by FFT. The chirp angle uses
/// `m² mod 2N` so it stays exact for large `m`. Double precision keeps the result within a few
/// float32 ulps of an exact DFT for every size; this is the correctness-first path for sizes the
/// power-of-two kernel does not take.
struct BluesteinRealFFT: Sendable {
  /// The transform size `N`.
  let size: Int
  /// The convolution length `L` (a power of two, at least `2N - 1`).
  let convolutionSize: Int
  /// `w[n] = e^{-πin²/N}` for `n` in `0..<N`, real and imaginary parts.
  let chirpRe: [Double]
  let chirpIm: [Double]
  /// The FFT of the circular kernel `conj(w[m])`, `m` in `-(N-1)...(N-1)`, divided by `L`
  /// (the inverse FFT's scale folded in).
  let kernelRe: [Double]
  let kernelIm: [Double]
  let fft: RadixTwoComplexFFT

  init(size: Int) {
    precondition(size >= 1, "Bluestein transform size must be positive, got \(size)")
    self.size = size
    var l = 1
    while l < 2 * size - 1 { l *= 2 }
    convolutionSize = l
    fft = RadixTwoComplexFFT(size: l)
    var cr = [Double](repeating: 0, count: size)
    var ci = [Double](repeating: 0, count: size)
    let twoN = 2 * size
    for n in 0..<size {
      let m2 = (n % twoN) * (n % twoN) % twoN
      let angle = -Double.pi * Double(m2) / Double(size)
      cr[n] = cos(angle)
      ci[n] = sin(angle)
    }
    chirpRe = cr
    chirpIm = ci
    var kr = [Double](repeating: 0, count: l)
    var ki = [Double](repeating: 0, count: l)
    for m in 0..<size {
      kr[m] = cr[m]
      ki[m] = -ci[m]
      if m > 0 {
        kr[l - m] = cr[m]
        ki[l - m] = -ci[m]
      }
    }
    fft.forward(re: &kr, im: &ki)
    let scale = 1 / Double(l)
    for i in 0..<l {
      kr[i] *= scale
      ki[i] *= scale
    }
    kernelRe = kr
    kernelIm = ki
  }

  /// Transforms `size` real samples (optionally windowed) into bins `0...size/2`.
  ///
  /// - Parameters:
  ///   - input: `size` samples.
  ///   - window: `size` window samples or `nil`.
  ///   - workRe, workIm: `convolutionSize` scratch values each.
  ///   - outRe, outIm: `size / 2 + 1` outputs each.
  func transform(
    _ input: UnsafePointer<Float>, window: UnsafePointer<Float>?,
    workRe: inout [Double], workIm: inout [Double],
    outRe: UnsafeMutablePointer<Float>, outIm: UnsafeMutablePointer<Float>
  ) {
    let n = size
    let l = convolutionSize
    for i in 0..<n {
      var x = Double(input[i])
      if let window { x *= Double(window[i]) }
      workRe[i] = x * chirpRe[i]
      workIm[i] = x * chirpIm[i]
    }
    for i in n..<l {
      workRe[i] = 0
      workIm[i] = 0
    }
    fft.forward(re: &workRe, im: &workIm)
    // Multiply by the kernel spectrum, then inverse FFT as conj(FFT(conj(·))).
    for i in 0..<l {
      let a = workRe[i]
      let b = workIm[i]
      let c = kernelRe[i]
      let d = kernelIm[i]
      workRe[i] = a * c - b * d
      workIm[i] = -(a * d + b * c)
    }
    fft.forward(re: &workRe, im: &workIm)
    for k in 0...(n / 2) {
      let a = workRe[k]
      let b = -workIm[k]
      let c = chirpRe[k]
      let d = chirpIm[k]
      outRe[k] = Float(a * c - b * d)
      outIm[k] = Float(a * d + b * c)
    }
  }
}

/// An in-place iterative radix-2 complex FFT in `Double` (forward sign), for power-of-two sizes.
struct RadixTwoComplexFFT: Sendable {
  let size: Int
  /// `e^{-2πik/L}` for `k` in `0..<L/2`.
  let cosTable: [Double]
  let sinTable: [Double]

  init(size: Int) {
    precondition(size >= 1 && size & (size - 1) == 0, "radix-2 FFT size must be a power of two, got \(size)")
    self.size = size
    let half = max(size / 2, 1)
    cosTable = (0..<half).map { cos(-2 * Double.pi * Double($0) / Double(size)) }
    sinTable = (0..<half).map { sin(-2 * Double.pi * Double($0) / Double(size)) }
  }

  func forward(re: inout [Double], im: inout [Double]) {
    let n = size
    if n == 1 { return }
    // Bit-reversal permutation.
    var j = 0
    for i in 1..<n {
      var bit = n >> 1
      while j & bit != 0 {
        j ^= bit
        bit >>= 1
      }
      j |= bit
      if i < j {
        re.swapAt(i, j)
        im.swapAt(i, j)
      }
    }
    var length = 2
    while length <= n {
      let halfLength = length / 2
      let step = n / length
      var start = 0
      while start < n {
        for k in 0..<halfLength {
          let wr = cosTable[k * step]
          let wi = sinTable[k * step]
          let a = start + k
          let b = a + halfLength
          let tr = re[b] * wr - im[b] * wi
          let ti = re[b] * wi + im[b] * wr
          re[b] = re[a] - tr
          im[b] = im[a] - ti
          re[a] += tr
          im[a] += ti
        }
        start += length
      }
      length *= 2
    }
  }
}
