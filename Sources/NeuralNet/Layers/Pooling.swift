/// Max or average pooling over windows of `[N, C, H, W]` (2-D) or `[N, C, L]` (1-D), without
/// padding (`out = ⌊(in − k) / stride⌋ + 1`).
///
/// Matches `torch.nn.MaxPool2d/MaxPool1d(kernel, stride)` and `torch.nn.AvgPool2d/AvgPool1d`
/// (default `padding=0`, `ceil_mode=False`). Max pooling routes the gradient to the first maximum
/// of each window, as PyTorch does.
public final class Pooling: Layer {
  /// The reduction applied to each window.
  public enum Kind: String, Codable, Sendable {
    /// The window's maximum.
    case max
    /// The window's mean.
    case average
  }

  /// The reduction.
  public let kind: Kind
  /// Window `(kh, kw)`; 1-D pooling uses `(1, k)`.
  public let window: (Int, Int)
  /// Stride `(sh, sw)`.
  public let stride: (Int, Int)
  /// Whether inputs are `[N, C, L]` (true) or `[N, C, H, W]`.
  public let isOneDimensional: Bool
  private var inputShape: [Int] = []
  private var geometry: WindowGeometry?
  private var argmax: [Int32] = []
  private var winners: [UInt8] = []

  /// A 2-D pooling layer with window `(kh, kw)` and `stride` (defaults to the window).
  public init(_ kind: Kind, window: (Int, Int), stride: (Int, Int)? = nil) {
    let stride = stride ?? window
    precondition(
      window.0 > 0 && window.1 > 0 && stride.0 > 0 && stride.1 > 0,
      "pooling window \(window) and stride \(stride) must be positive")
    self.kind = kind
    self.window = window
    self.stride = stride
    isOneDimensional = false
  }

  /// A 1-D pooling layer with window `size` and `stride` (defaults to `size`).
  public init(_ kind: Kind, size: Int, stride: Int? = nil) {
    let stride = stride ?? size
    precondition(size > 0 && stride > 0, "pooling size \(size) and stride \(stride) must be positive")
    self.kind = kind
    window = (1, size)
    self.stride = (1, stride)
    isOneDimensional = true
  }

  /// - Complexity: O(N · C · OH · OW · kh · kw).
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    precondition(
      input.rank == (isOneDimensional ? 3 : 4),
      "\(isOneDimensional ? "1-D" : "2-D") pooling expects \(isOneDimensional ? "[N, C, L]" : "[N, C, H, W]"), got \(input.shape)"
    )
    inputShape = input.shape
    let s = isOneDimensional ? [input.shape[0], input.shape[1], 1, input.shape[2]] : input.shape
    let g = WindowGeometry(
      channels: s[1], height: s[2], width: s[3], kernel: window, stride: stride, padding: .valid)
    precondition(
      g.outputHeight > 0 && g.outputWidth > 0, "pooling window \(window) larger than input \(input.shape)")
    geometry = g
    let planes = s[0] * s[1]
    let (oh, ow) = (g.outputHeight, g.outputWidth)
    var output = Tensor(unfilled: isOneDimensional ? [s[0], s[1], ow] : [s[0], s[1], oh, ow])
    let (kh, kw, sh, sw, h, w) = (window.0, window.1, stride.0, stride.1, g.height, g.width)
    let scale = 1 / Float(kh * kw)
    if kind == .max && isTwoByTwo {
      maxPoolTwoByTwo(input, into: &output, planes: planes, geometry: g)
      return output
    }
    if kind == .max && argmax.count != output.count { argmax = [Int32](repeating: 0, count: output.count) }
    input.scalars.withUnsafeBufferPointer { x in
      output.scalars.withUnsafeMutableBufferPointer { y in
        argmax.withUnsafeMutableBufferPointer { index in
          for plane in 0..<planes {
            let xp = x.baseAddress! + plane * h * w
            let yp = y.baseAddress! + plane * oh * ow
            for oy in 0..<oh {
              for ox in 0..<ow {
                let origin = oy * sh * w + ox * sw
                if kind == .max {
                  var best = xp[origin]
                  var bestIndex = origin
                  for i in 0..<kh {
                    for j in 0..<kw {
                      let at = origin + i * w + j
                      let v = xp[at]
                      if v > best || v.isNaN {
                        best = v
                        bestIndex = at
                      }
                    }
                  }
                  yp[oy * ow + ox] = best
                  index[plane * oh * ow + oy * ow + ox] = Int32(bestIndex)
                } else {
                  var sum: Float = 0
                  for i in 0..<kh {
                    for j in 0..<kw { sum += xp[origin + i * w + j] }
                  }
                  yp[oy * ow + ox] = sum * scale
                }
              }
            }
          }
        }
      }
    }
    return output
  }

  /// Max: ∂L/∂y goes to the window's arg-max; average: ∂L/∂y / (kh·kw) to every window element.
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    guard let g = geometry else { preconditionFailure("pooling backward called before forward") }
    let (oh, ow, h, w) = (g.outputHeight, g.outputWidth, g.height, g.width)
    let planes = inputShape[0] * inputShape[1]
    precondition(
      outputGradient.count == planes * oh * ow, "pooling gradient \(outputGradient.shape) has the wrong size")
    if kind == .max && isTwoByTwo {
      return maxPoolTwoByTwoBackward(outputGradient, planes: planes, geometry: g)
    }
    var inputGradient = Tensor(zeros: inputShape)
    let (kh, kw, sh, sw) = (window.0, window.1, stride.0, stride.1)
    let scale = 1 / Float(kh * kw)
    outputGradient.scalars.withUnsafeBufferPointer { dy in
      inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
        argmax.withUnsafeBufferPointer { index in
          for plane in 0..<planes {
            let dxp = dx.baseAddress! + plane * h * w
            let base = plane * oh * ow
            for o in 0..<(oh * ow) {
              if kind == .max {
                dxp[Int(index[base + o])] += dy[base + o]
              } else {
                let origin = (o / ow) * sh * w + (o % ow) * sw
                let share = dy[base + o] * scale
                for i in 0..<kh {
                  for j in 0..<kw { dxp[origin + i * w + j] += share }
                }
              }
            }
          }
        }
      }
    }
    return inputGradient
  }

  /// Whether this is the common 2 × 2 window with stride 2, which has a branch-free fast path.
  private var isTwoByTwo: Bool { window == (2, 2) && stride == (2, 2) }

  /// 2 × 2 / stride 2 max pooling. `winners` holds each window's arg-max as a code 0…3
  /// (top-left, top-right, bottom-left, bottom-right); four windows are done at once with SIMD.
  private func maxPoolTwoByTwo(
    _ input: Tensor, into output: inout Tensor, planes: Int, geometry g: WindowGeometry
  ) {
    let (oh, ow, w) = (g.outputHeight, g.outputWidth, g.width)
    let planeSize = g.height * g.width
    if winners.count != output.count { winners = [UInt8](repeating: 0, count: output.count) }
    input.scalars.withUnsafeBufferPointer { x in
      output.scalars.withUnsafeMutableBufferPointer { y in
        winners.withUnsafeMutableBufferPointer { codes in
          parallelChunks(planes, grain: max(1, elementGrain / max(planeSize, 1))) { planeRange in
            for plane in planeRange {
              let xp = x.baseAddress! + plane * planeSize
              for oy in 0..<oh {
                let top = xp + 2 * oy * w
                let bottom = top + w
                let yp = y.baseAddress! + (plane * oh + oy) * ow
                let cp = codes.baseAddress! + (plane * oh + oy) * ow
                var ox = 0
                // Four windows need 8 input columns: 2·ox + 8 ≤ w.
                while ox + 4 <= ow && 2 * ox + 8 <= w {
                  let t = Kernels.load(top + 2 * ox)
                  let b = Kernels.load(bottom + 2 * ox)
                  let (a0, a1, b0, b1) = (t.evenHalf, t.oddHalf, b.evenHalf, b.oddHalf)
                  // The first maximum in row-major window order wins, as in PyTorch.
                  let rightTop = a1 .> a0
                  let rightBottom = b1 .> b0
                  let upper = a0.replacing(with: a1, where: rightTop)
                  let lower = b0.replacing(with: b1, where: rightBottom)
                  let useLower = lower .> upper
                  Kernels.store4(upper.replacing(with: lower, where: useLower), yp + ox)
                  var code = SIMD4<Int32>(repeating: 0).replacing(with: 1, where: rightTop)
                  let lowerCode = SIMD4<Int32>(repeating: 2).replacing(with: 3, where: rightBottom)
                  code.replace(with: lowerCode, where: useLower)
                  for lane in 0..<4 { cp[ox + lane] = UInt8(truncatingIfNeeded: code[lane]) }
                  ox += 4
                }
                while ox < ow {
                  let a = top[2 * ox]
                  let b = top[2 * ox + 1]
                  let c = bottom[2 * ox]
                  let d = bottom[2 * ox + 1]
                  let upper = b > a ? b : a
                  let upperCode: UInt8 = b > a ? 1 : 0
                  let lower = d > c ? d : c
                  let lowerCode: UInt8 = d > c ? 3 : 2
                  yp[ox] = lower > upper ? lower : upper
                  cp[ox] = lower > upper ? lowerCode : upperCode
                  ox += 1
                }
              }
            }
          }
        }
      }
    }
  }

  /// Backward of `maxPoolTwoByTwo`: every input element is written once (the gradient at the
  /// window's winner, zero elsewhere, zero in rows/columns no window covers).
  private func maxPoolTwoByTwoBackward(_ outputGradient: Tensor, planes: Int, geometry g: WindowGeometry)
    -> Tensor
  {
    let (oh, ow, h, w) = (g.outputHeight, g.outputWidth, g.height, g.width)
    var inputGradient = Tensor(unfilled: inputShape)
    outputGradient.scalars.withUnsafeBufferPointer { dy in
      inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
        winners.withUnsafeBufferPointer { codes in
          parallelChunks(planes, grain: max(1, elementGrain / max(h * w, 1))) { planeRange in
            for plane in planeRange {
              let dxp = dx.baseAddress! + plane * h * w
              for oy in 0..<oh {
                let top = dxp + 2 * oy * w
                let bottom = top + w
                let dyp = dy.baseAddress! + (plane * oh + oy) * ow
                let cp = codes.baseAddress! + (plane * oh + oy) * ow
                for ox in 0..<ow {
                  let g = dyp[ox]
                  let code = cp[ox]
                  top[2 * ox] = code == 0 ? g : 0
                  top[2 * ox + 1] = code == 1 ? g : 0
                  bottom[2 * ox] = code == 2 ? g : 0
                  bottom[2 * ox + 1] = code == 3 ? g : 0
                }
                if w > 2 * ow {
                  top[2 * ow] = 0
                  bottom[2 * ow] = 0
                }
              }
              if h > 2 * oh { (dxp + 2 * oh * w).update(repeating: 0, count: w) }
            }
          }
        }
      }
    }
    return inputGradient
  }
}

/// Global average pooling: the mean over every axis after the channel axis,
/// `[N, C, …] → [N, C]`. Matches `torch.nn.AdaptiveAvgPool2d(1)` (or `AdaptiveAvgPool1d(1)`)
/// followed by `torch.nn.Flatten()`.
public final class GlobalAveragePooling: Layer {
  private var inputShape: [Int] = []

  /// A global average pooling layer.
  public init() {}

  /// The layer applied to a batch; see the type's description for shapes and formula.
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    precondition(input.rank >= 3, "GlobalAveragePooling expects [N, C, …spatial], got \(input.shape)")
    inputShape = input.shape
    let (n, c) = (input.shape[0], input.shape[1])
    let size = input.count / max(n * c, 1)
    var output = Tensor(zeros: [n, c])
    let scale = 1 / Float(size)
    input.scalars.withUnsafeBufferPointer { x in
      output.scalars.withUnsafeMutableBufferPointer { y in
        for plane in 0..<(n * c) {
          y[plane] = Kernels.sum(x.baseAddress! + plane * size, size) * scale
        }
      }
    }
    return output
  }

  /// ∂L/∂x[n, c, …] = ∂L/∂y[n, c] / (spatial size).
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    let (n, c) = (inputShape[0], inputShape[1])
    precondition(
      outputGradient.shape == [n, c], "GlobalAveragePooling gradient \(outputGradient.shape) ≠ [\(n), \(c)]")
    let size = inputShape.reduce(1, *) / max(n * c, 1)
    var inputGradient = Tensor(unfilled: inputShape)
    let scale = 1 / Float(size)
    outputGradient.scalars.withUnsafeBufferPointer { dy in
      inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
        for plane in 0..<(n * c) {
          (dx.baseAddress! + plane * size).update(repeating: dy[plane] * scale, count: size)
        }
      }
    }
    return inputGradient
  }
}
