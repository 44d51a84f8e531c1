/// Weight initialisers, drawn from a `SeededGenerator` so a seed fixes every initial weight.
///
/// Fan-in and fan-out follow PyTorch's `_calculate_fan_in_and_fan_out`: for a weight of shape
/// `[out, in, k…]`, `fanIn = in · Π k` and `fanOut = out · Π k`.
public enum Initializer: String, Codable, Sendable {
  /// Glorot (Xavier) uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)). Keras' default for
  /// dense and convolution kernels; matches `torch.nn.init.xavier_uniform_`.
  case glorotUniform
  /// He (Kaiming) normal: N(0, 2 / fanIn). Matches `torch.nn.init.kaiming_normal_` with
  /// `mode="fan_in", nonlinearity="relu"`; suits layers followed by ReLU.
  case heNormal
  /// All zeros (biases).
  case zeros

  /// Fan-in and fan-out of a weight shaped `[out, in, k…]` (or `[out, in]`).
  public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
    precondition(shape.count >= 2, "fans need a weight of rank ≥ 2, got \(shape)")
    let receptive = shape.dropFirst(2).reduce(1, *)
    return (shape[1] * receptive, shape[0] * receptive)
  }

  /// Fresh values for a tensor of `shape`, drawn from `generator`.
  ///
  /// - Complexity: O(elements).
  public func values(shape: [Int], generator: inout SeededGenerator) -> [Float] {
    let count = shape.reduce(1, *)
    switch self {
    case .zeros:
      return [Float](repeating: 0, count: count)
    case .glorotUniform:
      let (fanIn, fanOut) = Initializer.fans(of: shape)
      let limit = (6 / Float(fanIn + fanOut)).squareRoot()
      return (0..<count).map { _ in (generator.nextUniform() * 2 - 1) * limit }
    case .heNormal:
      let (fanIn, _) = Initializer.fans(of: shape)
      let deviation = (2 / Float(fanIn)).squareRoot()
      return (0..<count).map { _ in generator.nextNormal() * deviation }
    }
  }
}
