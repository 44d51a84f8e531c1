import Benchmark
import Foundation
import GenreClassifier

/// Decoding budget: a 30 s 22 050 Hz 16-bit mono WAV to `Float` in ≤ 0.3 ms (soundfile: 0.8 ms).
func registerAudioDecodingBenchmarks() {
  let clip = SyntheticClip.thirtySeconds
  let wav16 = WAVEncoder.encode(AudioBuffer(channels: [clip], sampleRate: 22_050), as: .pcm16)

  Benchmark("decode WAV 16-bit mono 30 s (from memory)") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try AudioDecoder.decode(wav16))
    }
  }

  let url = FileManager.default.temporaryDirectory.appendingPathComponent("genre-bench-30s.wav")
  try? wav16.write(to: url)
  Benchmark("decode WAV 16-bit mono 30 s (from file)") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try AudioDecoder.decode(contentsOf: url))
    }
  }
}
