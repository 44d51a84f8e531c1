import AudioIO
import DSP
import Features
import Foundation
import Synchronization

/// Classifies a live stream of audio: push PCM chunks of any size, rate and channel count, get a
/// window prediction every hop, a smoothed running estimate and change points.
///
/// The window is the model's (DESIGN.md, "Windows belong to the model"): the default model sees
/// 30 s windows (661 794 samples at 22 050 Hz), a log-mel model (`melCNN`) one segment (3 s,
/// 66 150 samples); windows slide over the stream by ``hopLength`` samples
/// (``StreamingConfiguration/hopSeconds`` rounded to whole STFT hops).
/// What is emitted when:
/// - before the stream has lasted one window, with ``StreamingConfiguration/emitsPartialWindows``
///   (the default), a partial window `[0, k·hop)` at every `k·hop` (flagged
///   ``StreamingUpdate/isPartial``, like a short file offline);
/// - from then on the full windows `[i·hop, i·hop + L)` as soon as their last sample arrives;
/// - at ``finish()``, one final window `[max(0, N − L), N)` when the stream's end `N` is not
///   already the end of a window (``StreamingUpdate/isFinal``).
///
/// Each window's probabilities equal offline prediction on the same samples at the model's
/// rate: `predictor.predict(samples: resampled[window], sampleRate: recipe.sampleRate)`.
/// Input at another rate is mixed to mono (channel mean) and resampled by a
/// `DSP.StreamingResampler` that keeps its filter state between chunks, so the resampled stream is
/// the whole input resampled at once (`DSP.Resampler`), sample for sample.
///
/// Concurrency: `Sendable`. All stream state sits behind one `Mutex`: pushes from several
/// threads are serialised (chunks are taken in the order the lock is acquired). The latest
/// update lives behind a second, briefly held lock, so readers (``latest``,
/// ``updates(bufferingNewest:)``) never wait for a hop's feature extraction.
///
/// Memory is bounded: one window of samples at the model's rate plus the per-frame caches of
/// that span (about 40 MB for the default model's 30 s window, well under 1 MB for a log-mel
/// model's 3 s window, whatever the stream's length).
public final class StreamingClassifier: Sendable {
  /// The model.
  public let predictor: GenrePredictor
  /// The configuration it was created with.
  public let configuration: StreamingConfiguration
  /// Samples between window starts at the model's rate: a positive multiple of the recipe's STFT
  /// hop (`hop_length`), the nearest to ``StreamingConfiguration/hopSeconds``.
  public let hopLength: Int
  /// The model's window in samples at its rate (the recipe's segment length).
  public let windowLength: Int
  /// The model's sample rate in Hz.
  public let modelSampleRate: Int

  private let state: Mutex<StreamState>
  private let published: Mutex<Published>

  /// Everything a push touches.
  private struct StreamState {
    var source: WindowSource
    var resampler: StreamingResampler?
    var sourceRate: Int?
    var channelCount: Int?
    var inputFrames = 0
    var nextWindow = 0
    var lastEnd = 0
    var emitted = 0
    var smoothed: [Double]?
    var current: Int?
    var finished = false
  }

  /// What readers see.
  private struct Published {
    var latest: StreamingUpdate?
    var subscribers: [Int: AsyncStream<StreamingUpdate>.Continuation] = [:]
    var nextSubscriber = 0
    var finished = false
  }

  /// A streaming classifier for `predictor`'s model.
  ///
  /// - Parameters:
  ///   - predictor: the model (default: ``GenrePredictor/default``): a summary recipe (one row
  ///     of statistics per window, as the shipped model's `gtzan57`) streams windows of the
  ///     recipe's segment length; a log-mel model (``ModelManifest/logMel``, e.g. `melCNN`)
  ///     streams windows of one segment (3 s for the preset), one image each.
  ///   - configuration: hop, smoothing, hysteresis and partial windows.
  /// - Throws: ``ModelError/invalidArgument(name:reason:)`` for a hop or smoothing time that is
  ///   negative or not finite; ``ModelError/features(source:_:)`` when the recipe cannot be
  ///   streamed (a per-frame recipe) or the log-mel input is invalid.
  public init(
    predictor: GenrePredictor, configuration: StreamingConfiguration = StreamingConfiguration()
  ) throws(ModelError) {
    let recipe = predictor.manifest.recipe
    guard configuration.hopSeconds.isFinite, configuration.hopSeconds > 0, configuration.hopSeconds <= 3600
    else {
      throw .invalidArgument(
        name: "hopSeconds", reason: "\(configuration.hopSeconds) s is not in (0, 3600]; use e.g. 1")
    }
    guard configuration.smoothingSeconds.isFinite, configuration.smoothingSeconds >= 0 else {
      throw .invalidArgument(
        name: "smoothingSeconds", reason: "\(configuration.smoothingSeconds) s must be finite and >= 0")
    }
    guard configuration.changeMargin.isFinite, (0...1).contains(configuration.changeMargin) else {
      throw .invalidArgument(name: "changeMargin", reason: "\(configuration.changeMargin) must be in 0...1")
    }
    let frameHop = recipe.hopLength
    let wanted = configuration.hopSeconds * Double(recipe.sampleRate) / Double(frameHop)
    hopLength = max(1, Int(wanted.rounded())) * frameHop
    windowLength = recipe.segmentation.length
    modelSampleRate = recipe.sampleRate
    self.predictor = predictor
    self.configuration = configuration
    let source: WindowSource
    do {
      if let input = predictor.manifest.logMel {
        source = .logMel(try StreamingLogMel(input))
      } else {
        source = .summary(
          try StreamingFeatureExtractor(recipe: recipe, maximumWindowLength: recipe.segmentation.length))
      }
    } catch {
      throw .features(source: "stream", error)
    }
    state = Mutex(StreamState(source: source))
    published = Mutex(Published())
  }

  /// A streaming classifier with the shipped default model.
  ///
  /// - Parameter configuration: hop, smoothing, hysteresis and partial windows.
  /// - Throws: as ``init(predictor:configuration:)`` and ``GenrePredictor/default``.
  public convenience init(configuration: StreamingConfiguration = StreamingConfiguration()) throws(ModelError) {
    try self.init(predictor: try GenrePredictor.default, configuration: configuration)
  }

  /// The hop in seconds after rounding (``hopLength`` / ``modelSampleRate``).
  public var hopDuration: Double { Double(hopLength) / Double(modelSampleRate) }

  /// Samples (at the model's rate) the feature extractor holds now, for memory checks.
  package var retainedSampleCount: Int { state.withLock { $0.source.retainedSampleCount } }

  /// Windows computed incrementally (from cached frames) and in full so far, for tests.
  package var windowCounts: (incremental: Int, full: Int) {
    state.withLock { $0.source.windowCounts }
  }

  /// The newest update, or `nil` before the first.
  public var latest: StreamingUpdate? { published.withLock { $0.latest } }

  /// A sequence of the updates emitted from now on; it ends after ``finish()``.
  ///
  /// - Parameter bufferingNewest: how many unread updates it keeps (older ones are dropped, so
  ///   a slow reader cannot grow memory).
  /// - Returns: an `AsyncStream` to iterate from any task.
  public func updates(bufferingNewest: Int = 64) -> AsyncStream<StreamingUpdate> {
    let (stream, continuation) = AsyncStream<StreamingUpdate>.makeStream(
      bufferingPolicy: .bufferingNewest(max(1, bufferingNewest)))
    let id: Int? = published.withLock { p in
      if p.finished { return nil }
      let id = p.nextSubscriber
      p.nextSubscriber += 1
      p.subscribers[id] = continuation
      return id
    }
    if let id {
      continuation.onTermination = { [weak self] _ in
        _ = self?.published.withLock { $0.subscribers.removeValue(forKey: id) }
      }
    } else {
      continuation.finish()
    }
    return stream
  }

  /// Pushes the next chunk of decoded audio.
  ///
  /// - Parameter buffer: planar samples; every chunk of a stream must have the same rate and
  ///   channel count (mixed to mono by the channel mean, librosa's `to_mono`).
  /// - Returns: the updates the chunk completed (often none for small chunks), in time order.
  /// - Throws: ``ModelError/invalidArgument(name:reason:)`` when the rate or channel count
  ///   differs from the stream's first chunk; ``ModelError/invalidAudio(source:reason:)`` for a
  ///   NaN or infinite sample; ``ModelError/features(source:_:)`` if a window cannot be analysed.
  /// - Precondition: ``finish()`` has not been called.
  /// - Complexity: O(chunk) plus one hop update per completed window (see Docs/streaming.md).
  @discardableResult
  public func push(_ buffer: AudioBuffer) throws(ModelError) -> [StreamingUpdate] {
    try push(mono: buffer.mono(), sampleRate: buffer.sampleRate, channelCount: buffer.channelCount)
  }

  /// Pushes the next chunk of interleaved samples (`frame·channelCount + channel`).
  ///
  /// - Parameters:
  ///   - interleaved: samples in [−1, 1]; a whole number of frames.
  ///   - channelCount: channels per frame, ≥ 1.
  ///   - sampleRate: the stream's rate in Hz.
  /// - Returns: the updates the chunk completed.
  /// - Throws: as ``push(_:)``; ``ModelError/invalidArgument(name:reason:)`` for a count that is
  ///   not a whole number of frames or a channel count below 1.
  @discardableResult
  public func push(interleaved: [Float], channelCount: Int, sampleRate: Int) throws(ModelError)
    -> [StreamingUpdate]
  {
    guard channelCount >= 1, interleaved.count % channelCount == 0 else {
      throw .invalidArgument(
        name: "interleaved", reason: "\(interleaved.count) samples are not whole frames of \(channelCount) channels")
    }
    let frames = interleaved.count / channelCount
    var mono = [Float](repeating: 0, count: frames)
    if channelCount == 1 {
      mono = interleaved
    } else {
      // Sum then divide, in channel order, as AudioBuffer.mono() does.
      for c in 0..<channelCount { for t in 0..<frames { mono[t] += interleaved[t * channelCount + c] } }
      let n = Float(channelCount)
      for t in 0..<frames { mono[t] /= n }
    }
    return try push(mono: mono, sampleRate: sampleRate, channelCount: channelCount)
  }

  /// Ends the stream: flushes the resampler, emits the windows that completes and a final
  /// window covering the end (see the type's rules), and ends every ``updates(bufferingNewest:)`` sequence.
  ///
  /// - Returns: the last updates (none for a stream that never received a sample).
  /// - Throws: ``ModelError/features(source:_:)`` if the final windows cannot be analysed (the
  ///   ``updates(bufferingNewest:)`` sequences end anyway).
  /// - Precondition: not called twice.
  @discardableResult
  public func finish() throws(ModelError) -> [StreamingUpdate] {
    defer {
      let subscribers = published.withLock { p in
        p.finished = true
        let all = Array(p.subscribers.values)
        p.subscribers = [:]
        return all
      }
      for continuation in subscribers { continuation.finish() }
    }
    let updates = try state.withLock { (s) throws(ModelError) -> [StreamingUpdate] in
      precondition(!s.finished, "StreamingClassifier.finish() called twice")
      s.finished = true
      if var resampler = s.resampler {
        let tail = resampler.finish()
        s.resampler = resampler
        try append(tail, to: &s)
      }
      var updates = try emitReady(&s)
      let end = s.source.sampleCount
      if end > 0, s.emitted == 0 || s.lastEnd < end {
        let window = max(0, end - windowLength)..<end
        updates.append(try emit(window, final: true, &s))
      }
      publish(updates)
      return updates
    }
    return updates
  }

  // MARK: Internals

  private func push(mono: [Float], sampleRate: Int, channelCount: Int) throws(ModelError) -> [StreamingUpdate] {
    let updates = try state.withLock { (s) throws(ModelError) -> [StreamingUpdate] in
      precondition(!s.finished, "StreamingClassifier.push called after finish()")
      if let rate = s.sourceRate, let channels = s.channelCount {
        guard rate == sampleRate, channels == channelCount else {
          throw .invalidArgument(
            name: "chunk format",
            reason: "the stream started at \(rate) Hz with \(channels) channel(s) and this chunk is "
              + "\(sampleRate) Hz with \(channelCount); start a new StreamingClassifier for a new stream")
        }
      } else {
        guard sampleRate > 0, sampleRate <= 768_000 else {
          throw .invalidAudio(source: "stream", reason: "sample rate \(sampleRate) Hz is not in 1...768000")
        }
        s.sourceRate = sampleRate
        s.channelCount = channelCount
        if sampleRate != modelSampleRate {
          do {
            s.resampler = try StreamingResampler(from: sampleRate, to: modelSampleRate)
          } catch {
            throw .invalidAudio(source: "stream", reason: "cannot resample: \(error)")
          }
        }
      }
      if let bad = mono.firstIndex(where: { !$0.isFinite }) {
        throw .invalidAudio(
          source: "stream", reason: "sample frame \(s.inputFrames + bad) is NaN or infinite; clean the audio")
      }
      s.inputFrames += mono.count
      if var resampler = s.resampler {
        let out: [Float]
        do {
          out = try resampler.process(mono)
        } catch {
          throw .invalidAudio(source: "stream", reason: "\(error)")
        }
        s.resampler = resampler
        try append(out, to: &s)
      } else {
        try append(mono, to: &s)
      }
      let updates = try emitReady(&s)
      // Published under the stream lock, so concurrent pushers cannot reorder updates.
      publish(updates)
      return updates
    }
    return updates
  }

  private func append(_ samples: [Float], to s: inout StreamState) throws(ModelError) {
    do {
      try s.source.append(samples)
    } catch {
      throw .features(source: "stream", error)
    }
  }

  /// The `n`-th scheduled window (partial windows first, when enabled).
  private func scheduledWindow(_ n: Int) -> (range: Range<Int>, partial: Bool) {
    let partials = configuration.emitsPartialWindows ? (windowLength - 1) / hopLength : 0
    if n < partials { return (0..<((n + 1) * hopLength), true) }
    let i = n - partials
    return (i * hopLength..<(i * hopLength + windowLength), false)
  }

  private func emitReady(_ s: inout StreamState) throws(ModelError) -> [StreamingUpdate] {
    var updates: [StreamingUpdate] = []
    while true {
      let (range, _) = scheduledWindow(s.nextWindow)
      guard range.upperBound <= s.source.sampleCount else { break }
      updates.append(try emit(range, final: false, &s))
      s.nextWindow += 1
      // Later windows (the final one included) start at or after this one.
      s.source.discard(before: range.lowerBound)
    }
    return updates
  }

  /// Classifies one window and folds it into the running estimate.
  private func emit(_ range: Range<Int>, final: Bool, _ s: inout StreamState) throws(ModelError) -> StreamingUpdate {
    let input: [Float]
    do {
      input = try s.source.input(window: range)
    } catch {
      throw .features(source: "stream", error)
    }
    let p: [Float]
    do {
      p = try predictor.probabilities(rows: input)[0]
    } catch .invalidArgument(_, let reason) {
      throw .invalidAudio(source: "stream", reason: "window \(range) cannot be classified: \(reason)")
    } catch {
      throw error
    }
    let rate = Double(modelSampleRate)
    let labels = predictor.labels
    var window = WindowPrediction(
      start: Double(range.lowerBound) / rate, end: Double(range.upperBound) / rate, probabilities: p)
    window.label = labels[window.topIndex]
    // Exponential moving average with a time constant in seconds.
    let dt = Double(range.upperBound - s.lastEnd) / rate
    let tau = configuration.smoothingSeconds
    let alpha = (s.smoothed == nil || tau == 0) ? 1 : 1 - exp(-dt / tau)
    var smoothed = s.smoothed ?? [Double](repeating: 0, count: p.count)
    for k in smoothed.indices { smoothed[k] += alpha * (Double(p[k]) - smoothed[k]) }
    s.smoothed = smoothed
    var top = 0
    for k in smoothed.indices where smoothed[k] > smoothed[top] { top = k }
    var change: GenreChange?
    if let current = s.current {
      if top != current, smoothed[top] - smoothed[current] > Double(configuration.changeMargin) {
        change = GenreChange(time: window.end, from: labels[current], to: labels[top])
        s.current = top
      }
    } else {
      change = GenreChange(time: window.end, from: nil, to: labels[top])
      s.current = top
    }
    let ranking = smoothed.indices
      .sorted { smoothed[$0] > smoothed[$1] || (smoothed[$0] == smoothed[$1] && $0 < $1) }
      .map { RankedLabel(label: labels[$0], probability: Float(smoothed[$0])) }
    let update = StreamingUpdate(
      index: s.emitted, sampleRange: range, window: window, isPartial: range.count < windowLength,
      isFinal: final, smoothedProbabilities: smoothed.map { Float($0) }, smoothedRanking: ranking,
      currentLabel: labels[s.current!], change: change)
    s.emitted += 1
    s.lastEnd = range.upperBound
    return update
  }

  private func publish(_ updates: [StreamingUpdate]) {
    guard let last = updates.last else { return }
    let subscribers = published.withLock { p in
      p.latest = last
      return Array(p.subscribers.values)
    }
    for continuation in subscribers { for update in updates { continuation.yield(update) } }
  }
}

/// Where a stream's windows get their model input (internal to ``StreamingClassifier``): a
/// summary row from cached per-frame features, or a log-mel image from cached mel frames.
private enum WindowSource {
  case summary(StreamingFeatureExtractor)
  case logMel(StreamingLogMel)

  var sampleCount: Int {
    switch self {
    case .summary(let e): e.sampleCount
    case .logMel(let e): e.sampleCount
    }
  }

  var retainedSampleCount: Int {
    switch self {
    case .summary(let e): e.retainedSampleCount
    case .logMel(let e): e.retainedSampleCount
    }
  }

  var windowCounts: (incremental: Int, full: Int) {
    switch self {
    case .summary(let e): (e.incrementalRowCount, e.fullRowCount)
    case .logMel(let e): (e.incrementalCount, e.fullCount)
    }
  }

  func append(_ samples: [Float]) throws(FeatureError) {
    switch self {
    case .summary(let e): try e.append(samples)
    case .logMel(let e): try e.append(samples)
    }
  }

  func discard(before index: Int) {
    switch self {
    case .summary(let e): e.discard(before: index)
    case .logMel(let e): e.discard(before: index)
    }
  }

  /// The network input of one window: its summary row, or its log-mel image.
  func input(window: Range<Int>) throws(FeatureError) -> [Float] {
    switch self {
    case .summary(let e): try e.row(window: window)
    case .logMel(let e): try e.image(window: window).values
    }
  }
}
