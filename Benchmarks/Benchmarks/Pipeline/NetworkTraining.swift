import Benchmark
import GenreClassifier

/// Network budget: the `melCNN` preset (input 1 × 128 × 130, conv blocks 32-64-128-128, ~242 k
/// parameters) — a training step at batch 32 at least as fast as PyTorch CPU with the same thread
/// count, and one-segment inference ≤ 2 ms on one thread.
func registerNetworkBenchmarks() {
  let specs = ArchitecturePreset.melCNN.layers(classCount: 10)
  let inputShape = ArchitecturePreset.melCNN.inputShape(featureCount: 0)
  var generator = SeededGenerator(seed: 2)
  let batch = Tensor(
    shape: [32] + inputShape,
    scalars: (0..<(32 * inputShape.reduce(1, *))).map { _ in Float(generator.nextUniform()) * 2 - 1 })
  let labels = (0..<32).map { $0 % 10 }
  let segment = batch.batch(0..<1)
  let networkConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .cpuTotal], timeUnits: .milliseconds, warmupIterations: 2,
    maxDuration: .seconds(10), maxIterations: 30)

  for threads in [1, 2] {
    Benchmark("melCNN training step, batch 32 (\(threads) thread\(threads == 1 ? "" : "s"))",
      configuration: networkConfiguration) { benchmark in
      ComputeThreads.set(threads)
      let model = try Sequential(inputShape: inputShape, specs: specs, seed: 1)
      let loss = try SoftmaxCrossEntropy()
      let optimizer = Adam()
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        blackHole(
          try model.trainStep(input: batch, labels: labels, loss: loss, optimizer: optimizer))
      }
    }
  }

  // Inference runs through the planned network (`Sequential.inferenceNetwork()`: BatchNorm folded,
  // Winograd F(4×4, 3×3), fused ReLU and pooling), which `forward(_:training: false)` also uses.
  let segments = batch.batch(0..<10)
  let inferenceConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 5,
    maxDuration: .seconds(5), maxIterations: 400)
  // One planned network for both entries, built once: ordo-one may call a closure once per
  // sample, and a plan built inside it would page in its fresh buffers during the measured
  // forward (glibc may have returned those pages to the kernel), which a predictor in use
  // never does.
  let planned = Result { try Sequential(inputShape: inputShape, specs: specs, seed: 1).inferenceNetwork() }
  Benchmark("melCNN inference, one 3 s segment (1 thread)", configuration: inferenceConfiguration) {
    benchmark in
    ComputeThreads.set(1)
    let network = try planned.get()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(network.forward(segment))
    }
  }

  // A 30 s file is 10 segments: per segment = this time / 10.
  Benchmark("melCNN inference, batch of 10 segments (1 thread)", configuration: inferenceConfiguration) {
    benchmark in
    ComputeThreads.set(1)
    let network = try planned.get()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(network.forward(segments))
    }
  }

  // The layer-by-layer path (im2col + sgemm per convolution), for comparison.
  Benchmark("melCNN inference, one 3 s segment, layer by layer (1 thread)", configuration: inferenceConfiguration)
  { benchmark in
    ComputeThreads.set(1)
    let model = try Sequential(inputShape: inputShape, specs: specs, seed: 1)
    model.usesInferencePlan = false
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(model.forward(segment))
    }
  }
}
