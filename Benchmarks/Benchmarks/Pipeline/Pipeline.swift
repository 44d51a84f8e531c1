import Benchmark
import GenreClassifier

/// One entry per stage of the pipeline, each on a synthetic 30 s clip at 22 050 Hz
/// (DESIGN.md's performance budget), single-threaded.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
    timeUnits: .microseconds,
    warmupIterations: 3,
    maxDuration: .seconds(3),
    maxIterations: 2_000
  )
  registerAudioDecodingBenchmarks()
  registerSpectralBenchmarks()
  registerNetworkBenchmarks()
  registerFeatureExtractionBenchmarks()
  registerClassificationBenchmarks()
  registerStreamingBenchmarks()
  registerResamplingBenchmarks()
}
