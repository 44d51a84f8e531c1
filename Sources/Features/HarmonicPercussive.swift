import DSP
import Foundation

extension FrameFeatures {
  /// Harmonic–percussive source separation of a complex STFT, as
  /// `librosa.decompose.hpss(D, kernel_size=31, power=2, mask=False, margin=1)`.
  ///
  /// With `S = |D|`, `H = median_filter(S, size=(1, k))` (along time) and `P =
  /// median_filter(S, size=(k, 1))` (along frequency) (`scipy.ndimage` `reflect` edges), the soft
  /// masks are `M_H = Hᵖ / (Hᵖ + Pᵖ)`, `M_P = Pᵖ / (Hᵖ + Pᵖ)` (`librosa.util.softmask`, both 0
  /// where `max(H, P)` is below the smallest normal `Float`), and the parts are `D·M_H`, `D·M_P`.
  ///
  /// - Parameters:
  ///   - stft: the complex STFT, frames-major.
  ///   - kernelSize: the median filter length, odd or even, in `1...4097` (default 31).
  ///   - power: the mask exponent, > 0 (default 2).
  /// - Returns: the harmonic and percussive complex spectrograms.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for a bad kernel or power.
  /// - Complexity: O(frames × bins × kernelSize).
  public static func harmonicPercussive(
    _ stft: ComplexSpectrogram, kernelSize: Int = 31, power: Float = 2
  ) throws(FeatureError) -> (harmonic: ComplexSpectrogram, percussive: ComplexSpectrogram) {
    guard power > 0, power.isFinite else {
      throw .invalidParameter(name: "power", value: "\(power)", valid: "> 0")
    }
    guard kernelSize >= 1, kernelSize <= MedianFilter.maximumSize else {
      throw .invalidParameter(name: "kernel_size", value: "\(kernelSize)", valid: "in 1...\(MedianFilter.maximumSize)")
    }
    let count = stft.frameCount * stft.binCount
    var magnitude = [Float](repeating: 0, count: count)
    for i in 0..<count {
      let r = stft.real[i]
      let m = stft.imaginary[i]
      magnitude[i] = (r * r + m * m).squareRoot()
    }
    let s = Spectrogram(frameCount: stft.frameCount, binCount: stft.binCount, values: magnitude)
    let h = try dsp { () throws(DSPError) in try MedianFilter.apply(s, size: kernelSize, along: .frames) }
    let p = try dsp { () throws(DSPError) in try MedianFilter.apply(s, size: kernelSize, along: .bins) }
    var harmonic = stft
    var percussive = stft
    for i in 0..<count {
      let hv = h.values[i]
      let pv = p.values[i]
      let z = max(hv, pv)
      var maskH: Float = 0
      var maskP: Float = 0
      if z >= Float.leastNormalMagnitude {
        let a = power == 2 ? (hv / z) * (hv / z) : powf(hv / z, power)
        let b = power == 2 ? (pv / z) * (pv / z) : powf(pv / z, power)
        maskH = a / (a + b)
        maskP = b / (a + b)
      }
      harmonic.real[i] *= maskH
      harmonic.imaginary[i] *= maskH
      percussive.real[i] *= maskP
      percussive.imaginary[i] *= maskP
    }
    return (harmonic, percussive)
  }
}
