import Foundation
import NeuralNet
import Testing

/// A manual timing harness for the 2-D CNN, not a timed test: it runs only when
/// `NEURALNET_TIMING=1` and prints medians without asserting on them. Use a release build:
///
///     NEURALNET_TIMING=1 NEURALNET_THREADS=1 swift test -c release --filter NeuralNetTests.TimingHarness
///
/// and compare with `python3 Scripts/torch_reference.py --benchmark 1` (same thread count).
@Suite("TimingHarness", .enabled(if: ProcessInfo.processInfo.environment["NEURALNET_TIMING"] == "1"))
struct TimingHarness {
  /// CPU time of the whole process (all threads), robust to other processes competing for cores.
  func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
      let start = DispatchTime.now().uptimeNanoseconds
      try body()
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.sorted()[runs / 2]
  }

  @Test("2-D CNN: training step at batch 32 and one-segment inference")
  func melCNN() throws {
    let threads = Int(ProcessInfo.processInfo.environment["NEURALNET_THREADS"] ?? "1") ?? 1
    ComputeThreads.set(threads)
    let model = try Sequential(inputShape: [1, 128, 130], specs: SequentialTests.melCNN, seed: 1)
    let x = Sample.uniform([32, 1, 128, 130], seed: 2)
    let labels = (0..<32).map { $0 % 10 }
    let optimizer = Adam()
    let loss = try SoftmaxCrossEntropy()
    for _ in 0..<2 { try model.trainStep(input: x, labels: labels, loss: loss, optimizer: optimizer) }
    let cpuStart = processCPUSeconds()
    let step = try median(7) {
      try model.trainStep(input: x, labels: labels, loss: loss, optimizer: optimizer)
    }
    let cpuPerStep = (processCPUSeconds() - cpuStart) / 7 * 1000
    // Per-phase breakdown of one step.
    var forward = 0.0
    var backward = 0.0
    for _ in 0..<3 {
      model.zeroGradients()
      var logits = Tensor(zeros: [0])
      forward += median(1) { logits = model.forward(x, training: true) }
      let (_, gradient) = try loss.evaluate(logits: logits, labels: labels)
      backward += median(1) { model.backward(gradient) }
    }
    let one = x.batch(0..<1)
    for _ in 0..<3 { _ = model.forward(one) }
    let inference = median(31) { _ = model.forward(one) }
    let kernel = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "auto"
    print(
      "NeuralNet threads \(threads) (OPENBLAS_CORETYPE \(kernel)): training step batch 32 median "
        + String(
          format:
            "%.1f ms (forward %.1f, backward %.1f; process CPU %.1f ms/step); inference one segment %.2f ms",
          step, forward / 3, backward / 3, cpuPerStep, inference))
  }
}

extension TimingHarness {
  @Test("2-D CNN: per-layer forward and backward times at batch 32")
  func perLayer() throws {
    ComputeThreads.set(Int(ProcessInfo.processInfo.environment["NEURALNET_THREADS"] ?? "1") ?? 1)
    let model = try Sequential(inputShape: [1, 128, 130], specs: SequentialTests.melCNN, seed: 1)
    let batch = Int(ProcessInfo.processInfo.environment["NEURALNET_BATCH"] ?? "32") ?? 32
    var x = Sample.uniform([batch, 1, 128, 130], seed: 2)
    var outputs: [Tensor] = []
    var lines: [String] = []
    for (index, layer) in model.layers.enumerated() {
      let input = x
      let time = median(batch == 1 ? 21 : 3) { x = layer.forward(input, training: batch > 1) }
      outputs.append(x)
      lines.append(String(format: "  %2d %@ forward %.3f ms", index, model.specs[index].typeName, time))
    }
    var g = Tensor(zeros: x.shape, value: 0.01)
    for (index, layer) in model.layers.enumerated().reversed() {
      let gradient = g
      let time = median(1) { g = layer.backward(gradient) }
      lines[index] += String(format: ", backward %.3f ms", time)
    }
    print(lines.joined(separator: "\n"))
  }
}
