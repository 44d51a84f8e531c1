import NeuralNet
import TestSupport
import Testing

@Suite("Pooling")
struct PoolingTests {
  @Test("2×2 max and average pooling, floor mode like PyTorch")
  func forward() {
    let x = Tensor(shape: [1, 1, 3, 5], scalars: (0..<15).map(Float.init))
    let maxed = Pooling(.max, window: (2, 2)).forward(x, training: false)
    #expect(maxed.shape == [1, 1, 1, 2])
    #expect(maxed.scalars == [6, 8])
    let averaged = Pooling(.average, window: (2, 2)).forward(x, training: false)
    #expect(averaged.scalars == [3, 5])
    let oneD = Pooling(.max, size: 3, stride: 2).forward(
      Tensor(shape: [1, 1, 7], scalars: [1, 5, 2, 0, 9, 3, 4]), training: false)
    #expect(oneD.scalars == [5, 9, 9])
  }

  @Test("max and average pooling gradients match finite differences, 2-D and 1-D")
  func gradients() {
    checkGradients(
      of: Pooling(.max, window: (2, 2)), input: Sample.distinct([2, 2, 4, 5], seed: 1), step: 1e-3)
    checkGradients(
      of: Pooling(.max, window: (3, 2), stride: (2, 1)), input: Sample.distinct([1, 2, 7, 5], seed: 2),
      step: 1e-3)
    checkGradients(of: Pooling(.average, window: (2, 3)), input: Sample.uniform([2, 2, 4, 6], seed: 3))
    checkGradients(of: Pooling(.max, size: 2), input: Sample.distinct([2, 3, 8], seed: 4), step: 1e-3)
    checkGradients(of: Pooling(.average, size: 3, stride: 2), input: Sample.uniform([2, 3, 9], seed: 5))
  }

  @Test("the vectorised 2×2 path equals a direct max over each window and routes ties to the first")
  func twoByTwoFastPath() {
    // Values quantised to a few levels so that ties occur often.
    var x = Sample.uniform([3, 2, 9, 21], seed: 8)
    for i in x.scalars.indices { x.scalars[i] = (x.scalars[i] * 2).rounded() }
    let layer = Pooling(.max, window: (2, 2))
    let y = layer.forward(x, training: true)
    #expect(y.shape == [3, 2, 4, 10])
    let dx = layer.backward(Tensor(zeros: y.shape, value: 1))
    for n in 0..<3 {
      for c in 0..<2 {
        for oy in 0..<4 {
          for ox in 0..<10 {
            let window = [
              x[n, c, 2 * oy, 2 * ox], x[n, c, 2 * oy, 2 * ox + 1],
              x[n, c, 2 * oy + 1, 2 * ox], x[n, c, 2 * oy + 1, 2 * ox + 1],
            ]
            let best = window.max()!
            #expect(y[n, c, oy, ox] == best)
            let first = window.firstIndex(of: best)!
            let routed = [
              dx[n, c, 2 * oy, 2 * ox], dx[n, c, 2 * oy, 2 * ox + 1],
              dx[n, c, 2 * oy + 1, 2 * ox], dx[n, c, 2 * oy + 1, 2 * ox + 1],
            ]
            #expect(routed == (0..<4).map { $0 == first ? 1 : 0 })
          }
        }
        // The last row and column belong to no window.
        for ix in 0..<21 { #expect(dx[n, c, 8, ix] == 0) }
        for iy in 0..<9 { #expect(dx[n, c, iy, 20] == 0) }
      }
    }
    checkGradients(of: layer, input: Sample.distinct([2, 2, 4, 19], seed: 9), step: 1e-3)
  }

  @Test("global average pooling averages every spatial position and its gradient checks")
  func global() {
    let x = Tensor(shape: [1, 2, 2, 2], scalars: [1, 2, 3, 4, 10, 10, 10, 14])
    #expect(GlobalAveragePooling().forward(x, training: false).scalars == [2.5, 11])
    checkGradients(of: GlobalAveragePooling(), input: Sample.uniform([2, 3, 3, 4], seed: 6))
    checkGradients(of: GlobalAveragePooling(), input: Sample.uniform([2, 3, 5], seed: 7))
  }
}
