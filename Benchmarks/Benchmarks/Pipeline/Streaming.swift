import Benchmark
import GenreClassifier

/// Streaming budget: one hop update ≤ 5 ms on one thread with the default model (30 s window,
/// hop 1 s = 43 STFT hops = 22 016 samples). Each iteration pushes the next hop of a long
/// synthetic clip at 22 050 Hz into a `StreamingClassifier` that has already seen more than one
/// window, and gets exactly one update: feature caches, window edges, window-wide values, the
/// network. Real-time factor = wall clock per hop / 0.998 s. The second entry recomputes the same
/// window in full (offline row + network), for comparison in the same run.
func registerStreamingBenchmarks() {
  let configuration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], timeUnits: .microseconds,
    warmupIterations: 5, maxDuration: .seconds(10), maxIterations: 400)

  Benchmark("streaming: one hop update, 1 s hop (default model)", configuration: configuration) { benchmark in
    let classifier = try StreamingClassifier(configuration: StreamingConfiguration(hopSeconds: 1))
    try measureHops(of: classifier, benchmark)
  }

  // A log-mel model streams one 3 s segment per hop: the hop's new mel frames, the window's
  // edge frames and dB image, one melCNN forward pass (random weights: the cost is the same).
  Benchmark("streaming: one hop update, 0.5 s hop (melCNN, 3 s window)", configuration: configuration) {
    benchmark in
    ComputeThreads.set(1)
    let input = LogMelSegments()
    let labels = (0..<10).map { "genre\($0)" }
    let manifest = ModelManifest(
      labels: labels, recipe: input.recipe, scaler: StandardScaler(mean: [0], scale: [1]),
      inputShape: input.imageShape, architecture: ArchitecturePreset.melCNN.layers(classCount: 10),
      logMel: input)
    let network = try Sequential(inputShape: input.imageShape, specs: manifest.architecture, seed: 1)
    let predictor = try GenrePredictor(bundle: ModelBundle(manifest: manifest, network: network))
    let classifier = try StreamingClassifier(
      predictor: predictor, configuration: StreamingConfiguration(hopSeconds: 0.5))
    try measureHops(of: classifier, benchmark)
  }

  Benchmark(
    "streaming: the same hop recomputed in full (offline row + network)",
    configuration: .init(
      metrics: [.wallClock], timeUnits: .microseconds, warmupIterations: 2, maxDuration: .seconds(10),
      maxIterations: 100)
  ) { benchmark in
    let predictor = try GenrePredictor.default
    let extractor = try FeatureExtractor(recipe: predictor.manifest.recipe)
    let window = Array(StreamingClip.twoMinutes[0..<661_794])
    for _ in benchmark.scaledIterations {
      blackHole(try predictor.probabilities(rows: extractor.row(of: window)))
    }
  }
}

/// Pushes one window and a few hops of the synthetic clip, then times one hop per iteration
/// (each push completes exactly one update).
private func measureHops(of classifier: StreamingClassifier, _ benchmark: Benchmark) throws {
  let clip = StreamingClip.twoMinutes
  let hop = classifier.hopLength
  var position = 0
  func nextHop() -> [Float] {
    if position + hop > clip.count { position = 0 }
    defer { position += hop }
    return Array(clip[position..<(position + hop)])
  }
  while position < classifier.windowLength + 3 * hop {
    _ = try classifier.push(interleaved: nextHop(), channelCount: 1, sampleRate: 22_050)
  }
  benchmark.startMeasurement()
  for _ in benchmark.scaledIterations {
    let chunk = nextHop()
    blackHole(try classifier.push(interleaved: chunk, channelCount: 1, sampleRate: 22_050))
  }
}

enum StreamingClip {
  /// Two minutes of the synthetic music (the stream loops over it) at 22 050 Hz.
  static let twoMinutes: [Float] = SyntheticClip.make(count: 120 * 22_050, sampleRate: 22_050)
}
