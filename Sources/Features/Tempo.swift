import DSP
import Foundation

extension FrameFeatures {
  /// The global tempo estimate in BPM, as `librosa.feature.tempo(onset_envelope=o, sr=…,
  /// hop_length=…, start_bpm=120, std_bpm=1, ac_size=8, max_tempo=320, aggregate=np.mean)`.
  ///
  /// 1. Autocorrelation tempogram (`librosa.feature.tempogram`, `win_length =
  ///    floor(ac_size·sr/hop)`): the envelope is padded by `win_length / 2` per side with a linear
  ///    ramp to 0 (`np.pad(mode='linear_ramp')`), framed with hop 1 (one frame per envelope
  ///    value), multiplied by a periodic Hann window, autocorrelated (lags `0 ..< win_length`),
  ///    and each frame divided by its largest absolute value.
  /// 2. The frames are averaged; lag `k` stands for `60·sr / (hop·k)` BPM.
  /// 3. The answer maximises `log1p(10⁶·ac[k]) − ½·(log₂ bpm_k − log₂ start_bpm)² / std_bpm²`
  ///    over lags whose tempo is below `maxTempo`.
  ///
  /// The autocorrelation of each frame is computed as the inverse FFT of its power spectrum
  /// (zero-padded to a power of two ≥ `2·win_length`), which is exact for every lag kept.
  ///
  /// - Parameters:
  ///   - onsetEnvelope: ``onsetStrength(logMel:fftSize:hopLength:aggregate:)``, one value per frame.
  ///   - sampleRate: `sr` in Hz.
  ///   - hopLength: the envelope's hop in samples.
  ///   - startBPM: centre of the log-normal prior (default 120).
  ///   - standardDeviationBPM: its width in octaves (default 1).
  ///   - autocorrelationSeconds: `ac_size` (default 8).
  ///   - maximumTempo: `max_tempo` in BPM (default 320).
  /// - Returns: the tempo in BPM.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for non-positive parameters or a
  ///   window shorter than two lags; ``FeatureError/emptySignal`` for an empty envelope.
  /// - Complexity: O(frames × W log W) with `W` the FFT size.
  public static func tempo(
    onsetEnvelope: [Float], sampleRate: Int, hopLength: Int, startBPM: Double = 120,
    standardDeviationBPM: Double = 1, autocorrelationSeconds: Double = 8, maximumTempo: Double = 320
  ) throws(FeatureError) -> Double {
    guard !onsetEnvelope.isEmpty else { throw .emptySignal }
    guard startBPM > 0, standardDeviationBPM > 0, autocorrelationSeconds > 0, maximumTempo > 0 else {
      throw .invalidParameter(
        name: "start_bpm/std_bpm/ac_size/max_tempo",
        value: "\(startBPM)/\(standardDeviationBPM)/\(autocorrelationSeconds)/\(maximumTempo)",
        valid: "all > 0")
    }
    let winLength = Int((autocorrelationSeconds * Double(sampleRate) / Double(hopLength)).rounded(.down))
    guard winLength >= 2, winLength <= 1 << 16 else {
      throw .invalidParameter(
        name: "ac_size", value: "\(autocorrelationSeconds)", valid: "giving 2...65536 envelope frames")
    }
    let ac = try meanTempogram(onsetEnvelope, winLength: winLength)
    var best = 0
    var bestScore = -Double.infinity
    for k in 1..<winLength {
      let bpm = 60 * Double(sampleRate) / (Double(hopLength) * Double(k))
      if !(bpm < maximumTempo) { continue }
      let prior = -0.5 * pow((log2(bpm) - log2(startBPM)) / standardDeviationBPM, 2)
      let score = Double(log1p(1e6 * ac[k])) + prior
      if score > bestScore {
        bestScore = score
        best = k
      }
    }
    if best == 0 {
      // Every lag is above maxTempo: librosa then picks lag 0, whose tempo is infinite.
      return .infinity
    }
    return 60 * Double(sampleRate) / (Double(hopLength) * Double(best))
  }

  /// The autocorrelation tempogram (`librosa.feature.tempogram`, `norm=inf`, `center=True`)
  /// averaged over frames: `winLength` lags.
  static func meanTempogram(_ envelope: [Float], winLength: Int) throws(FeatureError) -> [Float] {
    let n = envelope.count
    let columns = try TempogramColumns(winLength: winLength)
    let padded = columns.padded(envelope)
    var sum = [Double](repeating: 0, count: winLength)
    padded.withUnsafeBufferPointer { x in
      sum.withUnsafeMutableBufferPointer { acc in
        columns.forEachColumn(of: x.baseAddress!, count: n, position: { $0 }) { _, lags, scale in
          for k in 0..<winLength { acc[k] += Double(lags[k] * scale) }
        }
      }
    }
    return sum.map { Float($0 / Double(n)) }
  }
}
