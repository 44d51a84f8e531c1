/// How a convolution or pooling window treats the borders.
public enum ConvolutionPadding: String, Codable, Sendable {
  /// No padding: `out = ⌊(in − k) / stride⌋ + 1`, windows lie fully inside the input.
  case valid
  /// Zero padding so that `out = ⌈in / stride⌉` (Keras/TensorFlow "same"); the total padding
  /// `max((out − 1) · stride + k − in, 0)` is split with the smaller half before. For stride 1 this
  /// equals PyTorch's `padding="same"`.
  case same

  /// Output extent and padding before the first element for one axis.
  func resolve(input: Int, kernel: Int, stride: Int) -> (output: Int, before: Int) {
    switch self {
    case .valid:
      return (input >= kernel ? (input - kernel) / stride + 1 : 0, 0)
    case .same:
      let output = (input + stride - 1) / stride
      let total = max((output - 1) * stride + kernel - input, 0)
      return (output, total / 2)
    }
  }
}

/// The geometry of a 2-D sliding window over one `[C, H, W]` sample; 1-D layers use H = 1.
struct WindowGeometry: Equatable {
  var channels: Int, height: Int, width: Int
  var kernelHeight: Int, kernelWidth: Int
  var strideHeight: Int, strideWidth: Int
  var padTop: Int, padLeft: Int
  var outputHeight: Int, outputWidth: Int

  init(
    channels: Int, height: Int, width: Int, kernel: (Int, Int), stride: (Int, Int),
    padding: ConvolutionPadding
  ) {
    self.channels = channels
    self.height = height
    self.width = width
    (kernelHeight, kernelWidth) = kernel
    (strideHeight, strideWidth) = stride
    (outputHeight, padTop) = padding.resolve(input: height, kernel: kernel.0, stride: stride.0)
    (outputWidth, padLeft) = padding.resolve(input: width, kernel: kernel.1, stride: stride.1)
  }

  /// Rows of the im2col matrix: C · kh · kw.
  var patchSize: Int { channels * kernelHeight * kernelWidth }
  /// Columns of the im2col matrix: OH · OW.
  var outputPlane: Int { outputHeight * outputWidth }
  /// Whether the columns equal the input itself (1 × 1 kernel, stride 1, no padding).
  var isIdentity: Bool {
    kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1 && padTop == 0
      && padLeft == 0
  }

  /// The range of output columns `ox` whose input column `ox·sw + j − padLeft` lies in [0, W).
  @inline(__always)
  func validColumns(offset j: Int) -> Range<Int> {
    let shift = j - padLeft
    // ox·sw + shift ≥ 0  ⇔  ox ≥ ⌈−shift / sw⌉ ; ox·sw + shift ≤ W − 1
    let first = shift >= 0 ? 0 : (-shift + strideWidth - 1) / strideWidth
    let lastInput = width - 1 - shift
    let end = lastInput < 0 ? 0 : min(outputWidth, lastInput / strideWidth + 1)
    return first..<max(first, end)
  }

  /// Writes the im2col matrix `[C·kh·kw, OH·OW]` of one sample `x` (`[C, H, W]`) into `columns`:
  /// `columns[(c·kh + i)·kw + j, oy·OW + ox] = x[c, oy·sh + i − padTop, ox·sw + j − padLeft]`,
  /// zero outside the input.
  ///
  /// - Complexity: O(C · kh · kw · OH · OW).
  func im2col(_ x: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
    let plane = outputPlane
    // Rows are independent, so chunks of rows (not channels) keep both threads busy when C = 1.
    parallelChunks(patchSize, grain: max(1, elementGrain / max(plane, 1))) { range in
      im2col(x, into: columns, rows: range)
    }
  }

  private func im2col(_ x: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>, rows: Range<Int>)
  {
    let plane = outputPlane
    for r in rows {
      let c = r / (kernelHeight * kernelWidth)
      let i = (r / kernelWidth) % kernelHeight
      let j = r % kernelWidth
      let row = columns + r * plane
      let valid = validColumns(offset: j)
      for oy in 0..<outputHeight {
        let destination = row + oy * outputWidth
        let iy = oy * strideHeight + i - padTop
        guard iy >= 0 && iy < height, !valid.isEmpty else {
          destination.update(repeating: 0, count: outputWidth)
          continue
        }
        if valid.lowerBound > 0 { destination.update(repeating: 0, count: valid.lowerBound) }
        if valid.upperBound < outputWidth {
          (destination + valid.upperBound).update(repeating: 0, count: outputWidth - valid.upperBound)
        }
        let source = x + (c * height + iy) * width + j - padLeft
        if strideWidth == 1 {
          (destination + valid.lowerBound).update(from: source + valid.lowerBound, count: valid.count)
        } else {
          for ox in valid { destination[ox] = source[ox * strideWidth] }
        }
      }
    }
  }

  /// Adds the im2col-shaped gradient `columns` back onto the sample gradient `dx` (`[C, H, W]`),
  /// the adjoint of `im2col`.
  ///
  /// - Complexity: O(C · kh · kw · OH · OW).
  func col2im(_ columns: UnsafePointer<Float>, addingInto dx: UnsafeMutablePointer<Float>) {
    let plane = outputPlane
    parallelChunks(channels, grain: max(1, elementGrain / max(plane * kernelHeight * kernelWidth, 1))) {
      range in
      col2im(columns, addingInto: dx, channels: range)
    }
  }

  private func col2im(
    _ columns: UnsafePointer<Float>, addingInto dx: UnsafeMutablePointer<Float>, channels: Range<Int>
  ) {
    let plane = outputPlane
    for c in channels {
      for i in 0..<kernelHeight {
        for j in 0..<kernelWidth {
          let row = columns + ((c * kernelHeight + i) * kernelWidth + j) * plane
          let valid = validColumns(offset: j)
          if valid.isEmpty { continue }
          for oy in 0..<outputHeight {
            let iy = oy * strideHeight + i - padTop
            guard iy >= 0 && iy < height else { continue }
            let source = row + oy * outputWidth
            let destination = dx + (c * height + iy) * width + j - padLeft
            if strideWidth == 1 {
              for ox in valid { destination[ox] += source[ox] }
            } else {
              for ox in valid { destination[ox * strideWidth] += source[ox] }
            }
          }
        }
      }
    }
  }
}

/// The shared engine of `Conv1D` and `Conv2D`: per sample, im2col then one `sgemm`.
///
/// Forward: `Y_n[F, OH·OW] = W[F, C·kh·kw] · cols(X_n) + b`. Backward: `∂W += ∂Y_n · cols(X_n)ᵀ`,
/// `∂b += Σ ∂Y_n`, `∂X_n = col2im(Wᵀ · ∂Y_n)`. Columns are recomputed in backward rather than
/// kept, trading a cheap copy for a large saving in memory.
final class ConvolutionEngine {
  let filters: Int
  let kernel: (Int, Int)
  let stride: (Int, Int)
  let padding: ConvolutionPadding
  private var columns: [Float] = []
  private var columnGradient: [Float] = []
  private(set) var input = Tensor(zeros: [0, 0, 0, 0])
  private(set) var geometry: WindowGeometry?
  /// When false, `backward` skips ∂L/∂input and returns an empty tensor (first layer of a model).
  var computesInputGradient = true

  init(filters: Int, kernel: (Int, Int), stride: (Int, Int), padding: ConvolutionPadding) {
    self.filters = filters
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
  }

  /// `input` `[N, C, H, W]`, weight `[F, C·kh·kw]` (any shape with that element order) → `[N, F, OH, OW]`.
  func forward(_ input: Tensor, weight: Parameter, bias: Parameter) -> Tensor {
    let n = input.shape[0]
    let g = WindowGeometry(
      channels: input.shape[1], height: input.shape[2], width: input.shape[3], kernel: kernel,
      stride: stride, padding: padding)
    precondition(
      g.outputHeight > 0 && g.outputWidth > 0,
      "convolution kernel \(kernel) does not fit input \(input.shape) with padding \(padding)")
    self.input = input
    geometry = g
    let plane = g.outputPlane
    let patch = g.patchSize
    if !g.isIdentity && columns.count < patch * plane {
      columns = [Float](repeating: 0, count: patch * plane)
    }
    var output = Tensor(unfilled: [n, filters, g.outputHeight, g.outputWidth])
    let sampleSize = g.channels * g.height * g.width
    input.scalars.withUnsafeBufferPointer { x in
      weight.value.scalars.withUnsafeBufferPointer { w in
        bias.value.scalars.withUnsafeBufferPointer { b in
          output.scalars.withUnsafeMutableBufferPointer { y in
            columns.withUnsafeMutableBufferPointer { cols in
              for sample in 0..<n {
                let xs = x.baseAddress! + sample * sampleSize
                let ys = y.baseAddress! + sample * filters * plane
                for f in 0..<filters { (ys + f * plane).update(repeating: b[f], count: plane) }
                let source: UnsafePointer<Float>
                if g.isIdentity {
                  source = xs
                } else {
                  g.im2col(xs, into: cols.baseAddress!)
                  source = UnsafePointer(cols.baseAddress!)
                }
                gemm(m: filters, n: plane, k: patch, a: w.baseAddress!, b: source, beta: 1, c: ys)
              }
            }
          }
        }
      }
    }
    return output
  }

  /// ∂L/∂input `[N, C, H, W]` from ∂L/∂output `[N, F, OH, OW]`; accumulates ∂W and ∂b.
  func backward(_ outputGradient: Tensor, weight: Parameter, bias: Parameter) -> Tensor {
    guard let g = geometry else { preconditionFailure("convolution backward called before forward") }
    let n = input.shape[0]
    precondition(
      outputGradient.shape == [n, filters, g.outputHeight, g.outputWidth],
      "convolution gradient \(outputGradient.shape) ≠ [\(n), \(filters), \(g.outputHeight), \(g.outputWidth)]"
    )
    let plane = g.outputPlane
    let patch = g.patchSize
    let sampleSize = g.channels * g.height * g.width
    if computesInputGradient && columnGradient.count < patch * plane {
      columnGradient = [Float](repeating: 0, count: patch * plane)
    }
    var inputGradient = Tensor(zeros: computesInputGradient ? input.shape : [0])
    input.scalars.withUnsafeBufferPointer { x in
      outputGradient.scalars.withUnsafeBufferPointer { dy in
        weight.value.scalars.withUnsafeBufferPointer { w in
          weight.gradient.scalars.withUnsafeMutableBufferPointer { dw in
            bias.gradient.scalars.withUnsafeMutableBufferPointer { db in
              inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                columns.withUnsafeMutableBufferPointer { cols in
                  columnGradient.withUnsafeMutableBufferPointer { dcols in
                    for sample in 0..<n {
                      let xs = x.baseAddress! + sample * sampleSize
                      let dys = dy.baseAddress! + sample * filters * plane
                      // An empty array may still have a (shared, read-only) base address: test the flag.
                      let dxs = computesInputGradient ? dx.baseAddress! + sample * sampleSize : nil
                      for f in 0..<filters { db[f] += Kernels.sum(dys + f * plane, plane) }
                      if g.isIdentity {
                        gemm(
                          transposeB: true, m: filters, n: patch, k: plane, a: dys, b: xs, beta: 1,
                          c: dw.baseAddress!)
                        if let dxs {
                          gemm(
                            transposeA: true, m: patch, n: plane, k: filters, a: w.baseAddress!, b: dys,
                            c: dxs)
                        }
                      } else {
                        g.im2col(xs, into: cols.baseAddress!)
                        gemm(
                          transposeB: true, m: filters, n: patch, k: plane, a: dys, b: cols.baseAddress!,
                          beta: 1,
                          c: dw.baseAddress!)
                        if let dxs {
                          gemm(
                            transposeA: true, m: patch, n: plane, k: filters, a: w.baseAddress!, b: dys,
                            c: dcols.baseAddress!)
                          g.col2im(dcols.baseAddress!, addingInto: dxs)
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return inputGradient
  }
}

/// 2-D convolution (cross-correlation) over `[N, C, H, W]` → `[N, F, OH, OW]`.
///
/// `y[n, f, oy, ox] = b[f] + Σ_{c,i,j} W[f, c, i, j] · x[n, c, oy·sh + i − pt, ox·sw + j − pl]`.
/// Matches `torch.nn.Conv2d(C, F, (kh, kw), stride, padding)` (weight `[F, C, kh, kw]`, bias `[F]`);
/// see `ConvolutionPadding` for "same". Implemented as im2col + `cblas_sgemm` per sample.
public final class Conv2D: Layer, InputGradientSkipping {
  /// `[F, C, kh, kw]`.
  public let weight: Parameter
  /// `[F]`.
  public let bias: Parameter
  private let engine: ConvolutionEngine

  /// A convolution with `filters` output channels over `inputChannels`, kernel `(kh, kw)`,
  /// stride `(sh, sw)`, weights from `initializer`, zero bias.
  public init(
    inputChannels: Int, filters: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
    padding: ConvolutionPadding = .valid, initializer: Initializer = .glorotUniform,
    generator: inout SeededGenerator
  ) {
    precondition(
      inputChannels > 0 && filters > 0 && kernel.0 > 0 && kernel.1 > 0 && stride.0 > 0 && stride.1 > 0,
      "Conv2D needs positive sizes: channels \(inputChannels), filters \(filters), kernel \(kernel), stride \(stride)"
    )
    let shape = [filters, inputChannels, kernel.0, kernel.1]
    weight = Parameter(
      name: "weight",
      value: Tensor(shape: shape, scalars: initializer.values(shape: shape, generator: &generator)))
    bias = Parameter(name: "bias", value: Tensor(zeros: [filters]))
    engine = ConvolutionEngine(filters: filters, kernel: kernel, stride: stride, padding: padding)
  }

  /// `weight` and `bias`.
  public var parameters: [Parameter] { [weight, bias] }

  /// - Complexity: O(N · F · C · kh · kw · OH · OW) in `sgemm`.
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    precondition(
      input.rank == 4 && input.shape[1] == weight.value.shape[1],
      "Conv2D expects [N, \(weight.value.shape[1]), H, W], got \(input.shape)")
    return engine.forward(input, weight: weight, bias: bias)
  }

  /// ∂L/∂input for the last `forward`; accumulates ∂L/∂weight and ∂L/∂bias.
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    engine.backward(outputGradient, weight: weight, bias: bias)
  }

  var computesInputGradient: Bool {
    get { engine.computesInputGradient }
    set { engine.computesInputGradient = newValue }
  }
}

/// 1-D convolution over `[N, C, L]` → `[N, F, OL]`, `y[n, f, o] = b[f] + Σ_{c,j} W[f, c, j] · x[n, c, o·s + j − p]`.
/// Matches `torch.nn.Conv1d(C, F, k, stride, padding)` (weight `[F, C, k]`, bias `[F]`).
public final class Conv1D: Layer, InputGradientSkipping {
  /// `[F, C, k]`.
  public let weight: Parameter
  /// `[F]`.
  public let bias: Parameter
  private let engine: ConvolutionEngine

  /// A 1-D convolution with `filters` output channels over `inputChannels`, kernel width `kernel`.
  public init(
    inputChannels: Int, filters: Int, kernel: Int, stride: Int = 1, padding: ConvolutionPadding = .valid,
    initializer: Initializer = .glorotUniform, generator: inout SeededGenerator
  ) {
    precondition(
      inputChannels > 0 && filters > 0 && kernel > 0 && stride > 0,
      "Conv1D needs positive sizes: channels \(inputChannels), filters \(filters), kernel \(kernel), stride \(stride)"
    )
    let shape = [filters, inputChannels, kernel]
    weight = Parameter(
      name: "weight",
      value: Tensor(shape: shape, scalars: initializer.values(shape: shape, generator: &generator)))
    bias = Parameter(name: "bias", value: Tensor(zeros: [filters]))
    engine = ConvolutionEngine(filters: filters, kernel: (1, kernel), stride: (1, stride), padding: padding)
  }

  /// `weight` and `bias`.
  public var parameters: [Parameter] { [weight, bias] }

  /// The layer applied to a batch; see the type's description for shapes and formula.
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    precondition(
      input.rank == 3 && input.shape[1] == weight.value.shape[1],
      "Conv1D expects [N, \(weight.value.shape[1]), L], got \(input.shape)")
    let (n, c, l) = (input.shape[0], input.shape[1], input.shape[2])
    let output = engine.forward(input.reshaped(to: [n, c, 1, l]), weight: weight, bias: bias)
    return output.reshaped(to: [n, output.shape[1], output.shape[3]])
  }

  /// ∂L/∂input for the last `forward`; accumulates ∂L/∂weight and ∂L/∂bias.
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    precondition(outputGradient.rank == 3, "Conv1D gradient must be [N, F, OL], got \(outputGradient.shape)")
    let s = outputGradient.shape
    let gradient = engine.backward(
      outputGradient.reshaped(to: [s[0], s[1], 1, s[2]]), weight: weight, bias: bias)
    guard computesInputGradient else { return gradient }
    return gradient.reshaped(to: [gradient.shape[0], gradient.shape[1], gradient.shape[3]])
  }

  var computesInputGradient: Bool {
    get { engine.computesInputGradient }
    set { engine.computesInputGradient = newValue }
  }
}
