import Benchmark
import GenreClassifier

/// Resampling 30 s of 44.1 kHz (and 48 kHz) audio to the recipe's 22 050 Hz with the
/// soxr_hq-like filter (365 and 395 multiply–adds per output), the resampler built once.
func registerResamplingBenchmarks() {
  let clip44 = SyntheticClip.make(count: 44_100 * 30, sampleRate: 44_100)
  let clip48 = SyntheticClip.make(count: 48_000 * 30, sampleRate: 48_000)
  let from44 = try! Resampler(from: 44_100, to: 22_050)
  let from48 = try! Resampler(from: 48_000, to: 22_050)

  Benchmark("resample 44.1 kHz → 22 050 Hz 30 s") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try from44.resample(clip44))
    }
  }
  Benchmark("resample 48 kHz → 22 050 Hz 30 s") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try from48.resample(clip48))
    }
  }
}
