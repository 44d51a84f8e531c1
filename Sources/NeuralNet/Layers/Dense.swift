/// A fully connected layer: `y = x · Wᵀ + b` for `x` of shape `[N, in]`.
///
/// Matches `torch.nn.Linear(in, out)`: `weight` is `[out, in]`, `bias` is `[out]`.
public final class Dense: Layer {
  /// `[out, in]`.
  public let weight: Parameter
  /// `[out]`.
  public let bias: Parameter
  private var input = Tensor(zeros: [0, 0])

  /// A dense layer mapping `inputSize` features to `outputSize`, weights from `initializer`,
  /// zero bias.
  public init(
    inputSize: Int, outputSize: Int, initializer: Initializer = .glorotUniform,
    generator: inout SeededGenerator
  ) {
    precondition(inputSize > 0 && outputSize > 0, "Dense sizes \(inputSize)→\(outputSize) must be > 0")
    let shape = [outputSize, inputSize]
    weight = Parameter(
      name: "weight",
      value: Tensor(shape: shape, scalars: initializer.values(shape: shape, generator: &generator)))
    bias = Parameter(name: "bias", value: Tensor(zeros: [outputSize]))
  }

  /// `weight` and `bias`.
  public var parameters: [Parameter] { [weight, bias] }

  /// `[N, in] → [N, out]`.
  ///
  /// - Complexity: O(N · in · out), one `sgemm`.
  public func forward(_ input: consuming Tensor, training: Bool) -> Tensor {
    let outSize = weight.value.shape[0]
    let inSize = weight.value.shape[1]
    precondition(
      input.rank == 2 && input.shape[1] == inSize, "Dense expects [N, \(inSize)], got \(input.shape)")
    let n = input.shape[0]
    self.input = input
    var output = Tensor(zeros: [n, outSize])
    output.scalars.withUnsafeMutableBufferPointer { y in
      bias.value.scalars.withUnsafeBufferPointer { b in
        for row in 0..<n { (y.baseAddress! + row * outSize).update(from: b.baseAddress!, count: outSize) }
      }
      input.scalars.withUnsafeBufferPointer { x in
        weight.value.scalars.withUnsafeBufferPointer { w in
          gemm(
            transposeB: true, m: n, n: outSize, k: inSize, a: x.baseAddress!, b: w.baseAddress!, beta: 1,
            c: y.baseAddress!)
        }
      }
    }
    return output
  }

  /// ∂L/∂x = ∂L/∂y · W; ∂L/∂W += (∂L/∂y)ᵀ · x; ∂L/∂b += Σ_rows ∂L/∂y.
  public func backward(_ outputGradient: consuming Tensor) -> Tensor {
    let outSize = weight.value.shape[0]
    let inSize = weight.value.shape[1]
    let n = input.shape[0]
    precondition(
      outputGradient.shape == [n, outSize], "Dense gradient \(outputGradient.shape) ≠ [\(n), \(outSize)]")
    var inputGradient = Tensor(zeros: [n, inSize])
    outputGradient.scalars.withUnsafeBufferPointer { dy in
      input.scalars.withUnsafeBufferPointer { x in
        weight.gradient.scalars.withUnsafeMutableBufferPointer { dw in
          gemm(
            transposeA: true, m: outSize, n: inSize, k: n, a: dy.baseAddress!, b: x.baseAddress!, beta: 1,
            c: dw.baseAddress!)
        }
      }
      bias.gradient.scalars.withUnsafeMutableBufferPointer { db in
        for row in 0..<n {
          accumulate(dy.baseAddress! + row * outSize, into: db.baseAddress!, count: outSize)
        }
      }
      weight.value.scalars.withUnsafeBufferPointer { w in
        inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
          gemm(m: n, n: inSize, k: outSize, a: dy.baseAddress!, b: w.baseAddress!, c: dx.baseAddress!)
        }
      }
    }
    return inputGradient
  }
}
