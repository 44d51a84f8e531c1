import Foundation

/// A bank of triangular mel filters over FFT bins, exactly as `librosa.filters.mel`, stored and
/// applied sparsely.
///
/// Band edges are `nMels + 2` points equally spaced on the mel scale between `fmin` and `fmax`
/// (`librosa.mel_frequencies`); filter `m` rises linearly from edge `m` to edge `m + 1` and falls
/// to edge `m + 2`, evaluated at the bin frequencies `k·sr/n_fft` (`librosa.fft_frequencies`):
/// `W[m, k] = max(0, min((f_k − f_m) / (f_{m+1} − f_m), (f_{m+2} − f_k) / (f_{m+2} − f_{m+1})))`.
/// With Slaney normalisation each row is scaled by `2 / (f_{m+2} − f_m)` (constant area).
/// Weights are computed in `Double` and rounded as librosa does (to float32, then the
/// normalisation multiplied in and rounded again).
///
/// Only each filter's nonzero bin range is stored, so applying the bank costs about two
/// multiply–adds per FFT bin instead of `nMels` per bin.
public struct MelFilterbank: Sendable {
  /// The mel scale formula (librosa's `htk` flag).
  public enum Scale: String, Sendable, CaseIterable {
    /// Slaney's Auditory Toolbox scale: linear below 1 kHz (`f / (200/3)`), logarithmic above
    /// (`15 + ln(f / 1000) / (ln 6.4 / 27)`). librosa's default (`htk=False`).
    case slaney
    /// The HTK scale `2595·log10(1 + f/700)` (`htk=True`).
    case htk
  }

  /// Row normalisation (librosa's `norm`).
  public enum Normalization: String, Sendable, CaseIterable {
    /// No normalisation: triangles peak at 1 (`norm=None`).
    case none
    /// Divide each triangle by its width in Hz over 2, giving equal area (`norm='slaney'`, default).
    case slaney
  }

  /// Sample rate in Hz.
  public let sampleRate: Int
  /// The FFT size the filters are laid over.
  public let fftSize: Int
  /// Number of mel bands.
  public let melCount: Int
  /// Lowest band edge in Hz.
  public let minimumFrequency: Double
  /// Highest band edge in Hz.
  public let maximumFrequency: Double
  /// The mel scale used.
  public let scale: Scale
  /// The normalisation used.
  public let normalization: Normalization
  /// FFT bins per frame, `fftSize / 2 + 1`.
  public let binCount: Int
  /// Each filter's nonzero weights over its band of bins (an empty filter has an empty band).
  let projection: BandedProjection

  /// Builds the filterbank, as `librosa.filters.mel(sr=, n_fft=, n_mels=, fmin=, fmax=, htk=, norm=)`.
  ///
  /// - Parameters:
  ///   - sampleRate: `sr` in Hz, > 0.
  ///   - fftSize: `n_fft`, in `2...2²⁰`.
  ///   - melCount: `n_mels`, in `1...4096` (default 128).
  ///   - minimumFrequency: `fmin` in Hz, ≥ 0 (default 0).
  ///   - maximumFrequency: `fmax` in Hz, ≤ `sr / 2`; `nil` means `sr / 2` (default).
  ///   - scale: ``Scale/slaney`` (default) or ``Scale/htk``.
  ///   - normalization: ``Normalization/slaney`` (default) or ``Normalization/none``.
  /// - Throws: ``DSPError/invalidSampleRate(_:)``, ``DSPError/invalidFFTSize(_:)``,
  ///   ``DSPError/invalidCount(name:value:valid:)``, ``DSPError/invalidFrequencyRange(minimum:maximum:)``,
  ///   ``DSPError/frequencyAboveNyquist(frequency:nyquist:)`` (librosa only warns there; a band
  ///   above Nyquist would be empty).
  /// - Complexity: O(`melCount × fftSize`) once.
  public init(
    sampleRate: Int, fftSize: Int, melCount: Int = 128, minimumFrequency: Double = 0,
    maximumFrequency: Double? = nil, scale: Scale = .slaney, normalization: Normalization = .slaney
  ) throws(DSPError) {
    guard sampleRate > 0 else { throw .invalidSampleRate(sampleRate) }
    guard fftSize >= 2, fftSize <= RealFFTPlan.maximumPowerOfTwoSize else { throw .invalidFFTSize(fftSize) }
    guard melCount >= 1, melCount <= 4096 else {
      throw .invalidCount(name: "melCount", value: melCount, valid: "in 1...4096")
    }
    let nyquist = Double(sampleRate) / 2
    let fmax = maximumFrequency ?? nyquist
    let fmin = minimumFrequency
    guard fmin.isFinite, fmax.isFinite, fmin >= 0, fmin < fmax else {
      throw .invalidFrequencyRange(minimum: fmin, maximum: fmax)
    }
    guard fmax <= nyquist else { throw .frequencyAboveNyquist(frequency: fmax, nyquist: nyquist) }
    self.sampleRate = sampleRate
    self.fftSize = fftSize
    self.melCount = melCount
    self.minimumFrequency = fmin
    self.maximumFrequency = fmax
    self.scale = scale
    self.normalization = normalization
    let bins = fftSize / 2 + 1
    binCount = bins

    // librosa.fft_frequencies = np.fft.rfftfreq(n_fft, d=1/sr): k * (1 / (n * (1/sr))).
    let binStep = 1.0 / (Double(fftSize) * (1.0 / Double(sampleRate)))
    let fftFrequencies = (0..<bins).map { Double($0) * binStep }
    let edges = Self.melFrequencies(count: melCount + 2, minimum: fmin, maximum: fmax, scale: scale)

    var starts: [Int] = []
    var counts: [Int] = []
    var offsets: [Int] = []
    var weights: [Float] = []
    var row = [Float](repeating: 0, count: bins)
    for m in 0..<melCount {
      let lowerWidth = edges[m + 1] - edges[m]
      let upperWidth = edges[m + 2] - edges[m + 1]
      let enorm = 2.0 / (edges[m + 2] - edges[m])
      var first = -1
      var last = -1
      for k in 0..<bins {
        let lower = -(edges[m] - fftFrequencies[k]) / lowerWidth
        let upper = (edges[m + 2] - fftFrequencies[k]) / upperWidth
        var w = Float(max(0, min(lower, upper)))
        if normalization == .slaney { w = Float(Double(w) * enorm) }
        row[k] = w
        if w != 0 {
          if first < 0 { first = k }
          last = k
        }
      }
      offsets.append(weights.count)
      if first < 0 {
        starts.append(0)
        counts.append(0)
      } else {
        starts.append(first)
        counts.append(last - first + 1)
        weights.append(contentsOf: row[first...last])
      }
    }
    projection = BandedProjection(
      inputCount: bins, starts: starts, counts: counts, offsets: offsets, weights: weights)
  }

  /// Converts Hz to mels (`librosa.hz_to_mel`).
  ///
  /// - Parameters:
  ///   - hertz: a frequency in Hz.
  ///   - scale: the mel scale formula.
  /// - Returns: the mel value.
  public static func mel(fromHertz hertz: Double, scale: Scale) -> Double {
    switch scale {
    case .htk:
      return 2595.0 * log10(1.0 + hertz / 700.0)
    case .slaney:
      let fSp = 200.0 / 3
      let minLogHz = 1000.0
      let minLogMel = minLogHz / fSp
      let logStep = log(6.4) / 27.0
      if hertz >= minLogHz { return minLogMel + log(hertz / minLogHz) / logStep }
      return hertz / fSp
    }
  }

  /// Converts mels to Hz (`librosa.mel_to_hz`).
  ///
  /// - Parameters:
  ///   - mel: a mel value.
  ///   - scale: the mel scale formula.
  /// - Returns: the frequency in Hz.
  public static func hertz(fromMel mel: Double, scale: Scale) -> Double {
    switch scale {
    case .htk:
      return 700.0 * (pow(10.0, mel / 2595.0) - 1.0)
    case .slaney:
      let fSp = 200.0 / 3
      let minLogHz = 1000.0
      let minLogMel = minLogHz / fSp
      let logStep = log(6.4) / 27.0
      if mel >= minLogMel { return minLogHz * exp(logStep * (mel - minLogMel)) }
      return fSp * mel
    }
  }

  /// `count` frequencies equally spaced in mels from `minimum` to `maximum` Hz
  /// (`librosa.mel_frequencies`, with numpy's `linspace` arithmetic).
  public static func melFrequencies(count: Int, minimum: Double, maximum: Double, scale: Scale)
    -> [Double]
  {
    let lo = mel(fromHertz: minimum, scale: scale)
    let hi = mel(fromHertz: maximum, scale: scale)
    if count == 1 { return [hertz(fromMel: lo, scale: scale)] }
    let step = (hi - lo) / Double(count - 1)
    return (0..<count).map { i in
      hertz(fromMel: i == count - 1 ? hi : Double(i) * step + lo, scale: scale)
    }
  }

  /// Filter `m`'s nonzero weights and the bin of the first one.
  public func filter(_ m: Int) -> (firstBin: Int, weights: ArraySlice<Float>) {
    precondition(m >= 0 && m < melCount, "mel filter \(m) outside 0..<\(melCount)")
    let p = projection
    return (p.starts[m], p.weights[p.offsets[m]..<(p.offsets[m] + p.counts[m])])
  }

  /// The dense `melCount × binCount` weight matrix, row-major (librosa's layout).
  public func denseMatrix() -> [Float] {
    var out = [Float](repeating: 0, count: melCount * binCount)
    let p = projection
    for m in 0..<melCount {
      for j in 0..<p.counts[m] { out[m * binCount + p.starts[m] + j] = p.weights[p.offsets[m] + j] }
    }
    return out
  }

  /// Applies the filters to one frame: `mel[m] = Σₖ W[m, k]·spectrum[k]`.
  ///
  /// - Parameters:
  ///   - spectrum: ``binCount`` values (a power spectrum for librosa's melspectrogram).
  ///   - mel: receives ``melCount`` values.
  /// - Complexity: O(nonzero weights) ≈ O(2 × ``binCount``); no allocation.
  public func apply(_ spectrum: UnsafePointer<Float>, into mel: UnsafeMutablePointer<Float>) {
    projection.apply(spectrum, into: mel)
  }

  /// Applies the filters to every frame, as `librosa.feature.melspectrogram(S=power)`
  /// (`mel_basis @ S`), frames-major in and out.
  ///
  /// - Parameter spectrogram: frames of ``binCount`` bins.
  /// - Returns: frames of ``melCount`` bands.
  /// - Throws: ``DSPError/shapeMismatch(expected:actual:)`` when the bin count differs.
  public func apply(to spectrogram: Spectrogram) throws(DSPError) -> Spectrogram {
    guard spectrogram.binCount == binCount else {
      throw .shapeMismatch(
        expected: "\(binCount) bins per frame (n_fft \(fftSize))",
        actual: "\(spectrogram.binCount)")
    }
    return projection.apply(to: spectrogram)
  }
}
