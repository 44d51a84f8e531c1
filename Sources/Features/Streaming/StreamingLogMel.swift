import DSP

/// The log-mel images of windows of a growing stream, for streaming a log-mel (CNN) model: the
/// image of a window equals ``LogMelSegmentPlan/segments(of:sampleRate:)`` of the window's samples
/// (one segment), while each stream frame's STFT and mel bands are computed once.
///
/// A window of exactly one segment that starts on the STFT hop grid sees stream frame `m + t` as
/// its frame `t` wherever that frame reads no centre padding; those frames' mel power comes from
/// a per-frame cache. The frames at both ends (which read the window's zero padding) are computed
/// from short slices, centred exactly as offline. The dB conversion (`power_to_db` with the
/// window's own maximum as reference and `top_db`) runs over the whole window, as offline. Other
/// windows (shorter, off the grid) are computed in full.
///
/// Not thread-safe: one owner (`StreamingClassifier` keeps it behind its lock).
package final class StreamingLogMel {
  /// The model's input description.
  package let input: LogMelSegments
  private let plan: LogMelSegmentPlan
  /// Uncentred: stream frame `f` reads samples `f·hop − n_fft/2 ..< f·hop + n_fft/2`.
  private let streamSTFT: ShortTimeFourierTransform
  /// Centred with zero padding, as ``LogMelSegmentPlan`` frames a segment.
  private let edgeSTFT: ShortTimeFourierTransform
  private let filterbank: MelFilterbank
  /// Frames at a window's start that read its left padding: `⌈n_fft / (2·hop)⌉`.
  private let edgeFrames: Int

  private var samples: [Float] = []
  /// Stream index of `samples[0]`.
  package private(set) var retainedStart = 0
  /// Mel power of stream frames `frameBase ..< frameBase + frameCount`, frames-major.
  private var melPower: [Float] = []
  private var frameBase: Int
  private var frameCount = 0
  /// Windows imaged from cached frames, and in full (for tests).
  package private(set) var incrementalCount = 0
  package private(set) var fullCount = 0

  /// A streaming imager for `input`.
  ///
  /// - Throws: the validation errors of ``LogMelSegments/validate()``.
  package init(_ input: LogMelSegments) throws(FeatureError) {
    plan = try LogMelSegmentPlan(input)
    self.input = input
    streamSTFT = try dsp { () throws(DSPError) in
      try ShortTimeFourierTransform(fftSize: input.fftSize, hopLength: input.hopLength, window: .hann, center: false)
    }
    edgeSTFT = try dsp { () throws(DSPError) in
      try ShortTimeFourierTransform(
        fftSize: input.fftSize, hopLength: input.hopLength, window: .hann, center: true, padMode: .constant)
    }
    filterbank = try dsp { () throws(DSPError) in
      try MelFilterbank(sampleRate: input.sampleRate, fftSize: input.fftSize, melCount: input.melCount)
    }
    edgeFrames = (input.fftSize / 2 + input.hopLength - 1) / input.hopLength
    frameBase = edgeFrames
  }

  /// Samples pushed so far.
  package var sampleCount: Int { retainedStart + samples.count }
  /// Samples held now.
  package var retainedSampleCount: Int { samples.count }

  /// Appends the next samples (at ``LogMelSegments/sampleRate``).
  ///
  /// - Throws: ``FeatureError/nonFiniteSample(index:)`` (index from the stream's start); nothing
  ///   is appended then.
  package func append(_ chunk: [Float]) throws(FeatureError) {
    if let bad = chunk.firstIndex(where: { !$0.isFinite }) {
      throw .nonFiniteSample(index: sampleCount + bad)
    }
    samples.append(contentsOf: chunk)
  }

  /// Declares that no later window starts before stream sample `index`: the samples before it
  /// and the frames no such window reads from the cache are freed (amortised: arrays move only
  /// once a quarter of them can go).
  package func discard(before index: Int) {
    let keepFrom = min(index, sampleCount)
    let drop = keepFrom - retainedStart
    if drop > 0, drop >= samples.count / 4 {
      samples.removeFirst(drop)
      retainedStart += drop
    }
    // A window starting at m ≥ index reads stream frames m + edgeFrames ... from the cache.
    let frames = min(max(0, index / input.hopLength + edgeFrames - frameBase), frameCount)
    if frames > 0, frames >= frameCount / 4 {
      melPower.removeFirst(frames * input.melCount)
      frameBase += frames
      frameCount -= frames
    }
  }

  /// The model input of the stream samples in `window`: one image, `melCount × frames` values
  /// in ``LogMelSegmentPlan``'s layout, with the flag it sets for input shorter than a segment.
  ///
  /// - Parameter window: a non-empty range inside the retained samples, at most one segment.
  /// - Throws: ``FeatureError/invalidParameter(name:value:valid:)`` for a window outside the
  ///   retained samples or longer than a segment; the errors of ``LogMelSegmentPlan``.
  package func image(window: Range<Int>) throws(FeatureError) -> (values: [Float], isShorterThanSegment: Bool) {
    guard !window.isEmpty, window.lowerBound >= retainedStart, window.upperBound <= sampleCount,
      window.count <= input.segmentLength
    else {
      throw .invalidParameter(
        name: "window", value: "\(window)",
        valid: "a non-empty range inside \(retainedStart)..<\(sampleCount), at most \(input.segmentLength) samples")
    }
    let hop = input.hopLength
    let half = input.fftSize / 2
    let origin = window.lowerBound - retainedStart
    let n = window.count
    // Frames t < le read the left padding, frames t > lastInterior the right padding.
    let le = edgeFrames
    let lastInterior = (n - half) / hop
    let onGrid = n == input.segmentLength && window.lowerBound % hop == 0 && n >= half && lastInterior >= le
    if onGrid { try advance() }
    guard onGrid, window.lowerBound / hop + le >= frameBase else {
      fullCount += 1
      let batch = try plan.segments(of: Array(samples[origin..<(origin + n)]), sampleRate: input.sampleRate)
      precondition(batch.count == 1, "a window of at most one segment gave \(batch.count) images")
      return (batch.values, batch.isShorterThanSegment)
    }
    incrementalCount += 1
    let frames = input.frameCount
    let mels = input.melCount
    let m = window.lowerBound / hop
    let left = try edgeMel(Array(samples[origin..<(origin + min(n, input.fftSize + le * hop))]), take: 0..<le)
    let rightStart = lastInterior + 1 - le
    let right = try edgeMel(
      Array(samples[(origin + rightStart * hop)..<(origin + n)]), take: le..<(frames - rightStart))
    var power = [Float](repeating: 0, count: frames * mels)
    power.withUnsafeMutableBufferPointer { out in
      left.withUnsafeBufferPointer { l in
        right.withUnsafeBufferPointer { r in
          melPower.withUnsafeBufferPointer { cached in
            for t in 0..<frames {
              let source: UnsafePointer<Float>
              if t < le {
                source = l.baseAddress! + t * mels
              } else if t > lastInterior {
                source = r.baseAddress! + (t - lastInterior - 1) * mels
              } else {
                source = cached.baseAddress! + (m + t - frameBase) * mels
              }
              (out.baseAddress! + t * mels).update(from: source, count: mels)
            }
          }
        }
      }
    }
    var image = [Float](repeating: 0, count: frames * mels)
    try image.withUnsafeMutableBufferPointer { (target) throws(FeatureError) in
      try plan.image(melPower: &power, into: target.baseAddress!)
    }
    return (image, false)
  }

  /// Mel power of every stream frame whose samples have all arrived.
  private func advance() throws(FeatureError) {
    let hop = input.hopLength
    let half = input.fftSize / 2
    let total = sampleCount
    let newEnd = total >= half ? (total - half) / hop + 1 : 0
    // Frames whose samples were discarded before they were analysed are never needed (see
    // `discard`): restart the cache at the first frame whose samples are all retained.
    let earliest = (retainedStart + half + hop - 1) / hop
    if frameBase + frameCount < earliest {
      melPower = []
      frameBase = earliest
      frameCount = 0
    }
    let first = frameBase + frameCount
    guard newEnd > first else { return }
    let from = first * hop - half - retainedStart
    let slice = Array(samples[from..<(from + (newEnd - 1 - first) * hop + input.fftSize)])
    let power = try dsp { () throws(DSPError) in try streamSTFT.power(slice) }
    let mel = try dsp { () throws(DSPError) in try filterbank.apply(to: power) }
    precondition(mel.frameCount == newEnd - first, "\(mel.frameCount) frames, expected \(newEnd - first)")
    melPower += mel.values
    frameCount += mel.frameCount
  }

  /// Mel power of the frames `take` of a centred analysis of `slice`.
  private func edgeMel(_ slice: [Float], take: Range<Int>) throws(FeatureError) -> [Float] {
    let power = try dsp { () throws(DSPError) in try edgeSTFT.power(slice) }
    let mel = try dsp { () throws(DSPError) in try filterbank.apply(to: power) }
    return Array(mel.values[(take.lowerBound * input.melCount)..<(take.upperBound * input.melCount)])
  }
}
