/// A ``Resampler`` that takes its input in chunks of any size and keeps its filter state between
/// them, so a stream is resampled exactly as the whole signal would be.
///
/// Output sample `i` of the polyphase filter reads inputs up to `⌊((i + n_pre_remove)·down −
/// n_pre_pad)/up⌋`; ``process(_:)`` emits every output whose inputs have all arrived, and
/// ``finish()`` emits the rest with the zeros that follow the end of the signal, then librosa's
/// `fix_length` zeros. The concatenated outputs equal `Resampler.resample(wholeSignal)` sample
/// for sample (the same taps, the same dot products in the same order), whatever the chunking.
///
/// Memory: about the last `⌈(20·max(up, down) + 1)/up⌉` input samples plus the last chunk,
/// independent of the stream length. A value with mutable state: use one per stream.
public struct StreamingResampler: Sendable {
  /// The filter and rates.
  public let resampler: Resampler
  /// Input samples received so far.
  public private(set) var inputCount = 0
  /// Output samples emitted so far.
  public private(set) var outputCount = 0
  /// Whether ``finish()`` has run.
  public private(set) var isFinished = false
  /// Retained input, `history[0]` being input sample `historyStart`.
  private var history: [Float] = []
  private var historyStart = 0
  private let flat: [Float]
  private let offsets: [Int]
  private let lengths: [Int]
  private let longestPhase: Int

  /// A streaming resampler from `sourceRate` to `targetRate` Hz.
  ///
  /// - Throws: as ``Resampler/init(from:to:)``.
  public init(from sourceRate: Int, to targetRate: Int) throws(DSPError) {
    resampler = try Resampler(from: sourceRate, to: targetRate)
    var flat: [Float] = []
    var offsets: [Int] = []
    var lengths: [Int] = []
    for taps in resampler.phases {
      offsets.append(flat.count)
      lengths.append(taps.count)
      flat.append(contentsOf: taps)
    }
    self.flat = flat
    self.offsets = offsets
    self.lengths = lengths
    longestPhase = lengths.max() ?? 1
  }

  /// Input samples currently held for the filter's history (bounded by about twice the longest
  /// phase plus the last chunk).
  public var retainedInputCount: Int { history.count }

  /// Whether the rates are equal (input passes through unchanged).
  public var isIdentity: Bool { resampler.up == 1 && resampler.down == 1 }

  /// The last input index output `i` reads (its phase's newest tap), and that phase.
  private func reach(_ i: Int) -> (base: Int, phase: Int) {
    let c = (i + resampler.preRemove) * resampler.down - resampler.prePad
    let phase = c % resampler.up
    return ((c - phase) / resampler.up, phase)
  }

  /// Feeds the next input samples and returns every output sample now complete.
  ///
  /// - Parameter chunk: the next samples at ``Resampler/sourceRate`` (any count, even 0).
  /// - Returns: the next output samples at ``Resampler/targetRate``, in order.
  /// - Throws: ``DSPError/nonFiniteSample(index:)`` (the index counts from the stream's start).
  /// - Precondition: ``finish()`` has not run.
  /// - Complexity: O(chunk + outputs × taps per phase).
  public mutating func process(_ chunk: [Float]) throws(DSPError) -> [Float] {
    precondition(!isFinished, "StreamingResampler.process called after finish()")
    if let bad = chunk.firstIndex(where: { !$0.isFinite }) {
      throw .nonFiniteSample(index: inputCount + bad)
    }
    if isIdentity {
      inputCount += chunk.count
      outputCount += chunk.count
      return chunk
    }
    history.append(contentsOf: chunk)
    inputCount += chunk.count
    var out: [Float] = []
    while true {
      let (base, _) = reach(outputCount)
      guard base < inputCount else { break }
      out.append(output(outputCount, available: inputCount))
      outputCount += 1
    }
    trim()
    return out
  }

  /// Ends the stream: returns the remaining outputs (inputs past the end read as zeros), so the
  /// total equals ``Resampler/outputCount(forInputCount:)`` of the whole input.
  ///
  /// - Returns: the last output samples.
  /// - Precondition: ``finish()`` has not run.
  public mutating func finish() -> [Float] {
    precondition(!isFinished, "StreamingResampler.finish called twice")
    isFinished = true
    if isIdentity { return [] }
    let total = resampler.outputCount(forInputCount: inputCount)
    let scipyCount = (inputCount * resampler.up + resampler.down - 1) / resampler.down
    var out: [Float] = []
    while outputCount < total {
      out.append(outputCount < scipyCount ? output(outputCount, available: inputCount) : 0)
      outputCount += 1
    }
    history = []
    return out
  }

  /// Output `i` from the retained history, reading inputs at or past `available` as zeros, with
  /// the same arithmetic as ``Resampler/resample(_:)``.
  private func output(_ i: Int, available n: Int) -> Float {
    let (base, phase) = reach(i)
    let k = lengths[phase]
    let first = base - k + 1
    return flat.withUnsafeBufferPointer { f in
      history.withUnsafeBufferPointer { h in
        let taps = f.baseAddress! + offsets[phase]
        if first >= 0 && base < n {
          return dot(taps, h.baseAddress! + (first - historyStart), count: k)
        }
        var acc: Float = 0
        for t in 0..<k {
          let j = first + t
          if j >= 0 && j < n { acc += taps[t] * h[j - historyStart] }
        }
        return acc
      }
    }
  }

  /// Drops history no future output reads (amortised: only when half the buffer is stale).
  private mutating func trim() {
    let (base, _) = reach(outputCount)
    let keepFrom = max(0, base - longestPhase)
    let stale = keepFrom - historyStart
    if stale > 0, stale >= history.count / 2 {
      history.removeFirst(stale)
      historyStart = keepFrom
    }
  }
}
