/// A ``Resampler`` that takes its input in chunks of any size and keeps its filter state between
/// them, so a stream is resampled exactly as the whole signal would be.
///
/// Output sample `i` reads inputs up to `⌊(i·down + half)/up⌋`, that is up to
/// ``Resampler/lookAheadSeconds`` past its own time (about 4.1 ms of input at 44.1 to 96 kHz,
/// 5.7 ms at 16 kHz, 11.4 ms at 8 kHz). ``process(_:)`` emits every output whose inputs have all
/// arrived, and ``finish()`` emits the rest with the zeros that follow the end of the signal. The
/// concatenated outputs equal `Resampler.resample(wholeSignal)` sample for sample (the same taps,
/// the same dot products in the same order), whatever the chunking.
///
/// Memory: the filter (about `182 · max(up, down)` floats) and about the last
/// `2 · 182 · max(up, down) / up` input samples plus the last chunk, independent of the stream
/// length. A value with mutable state: use one per stream.
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
  private let longestPhase: Int

  /// A streaming resampler from `sourceRate` to `targetRate` Hz.
  ///
  /// - Throws: as ``Resampler/init(from:to:)``.
  public init(from sourceRate: Int, to targetRate: Int) throws(DSPError) {
    resampler = try Resampler(from: sourceRate, to: targetRate)
    longestPhase = resampler.filter.lengths.max() ?? 1
  }

  /// Input samples currently held for the filter's history (bounded by about twice the longest
  /// phase plus the last chunk).
  public var retainedInputCount: Int { history.count }

  /// Whether the rates are equal (input passes through unchanged).
  public var isIdentity: Bool { resampler.isIdentity }

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
    // Outputs are complete while their newest input has arrived: newest(i) = ⌊(i·down + half)/up⌋
    // < inputCount  ⟺  i·down + half < inputCount·up.
    let filter = resampler.filter
    let limit = inputCount * filter.up - filter.half
    let end = limit <= 0 ? outputCount : max(outputCount, (limit - 1) / filter.down + 1)
    let out = emit(upTo: end)
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
    let out = emit(upTo: resampler.outputCount(forInputCount: inputCount))
    history = []
    return out
  }

  /// Outputs `outputCount ..< end` from the retained history, with the same arithmetic as
  /// ``Resampler/resample(_:)``.
  private mutating func emit(upTo end: Int) -> [Float] {
    guard end > outputCount else { return [] }
    var out = [Float](repeating: 0, count: end - outputCount)
    let start = outputCount
    let origin = historyStart
    let available = inputCount
    let filter = resampler.filter
    history.withUnsafeBufferPointer { h in
      out.withUnsafeMutableBufferPointer { y in
        filter.run(h, origin: origin, available: available, outputs: start, end, into: y.baseAddress!)
      }
    }
    outputCount = end
    return out
  }

  /// Drops history no future output reads (amortised: only when half the buffer is stale).
  private mutating func trim() {
    let (newest, _) = resampler.filter.reach(outputCount)
    let keepFrom = max(0, newest - longestPhase)
    let stale = keepFrom - historyStart
    if stale > 0, stale >= history.count / 2 {
      history.removeFirst(stale)
      historyStart = keepFrom
    }
  }
}
