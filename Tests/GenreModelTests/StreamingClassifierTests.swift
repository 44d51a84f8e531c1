import AudioIO
import DSP
import Features
import Foundation
import GenreModel
import TestSupport
import Testing

/// The shipped model's networks and scaler over gtzan57 columns with a shorter window, so the
/// offline reference extraction stays fast in debug builds; the streaming paths are the same.
private func shortWindowPredictor(seconds: Double) throws -> GenrePredictor {
  var bundle = try ModelBundle.shipped()
  bundle.manifest.recipe.segmentation = Segmentation(length: Int(seconds * 22_050), hop: 22_050)
  return try GenrePredictor(bundle: bundle)
}

/// A music-like test signal (chords, clicks, swell, noise) at `rate`.
private func music(seconds: Double, rate: Int = 22_050, seed: UInt32 = 5) -> [Float] {
  music(count: Int(seconds * Double(rate)), rate: rate, seed: seed)
}

private func music(count: Int, rate: Int = 22_050, seed: UInt32 = 5) -> [Float] {
  var x = seed
  let beat = 60.0 / 118
  return (0..<count).map { n in
    x = 1_664_525 &* x &+ 1_013_904_223
    let t = Double(n) / Double(rate)
    let root = [220.0, 196, 174.6, 246.9][Int(t / 2.3) % 4]
    var v = 0.15 * sin(2 * .pi * root * t) + 0.08 * sin(2 * .pi * root * 1.5 * t)
    let since = t.truncatingRemainder(dividingBy: beat)
    v += 0.45 * exp(-since * 50) * sin(2 * .pi * 2_500 * since)
    v *= 0.7 + 0.3 * sin(2 * .pi * t / 7)
    return Float(v) + 0.03 * Float(Double(x >> 8) / 16_777_216 - 0.5)
  }
}

/// Feeds `samples` (interleaved, `channels`) in pseudo-random chunks of 1…`maxChunk` frames.
private func feed(
  _ classifier: StreamingClassifier, _ samples: [Float], channels: Int, rate: Int, maxChunk: Int, seed: UInt64
) throws -> [StreamingUpdate] {
  var state = seed
  var updates: [StreamingUpdate] = []
  var frame = 0
  let frames = samples.count / channels
  while frame < frames {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let size = min(frames - frame, 1 + Int((state >> 33) % UInt64(maxChunk)))
    updates += try classifier.push(
      interleaved: Array(samples[(frame * channels)..<((frame + size) * channels)]), channelCount: channels,
      sampleRate: rate)
    frame += size
  }
  return updates + (try classifier.finish())
}

@Suite("StreamingClassifier")
struct StreamingClassifierTests {
  @Test("default model, hop 1 s, random chunks: each window's probabilities equal offline prediction on its samples")
  func defaultModelEquivalence() throws {
    let predictor = try GenrePredictor.default
    let classifier = try StreamingClassifier(
      predictor: predictor, configuration: StreamingConfiguration(hopSeconds: 1, emitsPartialWindows: false))
    #expect(classifier.hopLength == 43 * 512)
    #expect(classifier.windowLength == 661_794)
    let samples = music(count: 661_794 + 43 * 512)
    let updates = try feed(classifier, samples, channels: 1, rate: 22_050, maxChunk: 40_000, seed: 1)
    // Two full windows, no final one (the stream ends exactly at the second window's end).
    #expect(updates.map(\.sampleRange) == [0..<661_794, 22_016..<683_810])
    #expect(classifier.windowCounts == (incremental: 2, full: 0), "both windows from the frame caches")
    var worst: Float = 0
    for update in updates {
      #expect(!update.isPartial && !update.isFinal)
      let offline = try predictor.predict(samples: Array(samples[update.sampleRange]), sampleRate: 22_050)
      #expect(offline.timeline.count == 1)
      for (a, b) in zip(update.window.probabilities, offline.timeline[0].probabilities) { worst = max(worst, abs(a - b)) }
      #expect(update.window.label == offline.label)
      expectClose(update.window.start, Double(update.sampleRange.lowerBound) / 22_050, absolute: 1e-12)
    }
    #expect(worst <= 1e-5)
    print("StreamingClassifier default model: max |Δp| = \(worst)")
  }

  @Test("44.1 kHz stereo: windows equal offline prediction on the same span of the resampled mono signal")
  func resampledStereo() throws {
    let predictor = try shortWindowPredictor(seconds: 8)
    let classifier = try StreamingClassifier(
      predictor: predictor, configuration: StreamingConfiguration(hopSeconds: 2.5, emitsPartialWindows: false))
    let left = music(seconds: 11.3, rate: 44_100, seed: 3)
    let right = music(seconds: 11.3, rate: 44_100, seed: 4)
    var interleaved = [Float](repeating: 0, count: 2 * left.count)
    for i in left.indices {
      interleaved[2 * i] = left[i]
      interleaved[2 * i + 1] = right[i]
    }
    let updates = try feed(classifier, interleaved, channels: 2, rate: 44_100, maxChunk: 9_000, seed: 2)
    let mono = AudioBuffer(channels: [left, right], sampleRate: 44_100).mono()
    let resampled = try Resampler(from: 44_100, to: 22_050).resample(mono)
    let hop = 108 * 512
    // Full windows from 0 and from one hop (on the frame grid), then a final window to the end
    // (off the grid: computed in full).
    #expect(
      updates.map(\.sampleRange) == [
        0..<176_400, hop..<(hop + 176_400), (resampled.count - 176_400)..<resampled.count,
      ])
    #expect(updates.map(\.isPartial) == [false, false, false])
    #expect(updates.map(\.isFinal) == [false, false, true])
    #expect(classifier.windowCounts == (incremental: 2, full: 1))
    var worst: Float = 0
    for update in updates {
      let offline = try predictor.predict(samples: Array(resampled[update.sampleRange]), sampleRate: 22_050)
      #expect(offline.inputShorterThanWindow == update.isPartial)
      for (a, b) in zip(update.window.probabilities, offline.timeline[0].probabilities) { worst = max(worst, abs(a - b)) }
    }
    #expect(worst <= 1e-5)
    print("StreamingClassifier 44.1 kHz stereo: max |Δp| = \(worst)")
  }

  @Test("smoothing 0 and margin 0: the current genre is each window's label; change points mark every switch")
  func changePoints() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    let classifier = try StreamingClassifier(
      predictor: predictor,
      configuration: StreamingConfiguration(hopSeconds: 0.25, smoothingSeconds: 0, changeMargin: 0))
    // A chirp, then noise, then a low tone: the cheap model's answer moves with them.
    let samples = testSignal(seconds: 3, rate: 22_050) + noise(seconds: 3) + tone(seconds: 3)
    let updates = try feed(classifier, samples, channels: 1, rate: 22_050, maxChunk: 3_000, seed: 3)
    #expect(updates.count > 30)
    var previous: String?
    for update in updates {
      #expect(update.currentLabel == update.window.label)
      #expect(update.smoothedProbabilities == update.window.probabilities)
      if update.currentLabel != previous {
        #expect(update.change == GenreChange(time: update.window.end, from: previous, to: update.currentLabel))
      } else {
        #expect(update.change == nil)
      }
      previous = update.currentLabel
    }
    #expect(updates.compactMap(\.change).count >= 2, "the three sections should not all get one label")
    #expect(updates.map(\.index) == Array(0..<updates.count))
  }

  @Test("smoothing averages with weight 1 − exp(−Δt/τ); hysteresis holds the current genre")
  func smoothing() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    let classifier = try StreamingClassifier(
      predictor: predictor,
      configuration: StreamingConfiguration(hopSeconds: 0.5, smoothingSeconds: 2, changeMargin: 1))
    let samples = testSignal(seconds: 3, rate: 22_050) + noise(seconds: 3)
    let updates = try feed(classifier, samples, channels: 1, rate: 22_050, maxChunk: 5_000, seed: 4)
    var expected = updates[0].window.probabilities.map(Double.init)
    for update in updates.dropFirst() {
      let dt = Double(update.sampleRange.upperBound - updates[update.index - 1].sampleRange.upperBound) / 22_050
      let alpha = 1 - exp(-dt / 2)
      for k in expected.indices { expected[k] += alpha * (Double(update.window.probabilities[k]) - expected[k]) }
      expectClose(update.smoothedProbabilities, expected, absolute: 1e-6)
      // A margin of 1 can never be exceeded: the first genre stays.
      #expect(update.currentLabel == updates[0].currentLabel && update.change == nil)
    }
  }

  @Test("memory stays bounded over a long stream")
  func boundedMemory() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    let classifier = try StreamingClassifier(
      predictor: predictor, configuration: StreamingConfiguration(hopSeconds: 0.5))
    let chunk = music(seconds: 0.2, rate: 48_000)
    var count = 0
    for _ in 0..<200 {  // 40 s at 48 kHz: 80 hops, 76 windows slid past
      count += try classifier.push(interleaved: chunk, channelCount: 1, sampleRate: 48_000).count
      #expect(classifier.retainedSampleCount <= 22_050 + 11_264 + 9_300)
    }
    #expect(count >= 75)
  }

  @Test("one task pushes while another reads the updates and the latest estimate")
  func concurrentReader() async throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    let classifier = try StreamingClassifier(
      predictor: predictor, configuration: StreamingConfiguration(hopSeconds: 0.1))
    let updates = classifier.updates(bufferingNewest: 10_000)
    let samples = music(seconds: 6)
    let reader = Task {
      var seen: [StreamingUpdate] = []
      for await update in updates {
        seen.append(update)
        if let latest = classifier.latest { #expect(latest.index >= update.index) }
      }
      return seen
    }
    let producer = Task.detached {
      var pushed: [StreamingUpdate] = []
      var start = 0
      while start < samples.count {
        let end = min(samples.count, start + 1_777)
        pushed += try classifier.push(interleaved: Array(samples[start..<end]), channelCount: 1, sampleRate: 22_050)
        start = end
        await Task.yield()
      }
      pushed += try classifier.finish()
      return pushed
    }
    let pushed = try await producer.value
    let seen = await reader.value
    #expect(pushed.count > 50)
    #expect(seen == pushed)
    #expect(classifier.latest == pushed.last)
  }

  @Test("bad input: a changed rate, a NaN, a bad hop")
  func errors() throws {
    let predictor = try GenrePredictor(bundle: try makeAudioBundle())
    #expect(throws: ModelError.self) {
      try StreamingClassifier(predictor: predictor, configuration: StreamingConfiguration(hopSeconds: 0))
    }
    let classifier = try StreamingClassifier(predictor: predictor)
    try classifier.push(interleaved: [0, 0.1, 0.2, 0.1], channelCount: 2, sampleRate: 44_100)
    #expect(throws: ModelError.self) { try classifier.push(interleaved: [0, 0.1], channelCount: 1, sampleRate: 44_100) }
    #expect(throws: ModelError.self) { try classifier.push(interleaved: [0, 0.1], channelCount: 2, sampleRate: 48_000) }
    #expect(throws: ModelError.self) { try classifier.push(interleaved: [0, .nan], channelCount: 2, sampleRate: 44_100) }
    #expect(throws: ModelError.self) { try classifier.push(interleaved: [0, 0.1, 0.2], channelCount: 2, sampleRate: 44_100) }
    // A stream shorter than one window still gets one (partial, final) prediction.
    let final = try classifier.finish()
    #expect(final.count == 1 && final[0].isPartial && final[0].isFinal)
  }
}

private func noise(seconds: Double) -> [Float] {
  var x: UInt32 = 99
  return (0..<Int(seconds * 22_050)).map { _ in
    x = 1_664_525 &* x &+ 1_013_904_223
    return 0.6 * Float(Double(x >> 8) / 16_777_216 - 0.5)
  }
}

private func tone(seconds: Double) -> [Float] {
  (0..<Int(seconds * 22_050)).map { Float(0.3 * sin(2 * .pi * 110 * Double($0) / 22_050)) }
}
