import AudioIO
import Dispatch
import Features
import Foundation
import Synchronization

extension GenrePredictor {
  /// The length of the model's analysis window in seconds (the recipe's segment length).
  public var windowSeconds: Double {
    Double(manifest.recipe.segmentation.length) / Double(manifest.recipe.sampleRate)
  }

  /// The step between window starts in seconds (the recipe's segment hop).
  public var hopSeconds: Double {
    Double(manifest.recipe.segmentation.hop) / Double(manifest.recipe.sampleRate)
  }

  /// Classifies mono audio at any sample rate.
  ///
  /// A log-mel model (``ModelManifest/logMel``) instead cuts the audio into its segments
  /// (`Features.LogMelSegmentPlan`), classifies each segment's image and averages likewise.
  ///
  /// The samples are resampled to the recipe's rate (`Features.FeatureExtractor` does it, as
  /// `librosa.resample`'s default `soxr_hq`), cut into the recipe's windows (for the default
  /// model: 30 s windows sliding by 5 s; a shorter signal is one window, flagged
  /// ``GenrePrediction/inputShorterThanWindow``), summarised into one feature row per window,
  /// scaled and classified. The song-level answer is the mean of the windows' probabilities.
  ///
  /// - Parameters:
  ///   - samples: mono samples in [−1, 1].
  ///   - sampleRate: their rate in Hz.
  /// - Returns: the ranked labels and the timeline of windows (start and end in seconds of the
  ///   input).
  /// - Throws: ``ModelError/invalidAudio(source:reason:)`` for no samples, a NaN or infinite
  ///   sample or a rate that is not positive; ``ModelError/features(source:_:)`` when feature
  ///   extraction refuses the signal or the model's recipe cannot run on audio.
  /// - Complexity: dominated by feature extraction, O(samples × windows per sample).
  public func predict(samples: [Float], sampleRate: Int) throws(ModelError) -> GenrePrediction {
    try predict(samples: samples, sampleRate: sampleRate, source: "samples")
  }

  /// Classifies decoded audio of any rate and channel count (mono by the channel mean,
  /// librosa's `to_mono`); see ``predict(samples:sampleRate:)``.
  ///
  /// - Parameter buffer: planar samples and their rate.
  /// - Returns: the ranked labels and the timeline.
  /// - Throws: as ``predict(samples:sampleRate:)``.
  public func predict(buffer: AudioBuffer) throws(ModelError) -> GenrePrediction {
    try predict(samples: buffer.mono(), sampleRate: buffer.sampleRate, source: "samples")
  }

  /// Decodes and classifies one audio file (WAV, RF64, Sun AU; the format is read from the
  /// content); see ``predict(samples:sampleRate:)``.
  ///
  /// - Parameter file: a file URL.
  /// - Returns: the ranked labels and the timeline.
  /// - Throws: ``ModelError/audioFile(path:_:)`` when the file cannot be read or decoded, and
  ///   the errors of ``predict(samples:sampleRate:)`` naming the file.
  public func predict(file: URL) throws(ModelError) -> GenrePrediction {
    let decoded: DecodedAudio
    do {
      decoded = try AudioDecoder.decode(contentsOf: file)
    } catch {
      throw .audioFile(path: file.path, error)
    }
    return try predict(
      samples: decoded.buffer.mono(), sampleRate: decoded.buffer.sampleRate, source: file.path)
  }

  /// Classifies many files in parallel, keeping each file's error.
  ///
  /// `concurrency` worker threads take the next file from a shared counter; each decodes,
  /// extracts and classifies its file (the network itself runs under a lock, briefly). Files are
  /// independent: one bad file does not stop the others.
  ///
  /// - Parameters:
  ///   - files: file URLs.
  ///   - concurrency: worker threads (default: the active processor count); at least 1.
  /// - Returns: one result per file, in the order of `files`.
  /// - Precondition: `concurrency >= 1`.
  public func predict(
    files: [URL], concurrency: Int = ProcessInfo.processInfo.activeProcessorCount
  ) -> [Result<GenrePrediction, ModelError>] {
    precondition(concurrency >= 1, "concurrency must be at least 1, got \(concurrency)")
    let results = Mutex([Result<GenrePrediction, ModelError>?](repeating: nil, count: files.count))
    let next = Atomic<Int>(0)
    let workers = min(concurrency, files.count)
    if workers > 0 {
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
          let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
          guard index < files.count else { return }
          let result = Result { () throws(ModelError) in try predict(file: files[index]) }
          results.withLock { $0[index] = result }
        }
      }
    }
    return results.withLock { $0.map { $0! } }
  }

  /// Validation, feature extraction and classification, with `source` naming the input in errors.
  func predict(samples: [Float], sampleRate: Int, source: String) throws(ModelError) -> GenrePrediction {
    guard sampleRate > 0 else {
      throw .invalidAudio(
        source: source, reason: "sample rate \(sampleRate) Hz is not positive; pass the audio's rate in Hz")
    }
    guard !samples.isEmpty else {
      throw .invalidAudio(source: source, reason: "there are no samples; pass at least one window of audio")
    }
    if let bad = samples.firstIndex(where: { !$0.isFinite }) {
      throw .invalidAudio(
        source: source, reason: "sample \(bad) is NaN or infinite; clean or re-decode the audio")
    }
    if let logMelPlan {
      let batch: LogMelSegmentBatch
      do {
        batch = try logMelPlan.get().segments(of: samples, sampleRate: sampleRate)
      } catch {
        throw .features(source: source, error)
      }
      let probabilities: [[Float]]
      do {
        probabilities = try self.probabilities(rows: batch.values)
      } catch .invalidArgument(_, let reason) {
        throw .invalidAudio(source: source, reason: "its log-mel images cannot be classified: \(reason)")
      } catch {
        throw error
      }
      let timeline = zip(batch.spans, probabilities).map { span, p in
        WindowPrediction(start: span.lowerBound, end: span.upperBound, probabilities: p)
      }
      return GenrePrediction(labels: labels, timeline: timeline, inputShorterThanWindow: batch.isShorterThanSegment)
    }
    let matrix: FeatureMatrix
    do {
      matrix = try extraction.get().summaries(of: samples, sampleRate: sampleRate)
    } catch {
      throw .features(source: source, error)
    }
    return try prediction(of: matrix, source: source)
  }

  /// Classifies each row of `matrix` and assembles the timeline from its spans.
  func prediction(of matrix: FeatureMatrix, source: String) throws(ModelError) -> GenrePrediction {
    let probabilities: [[Float]]
    do {
      probabilities = try self.probabilities(rows: matrix.values)
    } catch .invalidArgument(_, let reason) {
      // Extraction produced a NaN/infinite feature (e.g. a constant signal's variance ratio).
      throw .invalidAudio(source: source, reason: "its features cannot be classified: \(reason)")
    } catch {
      throw error
    }
    let timeline = zip(matrix.spans, probabilities).map { span, p in
      WindowPrediction(start: span.lowerBound, end: span.upperBound, probabilities: p)
    }
    return GenrePrediction(
      labels: labels, timeline: timeline, inputShorterThanWindow: matrix.isShorterThanWindow)
  }
}
