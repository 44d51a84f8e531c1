import NeuralNet
import TestSupport
import Testing

/// Deterministic test inputs.
enum Sample {
  /// `shape` filled with uniform values in [low, high) from `seed`.
  static func uniform(_ shape: [Int], seed: UInt64, in range: ClosedRange<Float> = -1...1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let count = shape.reduce(1, *)
    let scalars = (0..<count).map { _ in
      range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUniform()
    }
    return Tensor(shape: shape, scalars: scalars)
  }

  /// Uniform values whose magnitudes are at least `gap`, keeping inputs off ReLU's kink.
  static func awayFromZero(_ shape: [Int], seed: UInt64, gap: Float = 0.1) -> Tensor {
    var t = uniform(shape, seed: seed)
    for i in t.scalars.indices {
      let v = t.scalars[i]
      t.scalars[i] = (v < 0 ? -1 : 1) * (gap + abs(v))
    }
    return t
  }

  /// A random permutation of `0, spacing, 2·spacing, …` (distinct values, so maxima are unique).
  static func distinct(_ shape: [Int], seed: UInt64, spacing: Float = 0.05) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let count = shape.reduce(1, *)
    var values = (0..<count).map { Float($0) * spacing - Float(count) * spacing / 2 }
    generator.shuffle(&values)
    return Tensor(shape: shape, scalars: values)
  }
}

/// Finite-difference gradient check of a layer on the objective `L = Σ r ⊙ layer(x)` with fixed
/// random weights r: analytic ∂L/∂x and ∂L/∂θ from `backward(r)` against central differences
/// `(L(v + h) − L(v − h)) / 2h` evaluated in Double from Float outputs.
///
/// Every element is checked with `|numeric − analytic| ≤ absolute + relative · |numeric|`.
func checkGradients(
  of layer: any Layer, input: Tensor, training: Bool = true, step h: Float = 1e-2,
  absolute: Double = 2e-3, relative: Double = 2e-2, sourceLocation: SourceLocation = #_sourceLocation
) {
  let probe = layer.forward(input, training: training)
  let weights = Sample.uniform(probe.shape, seed: 99)
  func objective(_ x: Tensor) -> Double {
    let y = layer.forward(x, training: training)
    var sum: Double = 0
    for i in y.scalars.indices { sum += Double(y.scalars[i]) * Double(weights.scalars[i]) }
    return sum
  }
  let trainable = layer.parameters.filter(\.isTrainable)
  for p in trainable { p.zeroGradient() }
  _ = layer.forward(input, training: training)
  let inputGradient = layer.backward(weights)
  #expect(inputGradient.shape == input.shape, sourceLocation: sourceLocation)

  var numeric: [Double] = []
  var x = input
  for i in x.scalars.indices {
    let original = x.scalars[i]
    x.scalars[i] = original + h
    let plus = objective(x)
    x.scalars[i] = original - h
    let minus = objective(x)
    x.scalars[i] = original
    numeric.append((plus - minus) / Double(2 * h))
  }
  expectClose(
    inputGradient.scalars, numeric, absolute: absolute, relative: relative, "∂L/∂input",
    sourceLocation: sourceLocation)

  for p in trainable {
    let analytic = p.gradient.scalars
    var numeric: [Double] = []
    for i in p.value.scalars.indices {
      let original = p.value.scalars[i]
      p.value.scalars[i] = original + h
      let plus = objective(input)
      p.value.scalars[i] = original - h
      let minus = objective(input)
      p.value.scalars[i] = original
      numeric.append((plus - minus) / Double(2 * h))
    }
    expectClose(
      analytic, numeric, absolute: absolute, relative: relative, "∂L/∂\(p.name)",
      sourceLocation: sourceLocation)
  }
}
