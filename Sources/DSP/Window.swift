import Foundation

/// A tapering window for short-time analysis, as built by `scipy.signal.get_window`.
///
/// All windows here are generalised cosine windows
/// `w[n] = Σₖ aₖ cos(k·φₙ)` with `φₙ = -π + 2πn / (M - 1)` over `M` points (scipy's
/// `general_cosine`). A *periodic* window of length `N` is the symmetric window of length `N + 1`
/// without its last point; this is what librosa uses for spectral analysis
/// (`librosa.filters.get_window(window, N, fftbins=True)`).
public enum Window: String, Sendable, Hashable, CaseIterable, Codable {
  /// Hann: `0.5 - 0.5 cos(2πn / (M - 1))`, scipy's `hann` (librosa's default `'hann'`).
  case hann
  /// Hamming: `0.54 - 0.46 cos(2πn / (M - 1))`, scipy's `hamming`.
  case hamming
  /// Blackman: `0.42 - 0.5 cos(2πn / (M - 1)) + 0.08 cos(4πn / (M - 1))`, scipy's `blackman`.
  case blackman
  /// Rectangular (all ones), scipy's `boxcar`.
  case rectangular

  /// The cosine-series coefficients `aₖ` applied to `cos(k·φ)` with `φ ∈ [-π, π]`.
  private var coefficients: [Double] {
    switch self {
    case .hann: return [0.5, 0.5]
    case .hamming: return [0.54, 0.46]
    case .blackman: return [0.42, 0.5, 0.08]
    case .rectangular: return [1]
    }
  }

  /// The window's samples.
  ///
  /// Computed in `Double` exactly as scipy does (`linspace(-π, π, M)`, then the cosine series)
  /// and rounded once to `Float`, so each value is within half an ulp of scipy's float64 result
  /// cast to float32.
  ///
  /// - Parameters:
  ///   - length: number of samples `N` (at least 1; a length-1 window is `[1]`, as in scipy).
  ///   - periodic: `true` for the DFT-even window (scipy `sym=False`, librosa `fftbins=True`),
  ///     `false` for the symmetric window used in filter design.
  /// - Returns: `length` window samples.
  /// - Throws: ``DSPError/invalidWindowLength(windowLength:fftSize:)`` when `length < 1`.
  /// - Complexity: O(`length`).
  public func samples(length: Int, periodic: Bool = true) throws(DSPError) -> [Float] {
    guard length >= 1 else { throw .invalidWindowLength(windowLength: length, fftSize: length) }
    if length == 1 { return [1] }
    let m = periodic ? length + 1 : length
    let a = coefficients
    // numpy.linspace(start, stop, m): start + i * step, with the last point set to stop.
    let step = 2 * Double.pi / Double(m - 1)
    var out = [Float](repeating: 0, count: length)
    for i in 0..<length {
      let phi = i == m - 1 ? Double.pi : -Double.pi + Double(i) * step
      var w = 0.0
      for (k, ak) in a.enumerated() { w += ak * cos(Double(k) * phi) }
      out[i] = Float(w)
    }
    return out
  }

  /// Centres `window` inside `size` samples with zeros on both sides, as `librosa.util.pad_center`.
  ///
  /// The left padding is `(size - window.count) / 2` (rounded down) and the rest goes right,
  /// which is how librosa places a `win_length` window inside an `n_fft` frame.
  ///
  /// - Parameters:
  ///   - window: the samples to centre.
  ///   - size: the output length, at least `window.count`.
  /// - Returns: `size` samples.
  /// - Throws: ``DSPError/invalidWindowLength(windowLength:fftSize:)`` when the window is longer
  ///   than `size`.
  public static func padCentered(_ window: [Float], to size: Int) throws(DSPError) -> [Float] {
    guard window.count <= size else {
      throw .invalidWindowLength(windowLength: window.count, fftSize: size)
    }
    let left = (size - window.count) / 2
    var out = [Float](repeating: 0, count: size)
    for i in window.indices { out[left + i] = window[i] }
    return out
  }
}
