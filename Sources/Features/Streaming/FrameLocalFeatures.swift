import DSP
import Foundation

/// One spectral peak of `librosa.piptrack` kept for tuning estimation: its magnitude and the
/// `pitch_tuning` histogram bin of its frequency (−1 when the residual falls outside the
/// histogram).
struct TuningPeak {
  var magnitude: Float
  var bin: Int32
}

/// Everything that depends on one STFT frame alone, for a run of frames: the HPSS frequency
/// median, six scalar features, unclamped dB mel bands and tuning peaks. Computed by the same
/// library functions the offline ``FeatureExtractor`` calls, so each frame's values are the same
/// as in a whole-window analysis.
struct FrameLocalFeatures {
  var percussiveMedian: [Float]
  /// Per frame: rms, zcr, centroid, bandwidth, rolloff, flatness.
  var scalars: [Float]
  var melDB: [Float]
  var melMinimum: [Float]
  var melMaximum: [Float]
  var peaks: [[TuningPeak]]

  /// The histogram of `librosa.pitch_tuning` (resolution 0.01, 12 bins per octave).
  static let tuningBinCount = 100
  static let tuningEdges: [Double] = {
    let step = 1.0 / Double(tuningBinCount)
    return (0...tuningBinCount).map { $0 == tuningBinCount ? 0.5 : Double($0) * step - 0.5 }
  }()

  /// The histogram bin of a positive frequency, exactly as
  /// ``TuningEstimator/pitchTuning(_:resolution:binsPerOctave:)`` places it, or −1.
  static func tuningBin(_ f: Float) -> Int32 {
    let binCount = tuningBinCount
    let edges = tuningEdges
    let c0 = Float(440.0 / 16)
    var r32 = Float(12) * log2(f / c0)
    r32 = r32 - r32.rounded(.down)
    if r32 >= 0.5 { r32 -= 1 }
    let r = Double(r32)
    guard r >= -0.5, r <= 0.5 else { return -1 }
    var i = min(Int((r - edges[0]) * (Double(binCount) / (edges[binCount] - edges[0]))), binCount - 1)
    if i > 0 && r < edges[i] { i -= 1 }
    if i < binCount - 1 && r >= edges[i + 1] { i += 1 }
    return Int32(i)
  }

}

extension FrameLocalFeatures {
  /// Frame-local features of the frames of `signal` (as the STFT frames it with `center`).
  ///
  /// - Parameters:
  ///   - signal: the samples the frames were cut from.
  ///   - center: whether the frames are centred (window edges) or not (stream frames).
  ///   - padMode: the recipe's pad mode (RMS pads with it when centred).
  ///   - power: the frames' power spectra; `magnitude` their square roots.
  ///   - cache: geometry, mel filterbank.
  init(
    signal: [Float], center: Bool, padMode: PadMode, power: Spectrogram, magnitude: Spectrogram,
    cache: StreamFrameCache, needs: FrameNeeds
  ) throws(FeatureError) {
    let frames = power.frameCount
    let n = cache.fftSize
    let hop = cache.hop
    let rate = cache.rate
    percussiveMedian =
      needs.hpss
      ? try dsp { () throws(DSPError) in
        try MedianFilter.apply(magnitude, size: StreamFrameCache.kernel, along: .bins)
      }.values : [Float](repeating: 0, count: frames * magnitude.binCount)
    let rms = try FrameFeatures.rms(signal, frameLength: n, hopLength: hop, center: center, padMode: padMode)
    let zcr = try FrameFeatures.zeroCrossingRate(signal, frameLength: n, hopLength: hop, center: center)
    let centroid = FrameFeatures.spectralCentroid(magnitude: magnitude, sampleRate: rate)
    let bandwidth = try FrameFeatures.spectralBandwidth(magnitude: magnitude, sampleRate: rate, centroid: centroid)
    let rolloff = try FrameFeatures.spectralRolloff(magnitude: magnitude, sampleRate: rate)
    let flatness =
      needs.flatness ? try FrameFeatures.spectralFlatness(power: power) : [Float](repeating: 0, count: frames)
    precondition(rms.count == frames && zcr.count == frames, "framing mismatch: \(rms.count), \(zcr.count) vs \(frames)")
    var scalars = [Float](repeating: 0, count: frames * StreamFrameCache.scalarCount)
    for t in 0..<frames {
      let r = t * StreamFrameCache.scalarCount
      scalars[r] = rms[t]
      scalars[r + 1] = zcr[t]
      scalars[r + 2] = centroid[t]
      scalars[r + 3] = bandwidth[t]
      scalars[r + 4] = rolloff[t]
      scalars[r + 5] = flatness[t]
    }
    self.scalars = scalars
    let bands = StreamFrameCache.melCount
    var mel = [Float](repeating: 0, count: frames * bands)
    if needs.mel {
      mel = try dsp { () throws(DSPError) in try cache.mel.apply(to: power) }.values
      try dsp { () throws(DSPError) in
        try mel.withUnsafeMutableBufferPointer { (b) throws(DSPError) in try Decibels.powerToDecibels(b, topDB: nil) }
      }
    }
    var lows = [Float](repeating: 0, count: frames)
    var highs = [Float](repeating: 0, count: frames)
    for t in 0..<frames {
      var lo = Float.infinity
      var hi = -Float.infinity
      for m in 0..<bands {
        lo = min(lo, mel[t * bands + m])
        hi = max(hi, mel[t * bands + m])
      }
      lows[t] = lo
      highs[t] = hi
    }
    melDB = mel
    melMinimum = lows
    melMaximum = highs
    guard needs.peaks else {
      peaks = [[TuningPeak]](repeating: [], count: frames)
      return
    }
    let track = try dsp { () throws(DSPError) in try TuningEstimator.pitchTrack(power, sampleRate: rate) }
    let bins = power.binCount
    peaks = (0..<frames).map { t in
      var found: [TuningPeak] = []
      for k in 0..<bins {
        let pitch = track.pitches.values[t * bins + k]
        if pitch > 0 {
          found.append(TuningPeak(magnitude: track.magnitudes.values[t * bins + k], bin: Self.tuningBin(pitch)))
        }
      }
      return found
    }
  }
}
