import Benchmark
import GenreClassifier

/// STFT budget: power spectrogram of a 30 s clip (n_fft 2048, hop 512, centred) in ≤ 1.5 ms
/// (librosa: 8.2 ms).
func registerSpectralBenchmarks() {
  let clip = SyntheticClip.thirtySeconds
  for padMode in [PadMode.reflect, .constant] {
    guard let stft = try? ShortTimeFourierTransform(fftSize: 2_048, hopLength: 512, padMode: padMode),
      let frameCount = try? stft.frameCount(signalLength: clip.count)
    else { fatalError("STFT plan for the benchmark clip could not be built") }
    let workspace = stft.makeWorkspace()
    var power = [Float](repeating: 0, count: frameCount * stft.binCount)

    Benchmark("STFT + power 30 s (pad \(padMode.rawValue))") { benchmark in
      for _ in benchmark.scaledIterations {
        try clip.withUnsafeBufferPointer { samples in
          try power.withUnsafeMutableBufferPointer { output in
            try stft.power(samples, into: output, workspace: workspace)
          }
        }
        blackHole(power)
      }
    }
  }
}
