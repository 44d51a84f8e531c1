import Benchmark
import Foundation
import GenreClassifier

/// Feature budgets (one thread, one 30 s clip at 22 050 Hz): the per-frame `seed` recipe
/// ≤ 4 ms (librosa 59–86 ms), the 57-column `gtzan57` table recipe ≤ 40 ms (librosa 1 180 ms);
/// plus the stages they are built from, each matched by a librosa peer in
/// Scripts/peer_benchmarks.py.
func registerFeatureExtractionBenchmarks() {
  let clip = SyntheticClip.thirtySeconds
  let seed = try! FeatureExtractor(recipe: .seed)
  let table = try! FeatureExtractor(recipe: .gtzan57)
  let stft = try! ShortTimeFourierTransform(fftSize: 2048, hopLength: 512, padMode: .reflect)
  let mel = try! MelFilterbank(sampleRate: 22_050, fftSize: 2048)
  let dct = try! DiscreteCosineTransform(inputCount: 128, outputCount: 20)
  let power = try! stft.power(clip)
  let complex = try! stft.complex(clip)
  var magnitude = power
  for i in magnitude.values.indices { magnitude.values[i] = magnitude.values[i].squareRoot() }
  let logMel = try! FrameFeatures.logMelSpectrogram(power: power, filterbank: mel)
  let onset = FrameFeatures.onsetStrength(logMel: logMel, fftSize: 2048, hopLength: 512, aggregate: .median)

  Benchmark("features seed 30 s") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try seed.frames(of: clip, sampleRate: 22_050)) }
  }
  Benchmark("features gtzan57 30 s") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try table.summaries(of: clip, sampleRate: 22_050)) }
  }
  Benchmark("features mfcc 30 s (from power)") { benchmark in
    for _ in benchmark.scaledIterations {
      let logMel = try FrameFeatures.logMelSpectrogram(power: power, filterbank: mel)
      blackHole(try FrameFeatures.mfcc(logMel: logMel, transform: dct))
    }
  }
  Benchmark("features chroma_stft 30 s (from power)") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try FrameFeatures.chroma(power: power, sampleRate: 22_050)) }
  }
  Benchmark("features spectral_contrast 30 s (from magnitude)") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try FrameFeatures.spectralContrast(magnitude: magnitude, sampleRate: 22_050))
    }
  }
  Benchmark("features centroid+bandwidth+rolloff 30 s (from magnitude)") { benchmark in
    for _ in benchmark.scaledIterations {
      let c = FrameFeatures.spectralCentroid(magnitude: magnitude, sampleRate: 22_050)
      blackHole(try FrameFeatures.spectralBandwidth(magnitude: magnitude, sampleRate: 22_050, centroid: c))
      blackHole(try FrameFeatures.spectralRolloff(magnitude: magnitude, sampleRate: 22_050))
    }
  }
  Benchmark("features zcr+rms 30 s") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try FrameFeatures.zeroCrossingRate(clip))
      blackHole(try FrameFeatures.rms(clip, padMode: .reflect))
    }
  }
  Benchmark("features hpss+istft 30 s (from complex STFT)") { benchmark in
    for _ in benchmark.scaledIterations {
      let (h, p) = try FrameFeatures.harmonicPercussive(complex)
      blackHole(try stft.inverse(h))
      blackHole(try stft.inverse(p))
    }
  }
  Benchmark("features median filter 31 along time 30 s (from magnitude)") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try MedianFilter.apply(magnitude, size: 31, along: .frames)) }
  }
  Benchmark("features median filter 31 along frequency 30 s (from magnitude)") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try MedianFilter.apply(magnitude, size: 31, along: .bins)) }
  }
  Benchmark("features istft 30 s (from complex STFT)") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try stft.inverse(complex)) }
  }
  Benchmark("features tempo 30 s (from onset envelope)") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try FrameFeatures.tempo(onsetEnvelope: onset, sampleRate: 22_050, hopLength: 512))
    }
  }
}
