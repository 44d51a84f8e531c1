import NeuralNet
import TestSupport
import Testing

@Suite("Convolution")
struct ConvolutionTests {
  /// Direct evaluation of the convolution sum, the definition the im2col path must match.
  func direct(
    _ x: Tensor, _ w: Tensor, _ b: Tensor, stride: (Int, Int), pad: (Int, Int), out: (Int, Int)
  ) -> [Float] {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (f, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    var y: [Float] = []
    for s in 0..<n {
      for o in 0..<f {
        for oy in 0..<out.0 {
          for ox in 0..<out.1 {
            var sum = Double(b.scalars[o])
            for ch in 0..<c {
              for i in 0..<kh {
                for j in 0..<kw {
                  let iy = oy * stride.0 + i - pad.0
                  let ix = ox * stride.1 + j - pad.1
                  if iy < 0 || iy >= h || ix < 0 || ix >= wd { continue }
                  sum += Double(x[s, ch, iy, ix]) * Double(w[o, ch, i, j])
                }
              }
            }
            y.append(Float(sum))
          }
        }
      }
    }
    return y
  }

  @Test(
    "Conv2D matches the direct sum for valid and same padding, strides 1 and 2",
    arguments: [(ConvolutionPadding.valid, 1), (.same, 1), (.valid, 2), (.same, 2)])
  func matchesDirect(padding: ConvolutionPadding, stride: Int) {
    var g = SeededGenerator(seed: 11)
    let layer = Conv2D(
      inputChannels: 2, filters: 3, kernel: (3, 2), stride: (stride, stride), padding: padding, generator: &g)
    layer.bias.value = Sample.uniform([3], seed: 2)
    let x = Sample.uniform([2, 2, 7, 6], seed: 3)
    let y = layer.forward(x, training: false)
    let outH = padding == .same ? (7 + stride - 1) / stride : (7 - 3) / stride + 1
    let outW = padding == .same ? (6 + stride - 1) / stride : (6 - 2) / stride + 1
    #expect(y.shape == [2, 3, outH, outW])
    let padTop = padding == .same ? max((outH - 1) * stride + 3 - 7, 0) / 2 : 0
    let padLeft = padding == .same ? max((outW - 1) * stride + 2 - 6, 0) / 2 : 0
    let expected = direct(
      x, layer.weight.value, layer.bias.value, stride: (stride, stride), pad: (padTop, padLeft),
      out: (outH, outW))
    expectClose(y.scalars, expected, absolute: 1e-5)
  }

  @Test("Conv2D gradients match finite differences (same padding, stride 2 valid, 1×1)")
  func conv2DGradients() {
    var g = SeededGenerator(seed: 12)
    let same = Conv2D(inputChannels: 2, filters: 3, kernel: (3, 3), padding: .same, generator: &g)
    same.bias.value = Sample.uniform([3], seed: 1)
    checkGradients(of: same, input: Sample.uniform([2, 2, 5, 4], seed: 2))
    let strided = Conv2D(inputChannels: 2, filters: 2, kernel: (2, 3), stride: (2, 2), generator: &g)
    checkGradients(of: strided, input: Sample.uniform([2, 2, 6, 7], seed: 3))
    let pointwise = Conv2D(inputChannels: 3, filters: 2, kernel: (1, 1), generator: &g)
    checkGradients(of: pointwise, input: Sample.uniform([2, 3, 3, 3], seed: 4))
  }

  @Test("Conv1D equals Conv2D over a height-1 map, with [F, C, k] weights, and its gradients check")
  func conv1D() {
    var g = SeededGenerator(seed: 13)
    var h = SeededGenerator(seed: 13)
    let one = Conv1D(inputChannels: 2, filters: 3, kernel: 3, stride: 1, padding: .same, generator: &g)
    let two = Conv2D(inputChannels: 2, filters: 3, kernel: (1, 3), padding: .same, generator: &h)
    #expect(one.weight.value.shape == [3, 2, 3])
    #expect(one.weight.value.scalars == two.weight.value.scalars)
    let x = Sample.uniform([2, 2, 9], seed: 5)
    let y1 = one.forward(x, training: false)
    let y2 = two.forward(x.reshaped(to: [2, 2, 1, 9]), training: false)
    #expect(y1.shape == [2, 3, 9])
    #expect(y1.scalars == y2.scalars)
    checkGradients(of: one, input: x)
    let strided = Conv1D(inputChannels: 2, filters: 2, kernel: 4, stride: 3, generator: &g)
    checkGradients(of: strided, input: Sample.uniform([2, 2, 11], seed: 6))
  }
}
